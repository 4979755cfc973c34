import { termsOf } from "./terms.js";

/** An article as the answerer reads it (published, of the asking site). */
export interface ArticleText {
  slug: string;
  title: string;
  /** Markdown. */
  body: string;
}

export interface Citation {
  slug: string;
  title: string;
  url: string;
}

export interface AssistantAnswer {
  answer: string;
  citations: Citation[];
  /** 0–1: how much of the question the best article covers, and how clearly it beats the next. */
  confidence: number;
  /** True when the confidence is under the site's threshold: a person should answer. */
  handoff: boolean;
}

export interface ScoredArticle {
  article: ArticleText;
  score: number;
  /** Share of the question's weight (0–1) that the article contains. */
  coverage: number;
}

/** A title word says what the article is about; a body word may be in passing. */
const TITLE_WEIGHT = 3;
/** How many sentences of the best article the answer quotes. */
const QUOTED_SENTENCES = 2;
/** Longest answer, so a long article never becomes the reply. */
export const MAX_ANSWER_CHARS = 600;

export const HANDOFF_ANSWER = "I could not find an article that answers this. A person from the team will reply here.";

/** Markdown reduced to plain sentences (headings, list marks, emphasis and links dropped). */
export function sentencesOf(markdown: string): string[] {
  const sentences: string[] = [];
  for (const block of markdown.split(/\n+/)) {
    if (/^\s*#/.test(block)) continue;
    const text = block
      .replace(/^\s*(?:[-*+]|\d+\.)\s+/, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[*_`]+/g, "")
      .trim();
    if (!text) continue;
    for (const sentence of text.split(/(?<=[.!?])\s+(?=[A-Z0-9])/)) if (sentence.trim()) sentences.push(sentence.trim());
  }
  return sentences;
}

function counts(terms: string[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const term of terms) found.set(term, (found.get(term) ?? 0) + 1);
  return found;
}

/**
 * Ranks candidate articles for a question by term overlap: each question term weighs by how
 * rare it is among the candidates (a word every article has says little), counts three times in
 * a title, and sub-linearly with repeats in a body.
 */
export function rankArticles(question: string, articles: readonly ArticleText[]): ScoredArticle[] {
  const asked = [...new Set(termsOf(question))];
  if (asked.length === 0 || articles.length === 0) return [];
  const indexed = articles.map((article) => ({ article, title: new Set(termsOf(article.title)), body: counts(termsOf(article.body)) }));
  const weight = new Map(
    asked.map((term) => {
      const containing = indexed.filter((entry) => entry.title.has(term) || entry.body.has(term)).length;
      // Terms no candidate has keep full weight: they are what the articles fail to cover.
      return [term, Math.log(1 + (indexed.length + 1) / (containing + 0.5))];
    }),
  );
  const total = [...weight.values()].reduce((sum, value) => sum + value, 0);
  return indexed
    .map(({ article, title, body }) => {
      let score = 0;
      let covered = 0;
      for (const term of asked) {
        const w = weight.get(term) ?? 0;
        const inTitle = title.has(term);
        const inBody = body.get(term) ?? 0;
        if (!inTitle && inBody === 0) continue;
        covered += w;
        score += w * ((inTitle ? TITLE_WEIGHT : 0) + Math.log2(1 + inBody));
      }
      return { article, score, coverage: total > 0 ? covered / total : 0 };
    })
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.article.slug.localeCompare(b.article.slug));
}

/** The sentences of an article that share the most question terms, in the article's order. */
export function bestSentences(question: string, article: ArticleText, max = QUOTED_SENTENCES): string[] {
  const asked = new Set(termsOf(question));
  const scored = sentencesOf(article.body).map((sentence, position) => {
    const terms = new Set(termsOf(sentence));
    let shared = 0;
    for (const term of terms) if (asked.has(term)) shared++;
    return { sentence, position, shared };
  });
  const chosen = scored
    .filter((entry) => entry.shared > 0)
    .sort((a, b) => b.shared - a.shared || a.position - b.position)
    .slice(0, max)
    .sort((a, b) => a.position - b.position);
  return (chosen.length > 0 ? chosen : scored.slice(0, 1)).map((entry) => entry.sentence);
}

/**
 * Confidence from the best match: how much of the question it covers, lowered when a second
 * article scores nearly as well (the question is ambiguous between them).
 */
export function confidenceOf(ranked: readonly ScoredArticle[]): number {
  const [best, next] = ranked;
  if (!best) return 0;
  const margin = next ? 1 - next.score / best.score : 1;
  // Questions carry words no article needs ("accidentally", "bring it back"), so covering half
  // the question's weight is already a good match: the curve lifts partial cover, keeps 0 at 0.
  const cover = 1 - (1 - best.coverage) ** 2;
  const value = cover * (0.75 + 0.25 * margin);
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The offline answer: quotes the best article's most relevant sentences and cites it (and a
 * runner-up close behind it); under `threshold` it hands off instead of guessing.
 */
export function answerQuestion(
  question: string,
  articles: readonly ArticleText[],
  options: { threshold: number; urlOf: (slug: string) => string },
): AssistantAnswer {
  const ranked = rankArticles(question, articles);
  const confidence = confidenceOf(ranked);
  const best = ranked[0];
  if (!best || confidence < options.threshold) return { answer: HANDOFF_ANSWER, citations: [], confidence, handoff: true };
  const cite = (article: ArticleText): Citation => ({ slug: article.slug, title: article.title, url: options.urlOf(article.slug) });
  const citations = [cite(best.article)];
  const runnerUp = ranked[1];
  if (runnerUp && runnerUp.score >= best.score * 0.8) citations.push(cite(runnerUp.article));
  const quote = bestSentences(question, best.article).join(" ");
  const answer = clip(`${quote} (See “${best.article.title}”.)`, MAX_ANSWER_CHARS);
  return { answer, citations, confidence, handoff: false };
}
