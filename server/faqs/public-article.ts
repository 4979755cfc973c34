import { and, eq } from "drizzle-orm";
import type { Reader } from "../db/client.js";
import { faqs } from "../db/schema.js";
import { relatedArticles, type RelatedArticle } from "./related.js";
import type { FaqRow } from "./views.js";

export interface PublicArticle {
  faq: FaqRow;
  /** Its published "see also" articles (drafts never show). */
  related: RelatedArticle[];
}

/** A published article of the site with its related ones, or null: a draft reads as no article at all. */
export async function publishedArticle(orm: Reader, siteId: string, slug: string): Promise<PublicArticle | null> {
  const faq = await orm.query.faqs.findFirst({ where: and(eq(faqs.siteId, siteId), eq(faqs.slug, slug), eq(faqs.published, true)) });
  if (!faq) return null;
  return { faq, related: await relatedArticles(orm, faq.id, { drafts: false }) };
}
