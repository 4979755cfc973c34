import { and, asc, desc, eq, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { AgentTicketListQuery, TicketSort } from "../../protocol/index.js";
import { executorOf, type Database, type Reader } from "../db/client.js";
import type { CategoryTable } from "../db/reference-cache.js";
import { NO_DUE_DATE, categories, tickets, visitors } from "../db/schema.js";
import { stampedCachePerDatabase } from "../db/stamped-cache.js";
import { compile, compileJsonRows, compiledByShape, compiler, jsonArrayOf, type CompiledJsonRows } from "../db/statement.js";
import { EVERY_SITE, type SiteScope } from "../domain/site-scope.js";
import { nextDueAt, priorityRank } from "../domain/sla.js";
import { ticketRow } from "./access.js";
import { decodeKeyset, encodeKeyset } from "./cursor.js";
import { extrasFields, readExtras, type TicketExtras } from "./present.js";
import { createPresentedTickets, type FoundTicket, type KeptTicket } from "./presented-tickets.js";
import type { TicketRow } from "./views.js";

/**
 * Every queue order is a list of stored columns read in one direction, then the rowid. Each
 * has an index ending in those columns (schema.ts), alone and behind `status`, `assignee_id`
 * or both, so a page is read in order and SQLite never sorts. The rowid is the
 * tiebreak because every index already carries it: an explicit id would widen them all.
 * `priority` puts urgent first and, within a priority, the oldest.
 */
interface SortKey {
  column: SQLiteColumn;
  of: (row: TicketRow) => number;
}
const created: SortKey = { column: tickets.createdAt, of: (row) => row.createdAt };
const orders: Record<TicketSort, { keys: SortKey[]; direction: "asc" | "desc" }> = {
  "-created": { keys: [created], direction: "desc" },
  created: { keys: [created], direction: "asc" },
  "-updated": { keys: [{ column: tickets.updatedAt, of: (row) => row.updatedAt }], direction: "desc" },
  priority: { keys: [{ column: tickets.priorityRank, of: (row) => row.priorityRank }, created], direction: "asc" },
  // The pending SLA target's due time; paused, finished and policy-less tickets after every real one.
  // The row does not carry the virtual column (see ticketRow); the domain rule gives the same value.
  due: { keys: [{ column: tickets.slaDueAt, of: (row) => nextDueAt(row) ?? NO_DUE_DATE }], direction: "asc" },
};

const rowid = sql<number>`${tickets}.rowid`;

/** The filter whose index also serves the order, or none when only the order's own index fits. */
type Lead = "at_risk" | "assignee+status" | "status" | "assignee" | "priority" | null;

function leadOf(query: AgentTicketListQuery): Lead {
  // The watched tickets are few (those whose clock runs toward a target not yet missed), fewer
  // than any status's or agent's: their own indexes (tickets_watched_*) lead whatever else is asked.
  if (query.sla === "at_risk") return "at_risk";
  if (query.status && query.assignee !== undefined) return "assignee+status";
  if (query.status) return "status";
  if (query.assignee !== undefined) return "assignee";
  // (priority_rank, created_at) serves the created orders and the priority order once the rank is fixed.
  if (query.priority && (query.sort === "created" || query.sort === "-created" || query.sort === "priority")) return "priority";
  return null;
}

/**
 * A column the planner must not pick an index for. SQLite uses an index only for a bare
 * column; unary `+` leaves the value as it is but hides the column, so a filter that does not
 * lead is checked row by row along the order's index instead of tempting the planner into
 * another index (say assignee + status) and a sort of every row it matches.
 */
const residual = (column: SQLiteColumn) => sql`+${column}`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
const searched = [tickets.subject, tickets.number, tickets.customerEmail, tickets.customerName, tickets.description];

const placeholder = (name: string) => sql.placeholder(name);

/**
 * The queue's `sla` filter: `slaState` (server/domain/sla.ts) in SQL, against the server's
 * clock (`now`). Only tickets whose clock runs qualify (paused and finished ones are neither
 * ok, at risk nor breached). Under the `due` order the due time is a range on the order's own
 * index, so SQLite seeks past the overdue tickets instead of reading them; elsewhere every
 * column is checked row by row along the order's index.
 */
function slaFilter(state: NonNullable<AgentTicketListQuery["sla"]>, dueLeads: boolean, watchedLeads: boolean): SQL {
  const due = dueLeads ? tickets.slaDueAt : residual(tickets.slaDueAt);
  const now = placeholder("now");
  // `sla_watched = 1` is running and not flagged, as one indexed column (tickets_watched_*).
  if (state === "at_risk" && watchedLeads) return sql`${tickets.slaWatched} = 1 and ${due} > ${now} and ${residual(tickets.slaWarnAt)} <= ${now}`;
  const running = sql`${residual(tickets.status)} not in ('pending_customer', 'resolved', 'closed')`;
  const flagged = sql`(${residual(tickets.firstResponseBreachedAt)} is not null or ${residual(tickets.resolutionBreachedAt)} is not null)`;
  switch (state) {
    case "breached":
      return sql`${running} and (${flagged} or ${residual(tickets.slaDueAt)} <= ${now})`;
    case "at_risk":
      return sql`${running} and not ${flagged} and ${due} > ${now} and ${residual(tickets.slaWarnAt)} <= ${now}`;
    case "ok":
      return sql`${running} and not ${flagged} and ${due} > ${now} and ${residual(tickets.slaWarnAt)} > ${now}`;
  }
}

/** What decides the statement's text; the values travel as placeholders. */
function shapeOf(query: AgentTicketListQuery, hasCursor: boolean, matched: boolean, scoped: boolean): string {
  const assignee = query.assignee === undefined ? "" : query.assignee === "none" ? "none" : "id";
  return [
    query.sort,
    leadOf(query) ?? "",
    query.status ? "s" : "",
    query.priority ? "p" : "",
    query.category ? "c" : "",
    assignee,
    query.department ? "d" : "",
    query.site ? "w" : "",
    query.tag ? "t" : "",
    scoped ? "m" : "",
    query.sla ?? "",
    query.q ? (matched ? "matched" : "q") : "",
    hasCursor ? "after" : "",
  ].join("|");
}

/**
 * `matched`: the search index found few tickets (`matchedRowids`), and the page is read from
 * their rowids: every filter is then checked row by row and the few rows sorted, which beats
 * walking an order's index through tickets that almost all fail the search.
 */
function buildQueue(query: AgentTicketListQuery, hasCursor: boolean, matched: boolean, scoped: boolean): CompiledJsonRows<Record<string, unknown>> {
  const { keys, direction } = orders[query.sort];
  const lead = matched ? null : leadOf(query);
  const column = (col: SQLiteColumn, leads: boolean) => (leads ? col : residual(col));

  const filters: (SQL | undefined)[] = [];
  if (query.status) filters.push(sql`${column(tickets.status, lead === "status" || lead === "assignee+status")} = ${placeholder("status")}`);
  if (query.assignee !== undefined) {
    const assignee = column(tickets.assigneeId, lead === "assignee" || lead === "assignee+status");
    filters.push(query.assignee === "none" ? sql`${assignee} is null` : sql`${assignee} = ${placeholder("assignee")}`);
  }
  if (query.priority) {
    filters.push(
      lead === "priority"
        ? sql`${tickets.priorityRank} = ${placeholder("rank")}`
        : sql`${residual(tickets.priority)} = ${placeholder("priority")}`,
    );
  }
  if (query.category) {
    const categoryId = compiler.select({ id: categories.id }).from(categories).where(eq(categories.slug, placeholder("category")));
    filters.push(sql`${residual(tickets.categoryId)} = (${categoryId})`);
  }
  if (query.department) filters.push(sql`${residual(tickets.departmentId)} = ${placeholder("department")}`);
  if (query.site) filters.push(sql`${residual(tickets.siteId)} = ${placeholder("site")}`);
  // Tags are a JSON array on the ticket (a few at most): checked row by row along the order's index.
  if (query.tag) filters.push(sql`exists (select 1 from json_each(${residual(tickets.tags)}) where value = ${placeholder("tag")})`);
  // The agent's own sites (tickets/scope.ts), checked along the order's index like the site filter.
  if (scoped) filters.push(sql`${residual(tickets.siteId)} in (select value from json_each(${placeholder("sites")}))`);
  if (query.sla) filters.push(slaFilter(query.sla, query.sort === "due" && !matched, lead === "at_risk"));
  if (matched) {
    filters.push(sql`${tickets}.rowid in (select value from json_each(${placeholder("rowids")}))`);
  } else if (query.q) {
    filters.push(or(...searched.map((col) => sql`${col} like ${placeholder("pattern")} escape '\\'`)));
  }
  if (hasCursor) {
    // One row-value comparison in the index's own order: SQLite seeks to it instead of
    // skipping the pages before it. Hidden from the planner when the rowids lead.
    const position = sql.join([...keys.map((key) => (matched ? residual(key.column) : key.column)), matched ? sql`+${rowid}` : rowid], sql`, `);
    const values = sql.join([...keys.map((_, i) => placeholder(`k${i}`)), placeholder("rowid")], sql`, `);
    filters.push(direction === "desc" ? sql`(${position}) < (${values})` : sql`(${position}) > (${values})`);
  }

  const by = direction === "desc" ? desc : asc;
  // A page is many rows of many columns: read as one JSON text (statement.ts), each row the
  // ticket's columns, its rowid (the cursor's tiebreak) and what presenting it needs, so one
  // statement answers the whole page. The left join keeps tickets the outer loop, along the index.
  return compileJsonRows(
    compiler
      .select({ r: jsonArrayOf([...Object.values(ticketRow.columns), rowid, ...extrasFields]).as("r") })
      .from(tickets)
      .leftJoin(visitors, eq(visitors.id, tickets.visitorId))
      .where(and(...filters))
      .orderBy(...keys.map((key) => by(key.column)), by(rowid))
      .limit(placeholder("limit")),
  );
}

// Compiled once per shape (a queue has a few dozen) and read as plain rows: drizzle would
// rebuild the text on every request and the driver wrap every row in an object.
interface QueueShape {
  query: AgentTicketListQuery;
  hasCursor: boolean;
  matched: boolean;
  scoped: boolean;
}
const queueByShape = compiledByShape(
  ({ query, hasCursor, matched, scoped }: QueueShape) => buildQueue(query, hasCursor, matched, scoped),
  ({ query, hasCursor, matched, scoped }) => shapeOf(query, hasCursor, matched, scoped),
);

function statementFor(query: AgentTicketListQuery, hasCursor: boolean, matched: boolean, scoped: boolean): CompiledJsonRows<Record<string, unknown>> {
  return queueByShape({ query, hasCursor, matched, scoped });
}

/**
 * Up to this many search matches, the page is built from the matches (sorted in memory); beyond
 * it the search term is common enough that walking the order's index finds a page of them
 * within a few thousand rows.
 */
export const FEW_MATCHES = 2000;

/** Three characters make one trigram: the index cannot look up anything shorter. */
const searchable = (q: string) => [...q].length >= 3;

const selectMatches = compile<{ phrase: string; limit: number }>(
  compiler
    .select({ rowid: sql<number>`rowid` })
    .from(sql`tickets_search`)
    .where(sql`tickets_search match ${sql.placeholder("phrase")}`)
    .limit(sql.placeholder("limit")),
);

/** The rowids of tickets whose text contains `q`, or null when there are more than FEW_MATCHES. */
async function matchedRowids(orm: Reader, q: string): Promise<number[] | null> {
  // One quoted phrase: the trigram tokenizer matches it as a substring, case-insensitively, as LIKE does.
  const phrase = `"${q.replace(/"/g, '""')}"`;
  const rows = await selectMatches.rows(executorOf(orm), { phrase, limit: FEW_MATCHES + 1 });
  return rows.length > FEW_MATCHES ? null : rows.map((row) => Number(row[0]));
}

function valuesOf(query: AgentTicketListQuery, agentId: string, cursor: number[] | null, scope: SiteScope, now: number): Record<string, unknown> {
  const values: Record<string, unknown> = {
    sites: scope.all ? undefined : JSON.stringify(scope.siteIds),
    limit: query.limit + 1,
    now,
    status: query.status,
    assignee: query.assignee === "me" ? agentId : query.assignee,
    priority: query.priority,
    rank: query.priority ? priorityRank[query.priority] : undefined,
    category: query.category,
    department: query.department,
    site: query.site,
    tag: query.tag?.toLowerCase(),
    pattern: query.q ? `%${escapeLike(query.q)}%` : undefined,
  };
  const keyCount = orders[query.sort].keys.length;
  cursor?.forEach((value, i) => (values[i === keyCount ? "rowid" : `k${i}`] = value));
  return values;
}

const cursorOf = (query: AgentTicketListQuery) => decodeKeyset(query.cursor, orders[query.sort].keys.length + 1);

/** The SQL and arguments a queue request runs, for EXPLAIN QUERY PLAN in tests and benches. */
export function queueStatement(
  query: AgentTicketListQuery,
  agentId: string,
  matched?: number[],
  scope: SiteScope = EVERY_SITE,
  now = Date.now(),
): { sql: string; args: unknown[] } {
  const cursor = cursorOf(query);
  const statement = statementFor(query, cursor !== null, matched !== undefined, !scope.all);
  return { sql: statement.sql, args: statement.args({ ...valuesOf(query, agentId, cursor, scope, now), rowids: JSON.stringify(matched ?? []) }) };
}

/** A page of the queue: the tickets, what presenting each needs (`presentWithExtras`), and the next page's cursor. */
export interface QueuePage {
  rows: TicketRow[];
  extras: TicketExtras[];
  nextCursor: string | null;
}

/** Reads one row's text as the statement wrote it (see buildQueue). */
export function readFoundTicket(text: string): FoundTicket {
  const values = JSON.parse(text) as unknown[];
  return { row: ticketRow.read(values), rowid: Number(values[ticketRow.width]), extras: readExtras(values, ticketRow.width + 1) };
}

/** The order's comparison, applied to what the statement answered (see compileJsonRows). */
function comparatorOf(sort: TicketSort): (a: FoundTicket, b: FoundTicket) => number {
  const { keys, direction } = orders[sort];
  const sign = direction === "desc" ? -1 : 1;
  return (a, b) => {
    for (const key of keys) {
      const difference = key.of(a.row) - key.of(b.row);
      if (difference !== 0) return sign * difference;
    }
    return sign * (a.rowid - b.rowid);
  };
}

/**
 * The texts of the rows a page is made of (up to one more than the page, which says whether
 * another follows), in no particular order, for an agent whose `scope` names the sites it works
 * on (every site: no filter at all); `now` is the server's clock, which the `sla` filter reads
 * against.
 */
async function queueRowTexts(orm: Reader, query: AgentTicketListQuery, agentId: string, scope: SiteScope, now: number): Promise<string[]> {
  const cursor = cursorOf(query);
  if (!scope.all && scope.siteIds.length === 0) return [];
  const matched = query.q && searchable(query.q) ? await matchedRowids(orm, query.q) : null;
  if (matched?.length === 0) return [];
  const values = valuesOf(query, agentId, cursor, scope, now);
  if (matched) values.rowids = JSON.stringify(matched);
  return statementFor(query, cursor !== null, matched !== null, !scope.all).texts(executorOf(orm), values);
}

/** Puts what the statement answered in the page's order, cuts the page, and says where the next one starts. */
function cutPage<T extends FoundTicket>(found: T[], query: AgentTicketListQuery): { page: T[]; nextCursor: string | null } {
  found.sort(comparatorOf(query.sort));
  const page = found.slice(0, query.limit);
  const last = page.at(-1);
  const { keys } = orders[query.sort];
  return { page, nextCursor: found.length > query.limit && last ? encodeKeyset([...keys.map((key) => key.of(last.row)), last.rowid]) : null };
}

/**
 * A page of the queue of an agent whose `scope` names the sites it works on (every site: no
 * filter at all); `now` is the server's clock, which the `sla` filter reads against.
 */
export async function queryQueue(orm: Reader, query: AgentTicketListQuery, agentId: string, scope: SiteScope, now = Date.now()): Promise<QueuePage> {
  const texts = await queueRowTexts(orm, query, agentId, scope, now);
  const { page, nextCursor } = cutPage(texts.map(readFoundTicket), query);
  return { rows: page.map((item) => item.row), extras: page.map((item) => item.extras), nextCursor };
}

// Shared by every request of this process: what it holds is worked out from the row's text alone.
// A thousand tickets (about 4 MB when descriptions are a few lines) cover the pages a team's
// inboxes keep reading. A row's text opens with the ticket's id (ticketRow's first column): up
// to the first comma names it.
const presentedTickets = createPresentedTickets(readFoundTicket, (text) => text.slice(0, text.indexOf(",")), 1000);

// The pages agents' inboxes read, kept while the database stays as it was (stamped-cache.ts):
// every queue event makes each open inbox read its page again, and most reads change nothing.
const keptPages = stampedCachePerDatabase<{ page: KeptTicket[]; nextCursor: string | null }>(500);

/**
 * The same page as `queryQueue`, presented (`presentWithExtras`) and serialized: the text of
 * `{ items, nextCursor }` exactly as `JSON.stringify` writes it. The statement runs only when the
 * database changed since this agent last read this page (the `sla` filter, which reads the clock,
 * always runs it). A ticket whose row, category slug and SLA state are those of an earlier page
 * is not presented again (presented-tickets.ts).
 */
export async function queueJson(
  db: Pick<Database, "orm" | "changeStamp">,
  query: AgentTicketListQuery,
  agentId: string,
  scope: SiteScope,
  categories: CategoryTable,
  now: number,
  stamp = db.changeStamp(),
): Promise<string> {
  const read = async () => {
    const texts = await queueRowTexts(db.orm, query, agentId, scope, now);
    return cutPage(texts.map((text) => presentedTickets.found(text)), query);
  };
  const key = `${agentId} ${scope.all ? "*" : scope.siteIds.join(",")} ${JSON.stringify(query)}`;
  const { page, nextCursor } = query.sla ? await read() : await keptPages(db).remember(key, stamp, read);
  return `{"items":[${page.map((ticket) => presentedTickets.json(ticket, categories, now)).join(",")}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}
