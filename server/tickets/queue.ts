import { and, asc, desc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { AgentTicketListQuery, TicketSort } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { categories, tickets } from "../db/schema.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { TicketRow } from "./views.js";

const rank = sql`(case ${tickets.priority} when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end)`;

/**
 * Every queue order is one numeric key plus the id as tiebreak, so one keyset cursor
 * shape serves them all. `priority` puts urgent first and, within a priority, the oldest.
 */
const sortKeys: Record<TicketSort, { key: SQL<number>; direction: "asc" | "desc" }> = {
  "-created": { key: sql<number>`${tickets.createdAt}`, direction: "desc" },
  created: { key: sql<number>`${tickets.createdAt}`, direction: "asc" },
  "-updated": { key: sql<number>`${tickets.updatedAt}`, direction: "desc" },
  priority: { key: sql<number>`(${rank} * 10000000000000 + (9999999999999 - ${tickets.createdAt}))`, direction: "desc" },
  due: { key: sql<number>`coalesce(${tickets.resolutionDueAt}, 9000000000000000)`, direction: "asc" },
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function queryQueue(
  orm: Reader,
  query: AgentTicketListQuery,
  agentId: string,
): Promise<{ rows: TicketRow[]; nextCursor: string | null }> {
  const { key, direction } = sortKeys[query.sort];
  const cursor = decodeCursor(query.cursor);
  const pattern = query.q ? `%${escapeLike(query.q)}%` : null;
  const likeAny = (text: string) =>
    or(
      ...[tickets.subject, tickets.number, tickets.customerEmail, tickets.customerName, tickets.description].map(
        (column) => sql`${column} like ${text} escape '\\'`,
      ),
    );
  const after = cursor
    ? direction === "desc"
      ? sql`(${key} < ${cursor.value} or (${key} = ${cursor.value} and ${tickets.id} < ${cursor.id}))`
      : sql`(${key} > ${cursor.value} or (${key} = ${cursor.value} and ${tickets.id} > ${cursor.id}))`
    : undefined;
  const assignee =
    query.assignee === undefined
      ? undefined
      : query.assignee === "none"
        ? isNull(tickets.assigneeId)
        : eq(tickets.assigneeId, query.assignee === "me" ? agentId : query.assignee);

  const rows = await orm
    .select({ ticket: tickets, sortKey: key })
    .from(tickets)
    .leftJoin(categories, eq(categories.id, tickets.categoryId))
    .where(
      and(
        query.status ? eq(tickets.status, query.status) : undefined,
        query.priority ? eq(tickets.priority, query.priority) : undefined,
        query.category ? eq(categories.slug, query.category) : undefined,
        query.department ? eq(tickets.departmentId, query.department) : undefined,
        query.site ? eq(tickets.siteId, query.site) : undefined,
        assignee,
        pattern ? likeAny(pattern) : undefined,
        after,
      ),
    )
    .orderBy(direction === "desc" ? desc(key) : asc(key), direction === "desc" ? desc(tickets.id) : asc(tickets.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    rows: page.map((row) => row.ticket),
    nextCursor: rows.length > query.limit && last ? encodeCursor(Number(last.sortKey), last.ticket.id) : null,
  };
}

