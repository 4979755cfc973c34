import { inArray } from "drizzle-orm";
import type { AgentTicket } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { readCategoryTable, type CategoryTable } from "../db/reference-cache.js";
import { visitors } from "../db/schema.js";
import { ticketContactVerified } from "../domain/visitor-profile.js";
import { unreadCounts } from "./access.js";
import { toAgentTicket, type TicketRow } from "./views.js";

/**
 * Renders tickets for agents, loading unread counts and identity (with what the site's signature covered) in two queries; the category
 * table comes from the caller's cache (services.reference), or a third query without one.
 */
export async function presentAgentTickets(orm: Reader, rows: TicketRow[], categories?: CategoryTable): Promise<AgentTicket[]> {
  if (rows.length === 0) return [];
  const visitorIds = rows.flatMap((row) => (row.visitorId ? [row.visitorId] : []));
  const [table, unread, visitorRows] = await Promise.all([
    categories ?? readCategoryTable(orm),
    unreadCounts(orm, rows, "agent"),
    visitorIds.length
      ? orm
          .select({ id: visitors.id, verified: visitors.verified, name: visitors.name, nameVerified: visitors.nameVerified, email: visitors.email, emailVerified: visitors.emailVerified })
          .from(visitors)
          .where(inArray(visitors.id, visitorIds))
      : Promise.resolve([]),
  ]);
  const profiles = new Map(visitorRows.map((row) => [row.id, row]));
  const unverified = { verified: false, nameVerified: false, emailVerified: false };
  return rows.map((row) => {
    const profile = row.visitorId ? profiles.get(row.visitorId) : undefined;
    // Only the contact the site's signature covered counts; a typed or merely sent one never does.
    const identity = profile ? { verified: profile.verified, ...ticketContactVerified(profile, { name: row.customerName, email: row.customerEmail }) } : unverified;
    return toAgentTicket(row, table.slugOf(row.categoryId), unread.get(row.id) ?? 0, identity);
  });
}

export async function presentAgentTicket(orm: Reader, row: TicketRow, categories?: CategoryTable): Promise<AgentTicket> {
  const [ticket] = await presentAgentTickets(orm, [row], categories);
  return ticket!;
}
