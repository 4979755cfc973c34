import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { FaqListQuery, FaqSummary, Page } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { categories, faqs } from "../db/schema.js";
import { decodeCursor, encodeCursor, refuseCursor } from "../tickets/cursor.js";
import { MARK_END, MARK_START, markedRanges, queryWords, starred, toFtsQuery } from "../domain/fts-query.js";
import { correctedWords } from "./typos.js";
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

/** A title hit counts five times a body hit when ranking. */
const TITLE_WEIGHT = 5.0;
const BODY_WEIGHT = 1.0;
/** Previews never need the whole article; reading a prefix keeps list queries light. */
const PREVIEW_SOURCE_CHARS = 800;

export { toFtsQuery };

/** A snippet as plain text with matched words in `**`, and as text with match ranges. */
function highlighted(snippet: string) {
  const plain = plainText(snippet);
  return { excerpt: starred(plain), snippet: markedRanges(plain) };
}

// Ranked results have no stable key to resume from, so their cursor is an offset, tagged so
// that it cannot be confused with a title cursor.
const SEARCH_CURSOR_TAG = "search";
/**
 * How deep ranked results page. Each page reads every better-ranked match before it, so an
 * offset past this is refused rather than read (a forged huge one once overflowed the SQL limit).
 */
export const MAX_SEARCH_OFFSET = 10_000;

function searchOffset(cursor: string | undefined): number {
  const position = decodeCursor(cursor);
  if (!position) return 0;
  const { value, id } = position;
  if (id !== SEARCH_CURSOR_TAG || typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw refuseCursor("this cursor belongs to a listing without q");
  }
  if (value > MAX_SEARCH_OFFSET) throw refuseCursor(`search results page no deeper than ${MAX_SEARCH_OFFSET}`);
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

/** Within a category articles follow their position, then title: the cursor carries both. */
function placeAfter(cursor: string | undefined) {
  const position = decodeCursor(cursor);
  if (!position) return undefined;
  let place: unknown;
  try {
    place = typeof position.value === "string" ? JSON.parse(position.value) : undefined;
  } catch {
    place = undefined;
  }
  if (!Array.isArray(place) || place.length !== 2 || !Number.isSafeInteger(place[0]) || typeof place[1] !== "string") {
    throw refuseCursor("this cursor belongs to a listing of another category filter or a search");
  }
  const [rank, title] = place as [number, string];
  return sql`(${faqs.position}, ${faqs.title}, ${faqs.id}) > (${rank}, ${title}, ${position.id})`;
}

const taggedWith = (tag: unknown) => sql`exists (select 1 from json_each(${faqs.tags}) where value = ${tag})`;

/** What a visitor may see: published articles of their site, optionally of one category or tag. */
const visible = (siteId: string, query: Pick<FaqListQuery, "category" | "tag">) =>
  and(eq(faqs.siteId, siteId), eq(faqs.published, true), query.category ? eq(categories.slug, query.category) : undefined, query.tag ? taggedWith(query.tag) : undefined);

const ftsRowid = sql<number>`${faqsFts}.rowid`;
const bm25 = sql<number>`bm25(${faqsFts}, ${sql.raw(String(TITLE_WEIGHT))}, ${sql.raw(String(BODY_WEIGHT))})`;

/**
 * The best `k` matches over every site, ranked by FTS5 alone. Joined with the articles in the
 * same statement, SQLite would look up and snippet every matching article of the site before
 * sorting them; here ranking reads the index only, and the snippet (the costly part, which
 * re-reads and re-tokenizes the body) is made afterwards for the page's rows alone.
 */
function buildRanked(orm: Reader) {
  return orm
    .select({ rowid: ftsRowid, score: bm25 })
    .from(faqsFts)
    .where(sql`${faqsFts} MATCH ${sql.placeholder("match")}`)
    .orderBy(bm25)
    .limit(sql.placeholder("k"))
    .prepare();
}

function buildSnippets(orm: Reader) {
  return orm
    .select({ rowid: ftsRowid, snippet: sql<string>`snippet(${faqsFts}, 1, ${MARK_START}, ${MARK_END}, '…', 24)` })
    .from(faqsFts)
    .where(and(sql`${faqsFts} MATCH ${sql.placeholder("match")}`, sql`${ftsRowid} in (select value from json_each(${sql.placeholder("rowids")}))`))
    .prepare();
}

/** Which of a set of ranked articles this visitor may see, with what the page shows of them. */
function buildVisible(orm: Reader, withCategory: boolean) {
  const categoryId = orm.select({ id: categories.id }).from(categories).where(eq(categories.slug, sql.placeholder("category")));
  return orm
    .select({ rowid: sql<number>`${faqs}.rowid`, slug: faqs.slug, title: faqs.title, category: categories.slug, tags: faqs.tags })
    .from(faqs)
    .leftJoin(categories, eq(categories.id, faqs.categoryId))
    .where(
      and(
        sql`${faqs}.rowid in (select value from json_each(${sql.placeholder("rowids")}))`,
        // The unary plus keeps SQLite off the (site, slug) index: with it the planner walked every
        // article of the site to test its rowid against the list, instead of looking up the few rowids.
        sql`+${faqs.siteId} = ${sql.placeholder("siteId")}`,
        eq(faqs.published, true),
        withCategory ? sql`${faqs.categoryId} = (${categoryId})` : undefined,
        // A null tag matches every article.
        sql`(${sql.placeholder("tag")} is null or ${taggedWith(sql.placeholder("tag"))})`,
      ),
    )
    .prepare();
}

export interface SearchStatements {
  ranked: ReturnType<typeof buildRanked>;
  snippets: ReturnType<typeof buildSnippets>;
  visible: ReturnType<typeof buildVisible>;
  visibleInCategory: ReturnType<typeof buildVisible>;
}
// Built once per handle: drizzle would otherwise rebuild each statement's text per search.
const statements = new WeakMap<Reader, SearchStatements>();

export function searchStatements(orm: Reader): SearchStatements {
  let found = statements.get(orm);
  if (!found) {
    found = { ranked: buildRanked(orm), snippets: buildSnippets(orm), visible: buildVisible(orm, false), visibleInCategory: buildVisible(orm, true) };
    statements.set(orm, found);
  }
  return found;
}

/** Enough ranked matches for most pages of the biggest site at the first read; cheap, as no snippet is made. */
const FIRST_READ = 40;

/** Typo tolerance is for short queries: each corrected word costs a read of the vocabulary. */
const MAX_CORRECTED_WORDS = 2;

type Hit = { rowid: number; score: number; slug: string; title: string; category: string | null; tags: string[] };

/** The site's visible matches of `match`, best first, at least `need` of them when there are. */
async function visibleHits(statements: SearchStatements, siteId: string, query: Pick<FaqListQuery, "category" | "tag">, match: string, need: number): Promise<Hit[]> {
  const { ranked, visible, visibleInCategory } = statements;
  // Other sites' and unpublished articles share the index, so read ranked matches in growing
  // batches until `need` visible ones are certain: all ranked strictly better than the last
  // match read (a match tied with it may sit just past the batch), or every match read.
  let hits: Hit[] = [];
  for (let k = Math.max(FIRST_READ, need * 2); ; k *= 4) {
    const rows = await ranked.all({ match, k });
    const found = await (query.category ? visibleInCategory : visible).all({
      rowids: JSON.stringify(rows.map((row) => Number(row.rowid))),
      siteId,
      category: query.category,
      tag: query.tag ?? null,
    });
    const shown = new Map(found.map((row) => [Number(row.rowid), row]));
    const complete = rows.length < k;
    const last = rows.at(-1)?.score ?? 0;
    hits = rows.flatMap((row) => {
      const article = shown.get(Number(row.rowid));
      return article && (complete || row.score < last) ? [{ ...article, rowid: Number(row.rowid), score: row.score }] : [];
    });
    if (complete || hits.length >= need) break;
  }
  return hits.sort((a, b) => a.score - b.score || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
}

async function searchByRank(orm: Reader, siteId: string, query: FaqListQuery & { q: string }): Promise<Page<FaqSummary>> {
  const words = queryWords(query.q);
  let match = toFtsQuery(words);
  if (!match) return { items: [], nextCursor: null };
  const offset = searchOffset(query.cursor);
  const statements = searchStatements(orm);
  const need = offset + query.limit + 1;
  let hits = await visibleHits(statements, siteId, query, match, need);
  // Nothing at all for what was typed: one misspelt word is the likeliest reason. The same
  // correction is made for every page of the query, so its cursors keep working.
  let correctedQuery: string | undefined;
  if (hits.length === 0 && words.length <= MAX_CORRECTED_WORDS) {
    const corrected = await correctedWords(orm, words);
    if (corrected) {
      match = toFtsQuery(corrected)!;
      hits = await visibleHits(statements, siteId, query, match, need);
      correctedQuery = corrected.join(" ");
    }
  }
  const page = hits.slice(offset, offset + query.limit);
  const made = page.length > 0 ? await statements.snippets.all({ match, rowids: JSON.stringify(page.map((row) => row.rowid)) }) : [];
  const snippetOf = new Map(made.map((row) => [Number(row.rowid), row.snippet]));
  return {
    items: page.map((row) => ({
      slug: row.slug,
      title: row.title,
      category: row.category,
      tags: row.tags,
      ...highlighted(snippetOf.get(row.rowid) ?? ""),
      ...(correctedQuery === undefined ? {} : { correctedQuery }),
    })),
    // No cursor this API would refuse: the pages end at the depth limit.
    nextCursor: hits.length > offset + query.limit && offset + query.limit <= MAX_SEARCH_OFFSET ? encodeCursor(offset + query.limit, SEARCH_CURSOR_TAG) : null,
  };
}

/** Every article by title; one category's in the editor's order (position, then title). */
async function listByPlace(orm: Reader, siteId: string, query: FaqListQuery): Promise<Page<FaqSummary>> {
  const inCategory = query.category !== undefined;
  const rows = await orm
    .select({
      id: faqs.id,
      slug: faqs.slug,
      title: faqs.title,
      position: faqs.position,
      category: categories.slug,
      tags: faqs.tags,
      opening: sql<string>`substr(${faqs.body}, 1, ${PREVIEW_SOURCE_CHARS})`,
    })
    .from(faqs)
    .leftJoin(categories, eq(categories.id, faqs.categoryId))
    .where(and(visible(siteId, query), inCategory ? placeAfter(query.cursor) : titleAfter(query.cursor)))
    .orderBy(...(inCategory ? [asc(faqs.position)] : []), asc(faqs.title), asc(faqs.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ slug: row.slug, title: row.title, category: row.category, tags: row.tags, excerpt: preview(row.opening) })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(inCategory ? JSON.stringify([last.position, last.title]) : last.title, last.id) : null,
  };
}

/**
 * A site's published articles: ranked by relevance (bm25, titles weighted up) with a
 * highlighted excerpt, matched words wrapped in `**`, when `q` is given; otherwise by title, or
 * within a category by position then title. `tag` keeps the articles carrying it.
 */
/**
 * The slugs of a site's published articles holding any of `words` (each also as a prefix),
 * best first by the help centre's ranking (titles weighed over bodies), at most `limit`: one
 * ranked read of the index for a whole question, where a search per word would be one each.
 */
export async function articlesMatchingAny(orm: Reader, siteId: string, words: readonly string[], limit: number): Promise<string[]> {
  const terms = [...new Set(words.flatMap((word) => queryWords(word)))];
  if (terms.length === 0) return [];
  const match = terms.map((term) => `"${term}"*`).join(" OR ");
  const hits = await visibleHits(searchStatements(orm), siteId, {}, match, limit);
  return hits.slice(0, limit).map((hit) => hit.slug);
}

export function findFaqs(orm: Reader, siteId: string, query: FaqListQuery): Promise<Page<FaqSummary>> {
  const { q } = query;
  return q === undefined ? listByPlace(orm, siteId, query) : searchByRank(orm, siteId, { ...query, q });
}
