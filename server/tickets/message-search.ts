import { sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { MessageHit, MessageSearchQuery, Page } from "../../protocol/index.js";
import { executorOf, type Reader } from "../db/client.js";
import { compile } from "../db/statement.js";
import { MARK_END, MARK_START, markedRanges, starred, toFtsQuery } from "../domain/fts-query.js";
import { isoTime } from "../domain/iso-time.js";
import type { SiteScope } from "../domain/site-scope.js";
import { decodeIntegerCursor, encodeCursor, refuseCursor } from "./cursor.js";

const CURSOR_TAG = "messages";

/**
 * Newest matches first, walking the FTS index in rowid order: the index answers in that order,
 * so the scan stops after a page, and the snippet (which re-reads the body) is made for the
 * page's rows only. Site scoping is a join on the message's ticket; a null `sites` is every site.
 */
const dialect = new SQLiteSyncDialect();
const searchSql = sql`select m.rowid, m.id, m.ticket_id, t.number, m.seq, m.sender_type, m.internal, m.created_at,
        snippet(messages_fts, 0, ${MARK_START}, ${MARK_END}, '…', 16)
      from messages_fts
      join messages m on m.rowid = messages_fts.rowid
      join tickets t on t.id = m.ticket_id
      where messages_fts match ${sql.placeholder("match")}
        and messages_fts.rowid < ${sql.placeholder("before")}
        and (${sql.placeholder("sites")} is null or t.site_id in (select value from json_each(${sql.placeholder("sites")})))
      order by messages_fts.rowid desc
      limit ${sql.placeholder("limit")}`;
const searchStatement = compile<{ match: string; before: number; sites: string | null; limit: number }>({ toSQL: () => dialect.sqlToQuery(searchSql) });

function before(cursor: string | undefined): number {
  const position = decodeIntegerCursor(cursor);
  if (!position) return Number.MAX_SAFE_INTEGER;
  if (position.id !== CURSOR_TAG) throw refuseCursor("this cursor belongs to another listing");
  return position.value;
}

/**
 * Messages and internal notes of the tickets an agent may see that match `q` (all words, the
 * last one as a prefix). There is no visitor side: customers never search messages.
 */
export async function searchMessages(reader: Reader, scope: SiteScope, query: MessageSearchQuery): Promise<Page<MessageHit>> {
  const match = toFtsQuery(query.q);
  if (!match || (!scope.all && scope.siteIds.length === 0)) return { items: [], nextCursor: null };
  const rows = await searchStatement.rows(executorOf(reader), {
    match,
    before: before(query.cursor),
    sites: scope.all ? null : JSON.stringify(scope.siteIds),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => {
      const marked = String(row[8] ?? "").replace(/\s+/g, " ");
      return {
        messageId: String(row[1]),
        ticketId: String(row[2]),
        ticketNumber: String(row[3]),
        seq: Number(row[4]),
        senderType: String(row[5]) as MessageHit["senderType"],
        internal: Number(row[6]) === 1,
        createdAt: isoTime(Number(row[7])),
        excerpt: starred(marked),
        snippet: markedRanges(marked),
      };
    }),
    nextCursor: rows.length > query.limit && last ? encodeCursor(Number(last[0]), CURSOR_TAG) : null,
  };
}
