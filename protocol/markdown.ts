/**
 * A small, safe markdown subset for messages and help articles: paragraphs, line breaks,
 * `#` headings, bullet and numbered lists, **bold**, *italic*, `code` and [links](https://…).
 * This is the parser only: it turns text into nodes, and each UI (the widget's lit templates,
 * the inbox's Preact elements) renders the nodes itself, so every character of user text
 * lands in a text node or a checked attribute — never in innerHTML.
 */
export type InlineNode =
  | { type: "text"; text: string }
  | { type: "strong"; children: InlineNode[] }
  | { type: "em"; children: InlineNode[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: InlineNode[] }
  | { type: "break" };

export type BlockNode =
  | { type: "paragraph"; children: InlineNode[] }
  | { type: "heading"; children: InlineNode[] }
  | { type: "list"; ordered: boolean; items: InlineNode[][] };

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The URL if it is absolute http(s) or mailto, else null (javascript:, data:, relative…). */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null; // not an absolute URL: refuse rather than resolve against the host page
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** Inline markup of one block. `links: false` inside link text (no nested links). */
export function parseInline(source: string, links = true): InlineNode[] {
  const nodes: InlineNode[] = [];
  let text = "";
  const flush = () => {
    if (text) nodes.push({ type: "text", text });
    text = "";
  };
  for (let i = 0; i < source.length; ) {
    const rest = source.slice(i);
    const code = /^`([^`\n]+)`/.exec(rest);
    const strong = /^\*\*(\S(?:[^]*?\S)?)\*\*/.exec(rest);
    const em = !strong && /^\*(\S(?:[^*]*?[^\s*])?)\*(?!\*)/.exec(rest);
    const link = links && /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(rest);
    const href = link ? safeHref(link[2]!) : null;
    let node: InlineNode | null = null;
    let length = 0;
    if (rest[0] === "\n") [node, length] = [{ type: "break" }, 1];
    else if (code) [node, length] = [{ type: "code", text: code[1]! }, code[0].length];
    else if (strong) [node, length] = [{ type: "strong", children: parseInline(strong[1]!, links) }, strong[0].length];
    else if (em) [node, length] = [{ type: "em", children: parseInline(em[1]!, links) }, em[0].length];
    else if (link && href) [node, length] = [{ type: "link", href, children: parseInline(link[1]!, false) }, link[0].length];
    if (node) {
      flush();
      nodes.push(node);
      i += length;
    } else {
      text += source[i];
      i += 1;
    }
  }
  flush();
  return nodes;
}

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const HEADING = /^#{1,6}\s+(.*)$/;

/** Blocks of a document: blank lines end paragraphs and lists. */
export function parseMarkdown(source: string): BlockNode[] {
  const blocks: BlockNode[] = [];
  let paragraph: string[] = [];
  // Assigned inside closures too, so TypeScript must not narrow it to null.
  let list = null as { ordered: boolean; items: string[] } | null;
  const endParagraph = () => {
    if (paragraph.length) blocks.push({ type: "paragraph", children: parseInline(paragraph.join("\n")) });
    paragraph = [];
  };
  const endList = () => {
    if (list) blocks.push({ type: "list", ordered: list.ordered, items: list.items.map((item) => parseInline(item)) });
    list = null;
  };
  for (const line of source.replace(/\r\n?/g, "\n").split("\n")) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const heading = HEADING.exec(line);
    if (!line.trim()) {
      endParagraph();
      endList();
    } else if (heading) {
      endParagraph();
      endList();
      blocks.push({ type: "heading", children: parseInline(heading[1]!) });
    } else if (bullet || numbered) {
      endParagraph();
      const ordered = Boolean(numbered);
      if (list?.ordered !== ordered) endList();
      list ??= { ordered, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
    } else if (list && /^\s/.test(line)) {
      // An indented line continues the last item.
      list.items[list.items.length - 1] += `\n${line.trim()}`;
    } else {
      endList();
      paragraph.push(line);
    }
  }
  endParagraph();
  endList();
  return blocks;
}
