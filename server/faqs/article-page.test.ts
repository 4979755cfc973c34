import { describe, expect, it } from "vitest";
import { articlePage, helpArticlePath, markdownHtml, missingArticlePage, type ArticlePageView } from "./article-page.js";

const view = (changes: Partial<ArticlePageView> = {}): ArticlePageView => ({
  site: { key: "pk_demo", name: "Acme Cloud", locale: "en" },
  article: { title: "Reset your password", body: "Click **Forgot password?**.", updatedAt: Date.UTC(2026, 2, 4, 23, 30) },
  category: "Account",
  related: [{ slug: "set-up-two-factor-authentication", title: "Set up two-factor authentication" }],
  ...changes,
});

describe("markdownHtml", () => {
  it("renders each block and inline node of the shared subset as its element", () => {
    expect(markdownHtml("# Steps\n\n1. Open **Settings**\n2. Pick *Security*\n\n- `code` here\n\nLine one\nline two")).toBe(
      [
        "<h2>Steps</h2>",
        "<ol><li>Open <strong>Settings</strong></li><li>Pick <em>Security</em></li></ol>",
        "<ul><li><code>code</code> here</li></ul>",
        "<p>Line one<br>line two</p>",
      ].join("\n"),
    );
  });

  it("escapes every text node, links only to http(s) and mailto, and keeps a quote out of the attribute", () => {
    expect(markdownHtml(`<img src=x onerror=alert(1)> & "quotes" 'too'`)).toBe("<p>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39;</p>");
    expect(markdownHtml("`<script>`")).toBe("<p><code>&lt;script&gt;</code></p>");
    expect(markdownHtml("[go](javascript:alert(1)) [rel](/v1/faqs/x) [mail](mailto:help@example.com)")).toBe(
      '<p>[go](javascript:alert(1)) [rel](/v1/faqs/x) <a href="mailto:help@example.com" rel="noopener noreferrer nofollow">mail</a></p>',
    );
    expect(markdownHtml('[x](https://example.com/"onclick="alert(1))')).toBe('<p><a href="https://example.com/%22onclick=%22alert(1" rel="noopener noreferrer nofollow">x</a>)</p>');
    expect(markdownHtml("[<b>bold</b>](https://example.com)")).toBe('<p><a href="https://example.com/" rel="noopener noreferrer nofollow">&lt;b&gt;bold&lt;/b&gt;</a></p>');
  });
});

describe("articlePage", () => {
  it("shows the site, category, title, UTC day of the last change, body and related links", () => {
    const html = articlePage(view());
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain("<title>Reset your password · Acme Cloud</title>");
    expect(html).toContain('<p class="site">Acme Cloud <span>· Help centre</span></p>');
    expect(html).toContain('<p class="category">Account</p>\n<h1>Reset your password</h1>');
    // 23:30 UTC is still the 4th, wherever the server runs.
    expect(html).toContain('<time datetime="2026-03-04T23:30:00.000Z">March 4, 2026</time>');
    expect(html).toContain("<p>Click <strong>Forgot password?</strong>.</p>");
    expect(html).toContain('<li><a href="/help/pk_demo/set-up-two-factor-authentication">Set up two-factor authentication</a></li>');
    expect(html).toContain('<link rel="stylesheet" href="/help.css">');
    expect(html).not.toContain("<script");
  });

  it("leaves out what an article does not have", () => {
    const html = articlePage(view({ category: null, related: [] }));
    expect(html).not.toContain('class="category"');
    expect(html).not.toContain("<nav");
  });

  it("speaks the site's language and direction, and takes a locale that is no language tag as English", () => {
    expect(articlePage(view({ site: { key: "pk_demo", name: "Acme", locale: "fr" } }))).toMatch(/<html lang="fr" dir="ltr">[^]*Mis à jour le <time[^>]*>4 mars 2026<\/time>[^]*Articles liés/);
    expect(articlePage(view({ site: { key: "pk_demo", name: "Acme", locale: "ar-EG" } }))).toContain('<html lang="ar-EG" dir="rtl">');
    const odd = articlePage(view({ site: { key: "pk_demo", name: "Acme", locale: 'x"><b>' } }));
    expect(odd).toContain('<html lang="en" dir="ltr">');
    expect(odd).not.toContain("<b>");
  });

  it("escapes the site's name and the article's title wherever they appear", () => {
    const html = articlePage(view({ site: { key: "pk_demo", name: "<i>Acme</i>", locale: "en" }, article: { title: '"><script>x</script>', body: "b", updatedAt: 0 } }));
    expect(html).not.toMatch(/<i>|<script>/);
    expect(html).toContain("<title>&quot;&gt;&lt;script&gt;x&lt;/script&gt; · &lt;i&gt;Acme&lt;/i&gt;</title>");
  });
});

describe("missingArticlePage", () => {
  it("is one page whatever was missing, named after the site when there is one", () => {
    expect(missingArticlePage(null)).toContain("<h1>Article not found</h1>");
    expect(missingArticlePage(null)).not.toContain("<header>");
    expect(missingArticlePage({ name: "Acme", locale: "fr" })).toMatch(/<html lang="fr"[^]*<p class="site">Acme[^]*<h1>Article introuvable<\/h1>/);
  });
});

describe("helpArticlePath", () => {
  it("encodes what it is given, so a key or slug cannot add path segments", () => {
    expect(helpArticlePath("pk_demo", "reset-your-password")).toBe("/help/pk_demo/reset-your-password");
    expect(helpArticlePath("pk/x", "../a")).toBe("/help/pk%2Fx/..%2Fa");
  });
});
