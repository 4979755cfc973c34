import { and, eq, inArray } from "drizzle-orm";
import type { Reader } from "../db/client.js";
import { faqs } from "../db/schema.js";
import type { ArticleText } from "../domain/assistant/answerer.js";
import { searchWords, termsOf } from "../domain/assistant/terms.js";
import { helpArticlePath } from "../faqs/article-page.js";
import { articlesMatchingAny } from "../faqs/search.js";
import { correctedWords } from "../faqs/typos.js";

/** Words of the question searched, and the terms they fold onto, at most. */
const MAX_SEARCHED_WORDS = 10;
/** Articles handed to the answerer at most; the full-text index has already ranked them. */
const MAX_CANDIDATES = 24;

/**
 * The published articles of a site that may answer a question: one ranked read of the
 * help-centre index for any of its words (the ranking weighs titles), misspelt words first
 * corrected as the help-centre search corrects them, then the best articles' bodies read.
 */
export async function candidateArticles(orm: Reader, siteId: string, question: string): Promise<ArticleText[]> {
  // The words as typed, and the terms they fold onto ("login" is searched as "sign" too).
  const words = [...new Set([...searchWords(question, MAX_SEARCHED_WORDS), ...termsOf(question).filter((term) => /^\p{L}{3,}$/u.test(term))])].slice(0, MAX_SEARCHED_WORDS * 2);
  const searched = (await correctedWords(orm, words)) ?? words;
  const slugs = await articlesMatchingAny(orm, siteId, [...new Set([...words, ...searched])], MAX_CANDIDATES);
  if (slugs.length === 0) return [];
  return orm
    .select({ slug: faqs.slug, title: faqs.title, body: faqs.body })
    .from(faqs)
    .where(and(eq(faqs.siteId, siteId), eq(faqs.published, true), inArray(faqs.slug, slugs)));
}

/**
 * Where people read a site's cited articles: absolute links to the public help-centre page
 * (`/help/{siteKey}/{slug}` under the server's public URL), which a chat message, an email or
 * an agent's reply can carry and a browser opens.
 */
export function articleLinks(publicUrl: string, siteKey: string): (slug: string) => string {
  const origin = publicUrl.replace(/\/+$/, "");
  return (slug) => `${origin}${helpArticlePath(siteKey, slug)}`;
}
