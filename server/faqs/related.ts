import { and, asc, eq, sql } from "drizzle-orm";
import type { Reader, Tx } from "../db/client.js";
import { faqRelated, faqs } from "../db/schema.js";
import { invalidField } from "../domain/errors.js";

export interface RelatedArticle {
  slug: string;
  title: string;
}

/** Each article's "see also" links in the editor's order (one query for a page); only published ones unless `drafts`. */
export async function relatedByArticle(orm: Reader, faqIds: readonly string[], options: { drafts: boolean }): Promise<Map<string, RelatedArticle[]>> {
  const byArticle = new Map(faqIds.map((id) => [id, [] as RelatedArticle[]]));
  if (faqIds.length === 0) return byArticle;
  const rows = await orm
    .select({ faqId: faqRelated.faqId, slug: faqs.slug, title: faqs.title })
    .from(faqRelated)
    .innerJoin(faqs, eq(faqs.id, faqRelated.relatedId))
    .where(and(sql`${faqRelated.faqId} in (select value from json_each(${JSON.stringify(faqIds)}))`, options.drafts ? undefined : eq(faqs.published, true)))
    .orderBy(asc(faqRelated.faqId), asc(faqRelated.rank));
  for (const row of rows) byArticle.get(row.faqId)?.push({ slug: row.slug, title: row.title });
  return byArticle;
}

/** One article's links (see `relatedByArticle`). */
export async function relatedArticles(orm: Reader, faqId: string, options: { drafts: boolean }): Promise<RelatedArticle[]> {
  return (await relatedByArticle(orm, [faqId], options)).get(faqId) ?? [];
}

/**
 * Replaces an article's links with the articles `slugs` name, which must be other articles of
 * the same site (a link to another tenant's article would show its title here).
 */
export async function setRelatedArticles(tx: Tx, faq: { id: string; siteId: string }, slugs: readonly string[]): Promise<void> {
  const wanted = [...new Set(slugs)];
  const found = wanted.length
    ? await tx
        .select({ id: faqs.id, slug: faqs.slug })
        .from(faqs)
        .where(and(eq(faqs.siteId, faq.siteId), sql`${faqs.slug} in (select value from json_each(${JSON.stringify(wanted)}))`))
    : [];
  const idOf = new Map(found.map((row) => [row.slug, row.id]));
  const missing = wanted.filter((slug) => !idOf.has(slug));
  if (missing.length > 0) throw invalidField("related", `no article of this site has the slug "${missing[0]}"`, "unknown article");
  if (wanted.some((slug) => idOf.get(slug) === faq.id)) throw invalidField("related", "an article cannot be related to itself", "itself");
  await tx.delete(faqRelated).where(eq(faqRelated.faqId, faq.id));
  if (wanted.length > 0) {
    await tx.insert(faqRelated).values(wanted.map((slug, rank) => ({ faqId: faq.id, relatedId: idOf.get(slug)!, rank })));
  }
}
