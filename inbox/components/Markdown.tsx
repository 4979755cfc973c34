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

function block(node: BlockNode, index: number, headings: boolean): ComponentChildren {
  switch (node.type) {
    case "paragraph":
      return <p key={index}>{inline(node.children)}</p>;
    case "heading":
      return headings ? <h4 key={index}>{inline(node.children)}</h4> : <p key={index}><strong>{inline(node.children)}</strong></p>;
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

export function Markdown({ source, headings = false }: { source: string; headings?: boolean }) {
  return <div class="markdown">{parseMarkdown(source).map((node, index) => block(node, index, headings))}</div>;
}

export function InlineMarkdown({ source }: { source: string }) {
  return <>{inline(parseInline(source, false))}</>;
}
