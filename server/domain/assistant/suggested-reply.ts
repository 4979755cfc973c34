import { bestSentences, confidenceOf, rankArticles, type ArticleText, type Citation } from "./answerer.js";

export interface SuggestedArticle extends Citation {
  /** The article's sentences closest to what the customer wrote. */
  snippet: string;
}

export interface Assist {
  articles: SuggestedArticle[];
  /** A draft for the agent to edit; null when no article fits well enough to suggest words. */
  suggestedReply: string | null;
}

const SUGGESTED_ARTICLES = 3;

/**
 * What the inbox suggests for a ticket: the articles that best match the customer's recent
 * messages, and a reply draft quoting the best one. Never sent by itself: an agent edits it first.
 */
export function suggestAssist(
  customerText: string,
  articles: readonly ArticleText[],
  options: { threshold: number; urlOf: (slug: string) => string; customerName: string | null },
): Assist {
  const all = rankArticles(customerText, articles);
  const ranked = all.slice(0, SUGGESTED_ARTICLES);
  const suggested = ranked.map(({ article }) => ({ slug: article.slug, title: article.title, url: options.urlOf(article.slug), snippet: bestSentences(customerText, article, 1).join(" ") }));
  const best = ranked[0];
  if (!best || confidenceOf(all) < options.threshold) return { articles: suggested, suggestedReply: null };
  const greeting = options.customerName ? `Hi ${options.customerName.split(/\s+/)[0]},` : "Hi,";
  const quote = bestSentences(customerText, best.article).join(" ");
  return { articles: suggested, suggestedReply: `${greeting}\n\n${quote}\n\nThere is more in our article “${best.article.title}”: ${options.urlOf(best.article.slug)}` };
}
