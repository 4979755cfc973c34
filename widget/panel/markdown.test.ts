import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref, type InlineNode } from "./markdown.js";

const text = (value: string): InlineNode => ({ type: "text", text: value });

describe("safeHref", () => {
  it("keeps absolute http, https and mailto URLs", () => {
    expect(safeHref("https://example.com/a?b=c")).toBe("https://example.com/a?b=c");
    expect(safeHref("http://example.com")).toBe("http://example.com/");
    expect(safeHref("mailto:help@example.com")).toBe("mailto:help@example.com");
  });

  it("refuses script, data and relative URLs, whatever their spelling", () => {
    for (const href of ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "/relative", "//evil.example", "file:///etc/passwd", ""]) {
      expect(safeHref(href), href).toBeNull();
    }
  });
});

describe("parseInline", () => {
  it("reads bold, italic, code and links", () => {
    expect(parseInline("a **b** *c* `d` [e](https://x.example)")).toEqual([
      text("a "),
      { type: "strong", children: [text("b")] },
      text(" "),
      { type: "em", children: [text("c")] },
      text(" "),
      { type: "code", text: "d" },
      text(" "),
      { type: "link", href: "https://x.example/", children: [text("e")] },
    ]);
  });

  it("keeps HTML as text: nothing is ever markup", () => {
    expect(parseInline('<img src=x onerror="alert(1)"> & <b>')).toEqual([text('<img src=x onerror="alert(1)"> & <b>')]);
  });

  it("leaves a link with an unsafe URL as plain text", () => {
    expect(parseInline("[click](javascript:alert(1))")).toEqual([text("[click](javascript:alert(1))")]);
  });

  it("nests emphasis inside bold and inside link text, but never links inside links", () => {
    expect(parseInline("**bold *and* italic**")).toEqual([
      { type: "strong", children: [text("bold "), { type: "em", children: [text("and")] }, text(" italic")] },
    ]);
    expect(parseInline("[**x**](https://a.example)")).toEqual([{ type: "link", href: "https://a.example/", children: [{ type: "strong", children: [text("x")] }] }]);
    const linksInsideLinks = (nodes: InlineNode[], inLink = false): number =>
      nodes.reduce((count, node) => {
        const nested = node.type === "link" && inLink ? 1 : 0;
        return count + nested + ("children" in node ? linksInsideLinks(node.children, inLink || node.type === "link") : 0);
      }, 0);
    expect(linksInsideLinks(parseInline("[a [b](https://b.example) c](https://a.example) [[x](https://x.example)](https://y.example)"))).toBe(0);
  });

  it("does not treat code content or lone asterisks as markup", () => {
    expect(parseInline("`**not bold**`")).toEqual([{ type: "code", text: "**not bold**" }]);
    expect(parseInline("2 * 3 * 4")).toEqual([text("2 * 3 * 4")]);
    expect(parseInline("** spaced **")).toEqual([text("** spaced **")]);
  });

  it("turns newlines into breaks", () => {
    expect(parseInline("one\ntwo")).toEqual([text("one"), { type: "break" }, text("two")]);
  });
});

describe("parseMarkdown", () => {
  it("splits paragraphs on blank lines and keeps line breaks inside them", () => {
    expect(parseMarkdown("Hello\nthere\n\nSecond")).toEqual([
      { type: "paragraph", children: [text("Hello"), { type: "break" }, text("there")] },
      { type: "paragraph", children: [text("Second")] },
    ]);
  });

  it("reads bullet and numbered lists, with indented continuation lines", () => {
    expect(parseMarkdown("Steps:\n1. one\n2. **two**\n   more\n\n- a\n* b")).toEqual([
      { type: "paragraph", children: [text("Steps:")] },
      { type: "list", ordered: true, items: [[text("one")], [{ type: "strong", children: [text("two")] }, { type: "break" }, text("more")]] },
      { type: "list", ordered: false, items: [[text("a")], [text("b")]] },
    ]);
  });

  it("reads headings and does not mistake *italic* at a line start for a bullet", () => {
    expect(parseMarkdown("## Install\n*really* easy")).toEqual([
      { type: "heading", children: [text("Install")] },
      { type: "paragraph", children: [{ type: "em", children: [text("really")] }, text(" easy")] },
    ]);
  });

  it("normalises Windows line endings", () => {
    expect(parseMarkdown("a\r\n\r\nb")).toHaveLength(2);
  });
});
