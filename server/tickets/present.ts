import { inArray } from "drizzle-orm";
import type { AgentTicket } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { visitors } from "../db/schema.js";
import { categorySlugs, slugOf, unreadCounts } from "./access.js";
import { toAgentTicket, type TicketRow } from "./views.js";

/** Renders tickets for agents, loading category slugs, unread counts and identity in three queries. */
export async function presentAgentTickets(orm: Reader, rows: TicketRow[]): Promise<AgentTicket[]> {
  if (rows.length === 0) return [];
  const visitorIds = rows.flatMap((row) => (row.visitorId ? [row.visitorId] : []));
  const [slugs, unread, verifiedRows] = await Promise.all([
    categorySlugs(orm),
    unreadCounts(orm, rows, "agent"),
    visitorIds.length
      ? orm.select({ id: visitors.id, verified: visitors.verified }).from(visitors).where(inArray(visitors.id, visitorIds))
      : Promise.resolve([]),
  ]);
  const verified = new Map(verifiedRows.map((row) => [row.id, row.verified]));
  return rows.map((row) =>
    toAgentTicket(row, slugOf(slugs, row.categoryId), unread.get(row.id) ?? 0, row.visitorId ? (verified.get(row.visitorId) ?? false) : false),
  );
}

export async function presentAgentTicket(orm: Reader, row: TicketRow): Promise<AgentTicket> {
  const [ticket] = await presentAgentTickets(orm, [row]);
  return ticket!;
}
