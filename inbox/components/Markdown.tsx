import type { ComponentChildren } from "preact";
import { parseInline, parseMarkdown, type BlockNode, type InlineNode } from "../../sdk/markdown.js";

/**
 * The shared markdown subset (sdk/markdown.ts, the widget's parser) as Preact elements: user
 * text only ever becomes text nodes and checked hrefs, never innerHTML.
 */
function inline(nodes: InlineNode[]): ComponentChildren[] {
  return nodes.map((node, index) => {
    switch (node.type) {
      case "text":
        return node.text;
      case "break":
        return <br key={index} />;
      case "strong":
        return <strong key={index}>{inline(node.children)}</strong>;
      case "em":
        return <em key={index}>{inline(node.children)}</em>;
      case "code":
        return <code key={index}>{node.text}</code>;
      case "link":
        return (
          <a key={index} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
            {inline(node.children)}
          </a>
        );
      default:
        return unknown(node);
    }
  });
}

function block(node: BlockNode, index: number, headings: 3 | 4 | null): ComponentChildren {
  switch (node.type) {
    case "paragraph":
      return <p key={index}>{inline(node.children)}</p>;
    case "heading":
      // In chat a heading is only emphasis; in an article it sits one level under its title.
      if (headings === 3) return <h3 key={index}>{inline(node.children)}</h3>;
      if (headings === 4) return <h4 key={index}>{inline(node.children)}</h4>;
      return <p key={index}><strong>{inline(node.children)}</strong></p>;
    case "list": {
      const items = node.items.map((item, at) => <li key={at}>{inline(item)}</li>);
      return node.ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>;
    }
    default:
      return unknown(node);
  }
}

function unknown(node: never): never {
  throw new Error(`unknown markdown node ${JSON.stringify(node)}`);
}

/** `headings`: the level article headings render at (under an h2 title: 3); without it, messages. */
export function Markdown({ source, headings = null }: { source: string; headings?: 3 | 4 | null }) {
  return <div class="markdown" dir="auto">{parseMarkdown(source).map((node, index) => block(node, index, headings))}</div>;
}

export function InlineMarkdown({ source }: { source: string }) {
  return <>{inline(parseInline(source, false))}</>;
}
