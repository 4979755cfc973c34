import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { FaqListQuery, FaqSummary, Page } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { categories, faqs } from "../db/schema.js";
import { decodeCursor, encodeCursor, refuseCursor } from "../tickets/cursor.js";
import { plainText, preview } from "./excerpt.js";

/**
 * The FTS5 index the migrations build over `faqs` (external content, keyed by rowid).
 * Declared here, not in schema.ts, so drizzle-kit never tries to create or diff a virtual table.
 */
const faqsFts = sqliteTable("faqs_fts", {
  rowid: integer("rowid").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull(),
});

/** Enough words for any real question while keeping one query's cost bounded. */
const MAX_TERMS = 12;
/** A title hit counts five times a body hit when ranking. */
const TITLE_WEIGHT = 5.0;
const BODY_WEIGHT = 1.0;
/** Previews never need the whole article; reading a prefix keeps list queries light. */
const PREVIEW_SOURCE_CHARS = 800;

// Control characters cannot appear in the tokens we match, so they mark highlights unambiguously
// until the markdown has been stripped; then they become the `**` the API promises.
const MARK_START = "\u0002";
const MARK_END = "\u0003";

/**
 * Turns what a visitor typed into an FTS5 query that cannot be malformed: each word becomes a
 * quoted prefix term (`"pass"* "reset"*`, all of which must match). Quotes, parentheses, `*`,
 * `:`, `^` and operators in the input are only separators or plain words, never syntax.
 * Null when nothing searchable is left.
 *
 * @example toFtsQuery('reset AND (pass*') === '"reset"* "AND"* "pass"*'
 */
export function toFtsQuery(input: string): string | null {
  const words = input.normalize("NFKC").match(/[\p{L}\p{N}\p{M}]+/gu);
  if (!words) return null;
  return words
    .slice(0, MAX_TERMS)
    .map((word) => `"${word}"*`)
    .join(" ");
}

const ADJACENT_MARKS = new RegExp(`${MARK_END}(\\s+)${MARK_START}`, "g");

/** A snippet as plain text with matched words in `**`; neighbouring matches share one pair. */
function highlighted(snippet: string): string {
  return plainText(snippet.replace(ADJACENT_MARKS, "$1"))
    .replaceAll(MARK_START, "**")
    .replaceAll(MARK_END, "**");
}

// Ranked results have no stable key to resume from, so their cursor is an offset, tagged so
// that it cannot be confused with a title cursor.
const SEARCH_CURSOR_TAG = "search";

function searchOffset(cursor: string | undefined): number {
  const position = decodeCursor(cursor);
  if (!position) return 0;
  const { value, id } = position;
  if (id !== SEARCH_CURSOR_TAG || typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw refuseCursor("this cursor belongs to a listing without q");
  }
  return value;
}

function titleAfter(cursor: string | undefined) {
  const position = decodeCursor(cursor);
  if (!position) return undefined;
  if (typeof position.value !== "string" || position.id === SEARCH_CURSOR_TAG) {
    throw refuseCursor("this cursor belongs to a search with q");
  }
  return or(gt(faqs.title, position.value), and(eq(faqs.title, position.value), gt(faqs.id, position.id)));
}

/** What a visitor may see: published articles of their site, optionally of one category. */
const visible = (siteId: string, category: string | undefined) =>
  and(eq(faqs.siteId, siteId), eq(faqs.published, true), category ? eq(categories.slug, category) : undefined);

async function searchByRank(orm: Reader, siteId: string, query: FaqListQuery & { q: string }): Promise<Page<FaqSummary>> {
  const match = toFtsQuery(query.q);
  if (!match) return { items: [], nextCursor: null };
  const offset = searchOffset(query.cursor);
  const rows = await orm
    .select({
      slug: faqs.slug,
      title: faqs.title,
      category: categories.slug,
      snippet: sql<string>`snippet(${faqsFts}, 1, ${MARK_START}, ${MARK_END}, '…', 24)`,
    })
    .from(faqsFts)
    .innerJoin(faqs, sql`${faqs}.rowid = ${faqsFts.rowid}`)
    .leftJoin(categories, eq(categories.id, faqs.categoryId))
    .where(and(sql`${faqsFts} MATCH ${match}`, visible(siteId, query.category)))
    .orderBy(sql`bm25(${faqsFts}, ${sql.raw(String(TITLE_WEIGHT))}, ${sql.raw(String(BODY_WEIGHT))})`, asc(faqs.title))
    .limit(query.limit + 1)
    .offset(offset);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      slug: row.slug,
      title: row.title,
      category: row.category,
      excerpt: highlighted(row.snippet),
    })),
    nextCursor: rows.length > query.limit ? encodeCursor(offset + query.limit, SEARCH_CURSOR_TAG) : null,
  };
}

async function listByTitle(orm: Reader, siteId: string, query: FaqListQuery): Promise<Page<FaqSummary>> {
  const rows = await orm
    .select({
      id: faqs.id,
      slug: faqs.slug,
      title: faqs.title,
      category: categories.slug,
      opening: sql<string>`substr(${faqs.body}, 1, ${PREVIEW_SOURCE_CHARS})`,
    })
    .from(faqs)
    .leftJoin(categories, eq(categories.id, faqs.categoryId))
    .where(and(visible(siteId, query.category), titleAfter(query.cursor)))
    .orderBy(asc(faqs.title), asc(faqs.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ slug: row.slug, title: row.title, category: row.category, excerpt: preview(row.opening) })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.title, last.id) : null,
  };
}

/**
 * A site's published articles: ranked by relevance (bm25, titles weighted up) with a
 * highlighted excerpt, matched words wrapped in `**`, when `q` is given; otherwise by title.
 */
export function findFaqs(orm: Reader, siteId: string, query: FaqListQuery): Promise<Page<FaqSummary>> {
  const { q } = query;
  return q === undefined ? listByTitle(orm, siteId, query) : searchByRank(orm, siteId, { ...query, q });
}
