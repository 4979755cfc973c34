import { and, eq, inArray } from "drizzle-orm";
import type { Reader } from "../db/client.js";
import { faqs } from "../db/schema.js";
import type { ArticleText } from "../domain/assistant/answerer.js";
import { searchWords, termsOf } from "../domain/assistant/terms.js";
import { findFaqs } from "../faqs/search.js";

/** Words of the question searched one by one: the help-centre search wants every word of a query. */
const MAX_SEARCHED_WORDS = 10;
/** Best matches kept per word. */
const PER_WORD = 8;
/** Articles handed to the answerer at most; the full-text index has already ranked them. */
const MAX_CANDIDATES = 24;

/**
 * The published articles of a site that may answer a question: the help-centre search run
 * for each word (its ranking weighs titles), the best hits of all merged, then their bodies read.
 */
export async function candidateArticles(orm: Reader, siteId: string, question: string): Promise<ArticleText[]> {
  const found = new Map<string, number>();
  // The words as typed, and the terms they fold onto ("login" is searched as "sign" too).
  const words = new Set([...searchWords(question, MAX_SEARCHED_WORDS), ...termsOf(question).filter((term) => /^\p{L}{3,}$/u.test(term))]);
  for (const word of [...words].slice(0, MAX_SEARCHED_WORDS * 2)) {
    const page = await findFaqs(orm, siteId, { q: word, limit: PER_WORD });
    page.items.forEach((item, rank) => found.set(item.slug, (found.get(item.slug) ?? 0) + (PER_WORD - rank)));
  }
  if (found.size === 0) return [];
  const slugs = [...found.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_CANDIDATES).map(([slug]) => slug);
  return orm
    .select({ slug: faqs.slug, title: faqs.title, body: faqs.body })
    .from(faqs)
    .where(and(eq(faqs.siteId, siteId), eq(faqs.published, true), inArray(faqs.slug, slugs)));
}

/** Where a cited article is read (the help-centre article route). */
export const articleUrl = (slug: string) => `/v1/faqs/${slug}`;
