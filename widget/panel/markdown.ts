import { html, nothing, type TemplateResult } from "lit";
import { parseInline, parseMarkdown, type BlockNode, type InlineNode } from "../../sdk/markdown.js";

/**
 * The widget's renderer of the shared markdown subset (../../sdk/markdown.ts parses it):
 * nodes become lit templates, so user text only ever reaches text nodes and checked attributes.
 */
export { parseInline, parseMarkdown, safeHref, type BlockNode, type InlineNode } from "../../sdk/markdown.js";

function renderInline(nodes: InlineNode[]): unknown[] {
  return nodes.map((node) => {
    switch (node.type) {
      case "text":
        return node.text;
      case "break":
        return html`<br />`;
      case "strong":
        return html`<strong>${renderInline(node.children)}</strong>`;
      case "em":
        return html`<em>${renderInline(node.children)}</em>`;
      case "code":
        return html`<code>${node.text}</code>`;
      case "link":
        return html`<a href=${node.href} target="_blank" rel="noopener noreferrer nofollow">${renderInline(node.children)}</a>`;
      default:
        return unknownNode(node);
    }
  });
}

function renderBlock(block: BlockNode, headings: boolean): TemplateResult | typeof nothing {
  switch (block.type) {
    case "paragraph":
      return html`<p>${renderInline(block.children)}</p>`;
    case "heading":
      // Articles sit under an h3 title; in chat a heading is just emphasis.
      return headings ? html`<h4>${renderInline(block.children)}</h4>` : html`<p><strong>${renderInline(block.children)}</strong></p>`;
    case "list": {
      const items = block.items.map((item) => html`<li>${renderInline(item)}</li>`);
      return block.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
    }
    default:
      return unknownNode(block);
  }
}

function unknownNode(node: never): never {
  throw new Error(`unknown markdown node ${JSON.stringify(node)}`);
}

/** Renders markdown as lit templates; `headings: true` for articles, false for chat messages. */
export function renderMarkdown(source: string, options: { headings?: boolean } = {}): unknown[] {
  return parseMarkdown(source).map((block) => renderBlock(block, options.headings ?? false));
}

/** Inline markup only (search excerpts mark matches with **). */
export function renderInlineMarkdown(source: string): unknown[] {
  return renderInline(parseInline(source, false));
}
