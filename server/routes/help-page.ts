import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { SiteKeySchema, SlugSchema } from "../../protocol/index.js";
import { EncodedAsset, sendAsset } from "../assets/encoded-asset.js";
import type { AppEnv, Services } from "../context.js";
import { articlePage, HELP_PAGE_STYLES, HELP_STYLESHEET_PATH, missingArticlePage, type ArticlePageView } from "../faqs/article-page.js";
import { publishedArticle } from "../faqs/public-article.js";
import { STATIC_PAGE_POLICY } from "./home.js";

/**
 * `GET /help/{siteKey}/{slug}`: a published article as a standalone page, the address the
 * assistant's citations and agent assist's drafts give people. No script, and a policy that
 * allows nothing but this origin's stylesheet. Public like the articles' JSON route; it counts
 * no view (the widget does, through the API).
 */
/** Short: an edit, an unpublish or a deletion shows within a minute. */
const CACHE = "public, max-age=60";
/** Rendered pages kept, by article; past it the least recently read one is dropped. */
const MAX_KEPT_PAGES = 256;

export function helpPageRoutes(app: OpenAPIHono<AppEnv>, { db, reference, log }: Pick<Services, "db" | "reference" | "log">) {
  const styles = EncodedAsset.of(HELP_PAGE_STYLES, "text/css; charset=utf-8", log);
  // Each article's last page with its compressed forms, kept while what it was made from is
  // unchanged: a long article takes tens of milliseconds to render and brotli more, per request.
  const kept = new Map<string, { inputs: string; body: string; asset: Promise<EncodedAsset> }>();
  const pageOf = (faqId: string, view: ArticlePageView) => {
    const inputs = JSON.stringify([view.site, view.article.title, view.article.updatedAt, view.category, view.related]);
    const entry = kept.get(faqId);
    kept.delete(faqId);
    if (entry && entry.inputs === inputs && entry.body === view.article.body) {
      kept.set(faqId, entry);
      return entry.asset;
    }
    if (kept.size >= MAX_KEPT_PAGES) kept.delete(kept.keys().next().value!);
    const asset = EncodedAsset.of(articlePage(view), "text/html; charset=utf-8", log);
    kept.set(faqId, { inputs, body: view.article.body, asset });
    return asset;
  };
  const missing = (c: Context, site: { name: string; locale: string } | null) => {
    for (const [name, value] of Object.entries({ "Content-Security-Policy": STATIC_PAGE_POLICY, "Cache-Control": CACHE })) c.header(name, value);
    return c.html(missingArticlePage(site), 404);
  };

  app.get(HELP_STYLESHEET_PATH, async (c) => sendAsset(c, await styles, { "Cache-Control": "public, max-age=300" }));
  app.get("/help/:siteKey/:slug", async (c) => {
    const siteKey = SiteKeySchema.safeParse(c.req.param("siteKey"));
    const slug = SlugSchema.safeParse(c.req.param("slug"));
    const site = siteKey.success ? await reference.siteByKey(siteKey.data) : undefined;
    if (!site) return missing(c, null);
    const found = slug.success ? await publishedArticle(db.orm, site.id, slug.data) : null;
    if (!found) return missing(c, site);
    const { faq, related } = found;
    const category = faq.categoryId === null ? undefined : (await reference.categories()).rows.find((row) => row.id === faq.categoryId);
    const view: ArticlePageView = {
      site: { key: site.publicKey, name: site.name, locale: site.locale },
      article: { title: faq.title, body: faq.body, updatedAt: faq.updatedAt },
      category: category?.name ?? null,
      related,
    };
    return sendAsset(c, await pageOf(faq.id, view), { "Content-Security-Policy": STATIC_PAGE_POLICY, "Cache-Control": CACHE });
  });
  // Any other address under /help/ (a truncated or extended link) is a page a person opened: answer it as one.
  app.get("/help/*", (c) => missing(c, null));
}
