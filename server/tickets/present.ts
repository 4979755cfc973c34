import { inArray } from "drizzle-orm";
import type { AgentTicket } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { readCategoryTable, type CategoryTable } from "../db/reference-cache.js";
import { visitors } from "../db/schema.js";
import { unreadCounts } from "./access.js";
import { toAgentTicket, type TicketRow } from "./views.js";

/**
 * Renders tickets for agents, loading unread counts and identity in two queries; the category
 * table comes from the caller's cache (services.reference), or a third query without one.
 */
export async function presentAgentTickets(orm: Reader, rows: TicketRow[], categories?: CategoryTable): Promise<AgentTicket[]> {
  if (rows.length === 0) return [];
  const visitorIds = rows.flatMap((row) => (row.visitorId ? [row.visitorId] : []));
  const [table, unread, verifiedRows] = await Promise.all([
    categories ?? readCategoryTable(orm),
    unreadCounts(orm, rows, "agent"),
    visitorIds.length
      ? orm.select({ id: visitors.id, verified: visitors.verified }).from(visitors).where(inArray(visitors.id, visitorIds))
      : Promise.resolve([]),
  ]);
  const verified = new Map(verifiedRows.map((row) => [row.id, row.verified]));
  return rows.map((row) =>
    toAgentTicket(row, table.slugOf(row.categoryId), unread.get(row.id) ?? 0, row.visitorId ? (verified.get(row.visitorId) ?? false) : false),
  );
}

export async function presentAgentTicket(orm: Reader, row: TicketRow, categories?: CategoryTable): Promise<AgentTicket> {
  const [ticket] = await presentAgentTickets(orm, [row], categories);
  return ticket!;
}
