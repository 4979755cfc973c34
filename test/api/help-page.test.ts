import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { ADMIN, freePort, startApi, type RunningApi } from "../support/server.js";
import { XSS_PAYLOADS } from "../support/xss-payloads.js";

/**
 * GET /help/{siteKey}/{slug}: the public page of a published article, which the assistant's
 * citations link to. The server's public URL is its own address here, so a citation opens as is.
 */
let api: RunningApi;
let client: ApiClient;
let admin: { token: string; agentId: string };
let demoSiteId: string;

beforeAll(async () => {
  const port = await freePort();
  api = await startApi({ port, env: { PARLEY_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
  demoSiteId = await client.siteId(admin.token);
});
afterAll(() => api?.stop());

const page = (path: string, headers: Record<string, string> = {}) => fetch(`${api.url}${path}`, { headers });

async function article(fields: { siteId?: string; slug: string; title: string; body: string; [key: string]: unknown }) {
  const res = await client.call("POST", "/v1/admin/faqs", { token: admin.token, body: { siteId: demoSiteId, ...fields } });
  if (res.status !== 201) throw new Error(`article failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string };
}

async function site(name: string, locale: string) {
  const res = await client.call("POST", "/v1/admin/sites", { token: admin.token, body: { name, locale } });
  if (res.status !== 201) throw new Error(`site failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string };
}

/** The elements and attributes this page is built from; anything else came from user text. */
const OWN_TAGS = new Set(["html", "head", "meta", "title", "link", "body", "header", "main", "article", "nav", "div", "p", "span", "h1", "h2", "ul", "ol", "li", "a", "strong", "em", "code", "br", "time"]);
const OWN_ATTRIBUTES = new Set(["lang", "dir", "charset", "name", "content", "rel", "href", "class", "id", "aria-labelledby", "datetime"]);

/** Every opening tag of the raw HTML, with its attributes: escaped text holds no `<`, so these are all the elements there are. */
function tagsOf(html: string): { tag: string; attributes: Record<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)].map((match) => ({
    tag: match[1]!.toLowerCase(),
    attributes: Object.fromEntries([...match[2]!.matchAll(/([^\s=>]+)(?:="([^"]*)")?/g)].map((attribute) => [attribute[1]!.toLowerCase(), attribute[2] ?? ""])),
  }));
}

/** What is left of the page once every element of ours is accounted for: nothing, on an inert page. */
function foreignMarkup(html: string): string[] {
  const found: string[] = [];
  const body = html.replace(/^<!doctype html>/i, "");
  // Any `<` that does not open or close one of our elements is markup that escaped escaping.
  for (const match of body.matchAll(/<\/?([a-zA-Z][\w-]*)?/g)) if (!OWN_TAGS.has((match[1] ?? "").toLowerCase())) found.push(match[0]);
  for (const { tag, attributes } of tagsOf(body)) {
    for (const [name, value] of Object.entries(attributes)) {
      if (!OWN_ATTRIBUTES.has(name)) found.push(`${tag}[${name}]`);
      const ownIcon = tag === "link" && attributes.rel === "icon" && value === "data:,";
      if (name === "href" && !ownIcon && !/^(https?:|mailto:|\/help)/.test(value)) found.push(`${tag}[href=${value}]`);
    }
  }
  return found;
}

describe("GET /help/{siteKey}/{slug}", () => {
  it("shows a seeded article as a standalone page: title, body as HTML, category, date and related articles, under a strict policy", async () => {
    const res = await page("/help/pk_demo/fix-sync-conflicts");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const policy = res.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toMatch(/script-src|unsafe/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    const html = await res.text();
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain("<title>Fix sync conflicts and files that won&#39;t sync · Acme Cloud</title>");
    expect(html).toContain("<h1>Fix sync conflicts and files that won&#39;t sync</h1>");
    // The markdown became elements: a heading, a list with bold, emphasis.
    expect(html).toContain("<h2>How conflicts look</h2>");
    expect(html).toContain("<li><strong>File names</strong> containing characters");
    expect(html).toContain("<em>Report (conflicted copy, Sam&#39;s laptop, 2024-05-02).docx</em>");
    expect(html).toContain('<p class="category">Technical</p>');
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">\w+ \d{1,2}, \d{4}<\/time>/);
    expect(html).toContain('<a href="/help/pk_demo/choose-folders-to-sync">Choose which folders sync to your computer</a>');
    expect(html).not.toContain("<script");
    expect(foreignMarkup(html)).toEqual([]);

    // Its stylesheet is this origin's, and the related link opens the same kind of page.
    const styles = await page("/help.css");
    expect([styles.status, styles.headers.get("content-type")]).toEqual([200, "text/css; charset=utf-8"]);
    expect(await styles.text()).toContain("prefers-color-scheme: dark");
    const related = await page("/help/pk_demo/choose-folders-to-sync");
    expect(related.status).toBe(200);
    expect(await related.text()).toContain("<h1>Choose which folders sync to your computer</h1>");
  });

  it("is compressed for clients that accept it and answers 304 to its own ETag", async () => {
    const plain = await page("/help/pk_demo/reset-your-password", { "accept-encoding": "identity" });
    const brotli = await page("/help/pk_demo/reset-your-password", { "accept-encoding": "br" });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(brotli.headers.get("content-encoding")).toBe("br");
    expect(Number(brotli.headers.get("content-length"))).toBeLessThan(Number(plain.headers.get("content-length")));
    // fetch decodes it: the same page either way.
    expect(await brotli.text()).toBe(await plain.text());
    const etag = brotli.headers.get("etag")!;
    const again = await page("/help/pk_demo/reset-your-password", { "accept-encoding": "br", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("renders script, attribute breakouts and javascript: links in an article and a site's name as inert text", async () => {
    const hostile = await site(`Evil <script>alert(1)</script> "><img src=x onerror=alert(2)>`, "en");
    const payloads = [...XSS_PAYLOADS, `[quoted](https://example.com/a"onmouseover="alert(3))`, `[js](JAVASCRIPT:alert(4))`, `[data](data:text/html,<script>alert(5)</script>)`];
    const made = await article({
      siteId: hostile.id,
      slug: "hostile-article",
      title: `<script>alert(6)</script> "><img src=x onerror=alert(7)>`,
      body: `# Heading <script>alert(8)</script>\n\n${payloads.join("\n\n")}\n\n- [a safe link](https://example.com/docs)`,
    });
    const res = await page(`/help/${hostile.key}/${made.slug}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(foreignMarkup(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<img|<svg|<iframe|<style|<details|href="javascript:|href="data:(?!,")/i);
    // The text is all there, as text.
    expect(html).toContain("<h1>&lt;script&gt;alert(6)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(7)&gt;</h1>");
    expect(html).toContain("Evil &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(html).toContain("<h2>Heading &lt;script&gt;alert(8)&lt;/script&gt;</h2>");
    expect(html).toContain("[click me](javascript:window.__xss=(window.__xss||0)+1)");
    // Links that are safe stay links; a quote in one cannot end its attribute.
    expect(html).toContain('<li><a href="https://example.com/docs" rel="noopener noreferrer nofollow">a safe link</a></li>');
    expect(html).toContain('<a href="https://example.com/a%22onmouseover=%22alert(3" rel="noopener noreferrer nofollow">quoted</a>');
  });

  it("answers a draft, an unknown slug, another site's slug and a malformed address with the same 404 page", async () => {
    const draft = await article({ slug: "help-page-draft", title: "Help page draft", body: "Not out yet.", published: false });
    const unknown = await page("/help/pk_demo/no-such-article");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-security-policy")).toContain("default-src 'none'");
    const notFound = await unknown.text();
    expect(notFound).toContain("<h1>Article not found</h1>");
    expect(notFound).toContain('<link rel="stylesheet" href="/help.css">');
    const drafted = await page("/help/pk_demo/help-page-draft");
    expect(drafted.status).toBe(404);
    // Nothing tells a draft from a missing article.
    expect(await drafted.text()).toBe(notFound);

    // Published, it shows, so the 404 above was the draft's; unpublished, it is gone again.
    await client.call("PATCH", `/v1/admin/faqs/${draft.id}`, { token: admin.token, body: { published: true } });
    const published = await page("/help/pk_demo/help-page-draft");
    expect(published.status).toBe(200);
    expect(await published.text()).toContain("<h1>Help page draft</h1>");
    // An edit shows on the next read: the page kept in memory is made again from the new text.
    await client.call("PATCH", `/v1/admin/faqs/${draft.id}`, { token: admin.token, body: { title: "Help page, edited", body: "Now **out**.", related: ["reset-your-password"] } });
    const edited = await (await page("/help/pk_demo/help-page-draft")).text();
    expect(edited).toContain("<h1>Help page, edited</h1>");
    expect(edited).toContain("<p>Now <strong>out</strong>.</p>");
    expect(edited).toContain('<a href="/help/pk_demo/reset-your-password">Reset your password</a>');
    await client.call("PATCH", `/v1/admin/faqs/${draft.id}`, { token: admin.token, body: { published: false } });
    expect((await page("/help/pk_demo/help-page-draft")).status).toBe(404);

    // Another site's article exists only under its own key.
    const other = await site("Other Help Tenant", "fr");
    await article({ siteId: other.id, slug: "other-tenant-guide", title: "Guide de l’autre site", body: "Réservé à l’autre site." });
    const mine = await page(`/help/${other.key}/other-tenant-guide`);
    expect(mine.status).toBe(200);
    const french = await mine.text();
    expect(french).toContain('<html lang="fr" dir="ltr">');
    expect(french).toContain("Mis à jour le");
    const crossed = await page("/help/pk_demo/other-tenant-guide");
    expect(crossed.status).toBe(404);
    expect(await crossed.text()).toBe(notFound);
    expect((await page(`/help/${other.key}/fix-sync-conflicts`)).status).toBe(404);

    // Keys and slugs that cannot exist: the same HTML 404, never an error body or a 500.
    for (const path of ["/help/pk_nobody_here/fix-sync-conflicts", "/help/not-a-key/fix-sync-conflicts", "/help/pk_demo/Not_A_Slug", `/help/pk_demo/${"a".repeat(300)}`, "/help/pk_demo/%3Cscript%3E", "/help/pk_demo", "/help/pk_demo/fix-sync-conflicts/more"]) {
      const res = await page(path);
      expect([path, res.status, res.headers.get("content-type")]).toEqual([path, 404, "text/html; charset=UTF-8"]);
      expect(await res.text()).toContain("<h1>Article not found</h1>");
    }
  });

  it("takes its language from the site, and falls back to English for a locale that is not a language tag", async () => {
    const arabic = await site("موقع", "ar");
    await article({ siteId: arabic.id, slug: "arabic-guide", title: "دليل", body: "نص المقال." });
    const html = await (await page(`/help/${arabic.key}/arabic-guide`)).text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    const odd = await site("Odd Locale Site", `x"><b>`);
    await article({ siteId: odd.id, slug: "odd-guide", title: "Odd guide", body: "Text." });
    const oddHtml = await (await page(`/help/${odd.key}/odd-guide`)).text();
    expect(oddHtml).toContain('<html lang="en" dir="ltr">');
    expect(foreignMarkup(oddHtml)).toEqual([]);
  });
});

describe("citations link to the help page", () => {
  it("answers a citation URL from /v1/assistant/query, fetched as given, with that article's page", async () => {
    const { token } = await client.visitor();
    const res = await client.call("POST", "/v1/assistant/query", { token, body: { question: "How do I reset my password?" } });
    expect(res.status).toBe(200);
    const [citation] = res.body.citations as { slug: string; title: string; url: string }[];
    expect(citation!.url).toBe(`${api.url}/help/pk_demo/${citation!.slug}`);
    const opened = await fetch(citation!.url);
    expect(opened.status).toBe(200);
    const escaped = citation!.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    expect(await opened.text()).toContain(`<h1>${escaped}</h1>`);
  });
});
