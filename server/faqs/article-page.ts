import { parseMarkdown, safeHref, type BlockNode, type InlineNode } from "../../protocol/markdown.js";

/**
 * The public help-centre page of one article (`/help/{siteKey}/{slug}`), the page the
 * assistant's citations open. Rendered here as a string: every piece of article or site text
 * goes through `escapeHtml`, and a link's target only through `safeHref`, so nothing an editor
 * writes becomes markup. The page carries no script; its stylesheet is `HELP_PAGE_STYLES`.
 */

/** Where the page's stylesheet is served: outside `/help/` so no site key or slug can shadow it. */
export const HELP_STYLESHEET_PATH = "/help.css";

/** The page of an article, by its site's public key and its slug. */
export const helpArticlePath = (siteKey: string, slug: string) => `/help/${encodeURIComponent(siteKey)}/${encodeURIComponent(slug)}`;

export interface ArticlePageView {
  site: { key: string; name: string; locale: string };
  article: { title: string; body: string; updatedAt: number };
  /** The category's display name, or null when the article has none. */
  category: string | null;
  /** Published "see also" articles, in the editor's order. */
  related: { slug: string; title: string }[];
}

interface PageCopy {
  dir: "ltr" | "rtl";
  updated: string;
  related: string;
  helpCentre: string;
  notFoundTitle: string;
  notFound: string;
}

const copies: Record<"en" | "fr" | "ar", PageCopy> = {
  en: {
    dir: "ltr",
    updated: "Updated",
    related: "Related articles",
    helpCentre: "Help centre",
    notFoundTitle: "Article not found",
    notFound: "This article does not exist or is not published.",
  },
  fr: {
    dir: "ltr",
    updated: "Mis à jour le",
    related: "Articles liés",
    helpCentre: "Centre d’aide",
    notFoundTitle: "Article introuvable",
    notFound: "Cet article n’existe pas ou n’est pas publié.",
  },
  ar: {
    dir: "rtl",
    updated: "آخر تحديث",
    related: "مقالات ذات صلة",
    helpCentre: "مركز المساعدة",
    notFoundTitle: "المقال غير موجود",
    notFound: "هذا المقال غير موجود أو غير منشور.",
  },
};

/** A BCP 47 tag as `lang` takes it; anything else reads as English. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

function localeOf(tag: string): { lang: string; copy: PageCopy } {
  const lang = LANGUAGE_TAG.test(tag) ? tag : "en";
  const language = lang.toLowerCase().split("-")[0]!;
  return { lang, copy: Object.hasOwn(copies, language) ? copies[language as keyof typeof copies] : copies.en };
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function inlineHtml(nodes: InlineNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case "text":
          return escapeHtml(node.text);
        case "break":
          return "<br>";
        case "strong":
          return `<strong>${inlineHtml(node.children)}</strong>`;
        case "em":
          return `<em>${inlineHtml(node.children)}</em>`;
        case "code":
          return `<code>${escapeHtml(node.text)}</code>`;
        case "link": {
          // The parser only makes links of safe targets; checked again here, where it becomes an attribute.
          const href = safeHref(node.href);
          const text = inlineHtml(node.children);
          return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${text}</a>` : text;
        }
        default:
          return unknownNode(node);
      }
    })
    .join("");
}

function blockHtml(block: BlockNode): string {
  switch (block.type) {
    case "paragraph":
      return `<p>${inlineHtml(block.children)}</p>`;
    case "heading":
      // The article's title is the page's h1; its own headings sit one level below.
      return `<h2>${inlineHtml(block.children)}</h2>`;
    case "list": {
      const items = block.items.map((item) => `<li>${inlineHtml(item)}</li>`).join("");
      return block.ordered ? `<ol>${items}</ol>` : `<ul>${items}</ul>`;
    }
    default:
      return unknownNode(block);
  }
}

function unknownNode(node: never): never {
  throw new Error(`unknown markdown node ${JSON.stringify(node)}`);
}

/** An article's markdown as HTML (the shared subset of protocol/markdown.ts), every text node escaped. */
export function markdownHtml(source: string): string {
  return parseMarkdown(source).map(blockHtml).join("\n");
}

/** The day an article changed, in the site's language (UTC, so every reader sees the same day). */
function dayOf(at: number, lang: string): string {
  const locales = Intl.DateTimeFormat.supportedLocalesOf([lang]);
  return new Intl.DateTimeFormat(locales.length > 0 ? locales : ["en"], { dateStyle: "long", timeZone: "UTC" }).format(at);
}

function page(lang: string, copy: PageCopy, title: string, siteName: string | null, main: string): string {
  // The empty `data:` icon keeps the browser from asking for a /favicon.ico that nothing serves.
  const header = siteName === null ? "" : `<header><p class="site">${escapeHtml(siteName)} <span>· ${escapeHtml(copy.helpCentre)}</span></p></header>\n`;
  return `<!doctype html>
<html lang="${escapeHtml(lang)}" dir="${copy.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${HELP_STYLESHEET_PATH}">
</head>
<body>
${header}<main>
${main}
</main>
</body>
</html>
`;
}

/** The page of one published article. */
export function articlePage(view: ArticlePageView): string {
  const { lang, copy } = localeOf(view.site.locale);
  const updated = new Date(view.article.updatedAt);
  const category = view.category === null ? "" : `<p class="category">${escapeHtml(view.category)}</p>\n`;
  const related =
    view.related.length === 0
      ? ""
      : `\n<nav aria-labelledby="related"><h2 id="related">${escapeHtml(copy.related)}</h2><ul>${view.related
          .map((article) => `<li><a href="${escapeHtml(helpArticlePath(view.site.key, article.slug))}">${escapeHtml(article.title)}</a></li>`)
          .join("")}</ul></nav>`;
  const main = `<article>
${category}<h1>${escapeHtml(view.article.title)}</h1>
<p class="updated">${escapeHtml(copy.updated)} <time datetime="${updated.toISOString()}">${escapeHtml(dayOf(view.article.updatedAt, lang))}</time></p>
<div class="body">
${markdownHtml(view.article.body)}
</div>
</article>${related}`;
  return page(lang, copy, `${view.article.title} · ${view.site.name}`, view.site.name, main);
}

/**
 * The answer for an unknown site, an unknown slug or a draft: one page for all three, so it
 * tells nobody which of them it was. In the site's language when the site is known.
 */
export function missingArticlePage(site: { name: string; locale: string } | null): string {
  const { lang, copy } = localeOf(site?.locale ?? "en");
  const main = `<article>
<h1>${escapeHtml(copy.notFoundTitle)}</h1>
<p>${escapeHtml(copy.notFound)}</p>
</article>`;
  return page(lang, copy, copy.notFoundTitle, site?.name ?? null, main);
}

export const HELP_PAGE_STYLES = `:root { color-scheme: light dark; --text: #1f2937; --muted: #6b7280; --page: #f9fafb; --card: #ffffff; --line: #e5e7eb; --link: #4338ca; --code: #f3f4f6; }
@media (prefers-color-scheme: dark) { :root { --text: #e5e7eb; --muted: #9ca3af; --page: #111827; --card: #1f2937; --line: #374151; --link: #a5b4fc; --code: #374151; } }
body { margin: 0; font: 16px/1.6 system-ui, sans-serif; color: var(--text); background: var(--page); }
header { border-bottom: 1px solid var(--line); background: var(--card); }
header .site { max-width: 720px; margin: 0 auto; padding: 14px 24px; font-weight: 600; }
header .site span { font-weight: 400; color: var(--muted); }
main { max-width: 720px; margin: 0 auto; padding: 24px; }
article { padding: 24px 28px; overflow-wrap: anywhere; background: var(--card); border: 1px solid var(--line); border-radius: 12px; }
h1 { margin: 0 0 4px; font-size: 1.75rem; line-height: 1.25; }
h2 { margin: 1.5em 0 0.5em; font-size: 1.2rem; }
.category { margin: 0 0 8px; font-size: 0.8rem; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; color: var(--muted); }
.updated { margin: 0 0 20px; font-size: 0.9rem; color: var(--muted); }
a { color: var(--link); }
code { padding: 1px 5px; font: 0.9em ui-monospace, monospace; background: var(--code); border-radius: 4px; }
li { margin: 4px 0; }
nav { margin-top: 24px; padding: 0 4px; }
nav h2 { margin-top: 0; font-size: 1rem; }
nav ul { padding-inline-start: 20px; }
@media (max-width: 480px) { header .site { padding: 12px 16px; } main { padding: 12px; } article { padding: 18px 16px; } h1 { font-size: 1.5rem; } }
`;
