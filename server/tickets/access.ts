import { and, eq, gt, inArray, ne, sql } from "drizzle-orm";
import type { Reader as Orm } from "../db/client.js";
import { categories, messages, tickets } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import type { VisitorRow } from "../context.js";
import type { TicketRow } from "./views.js";

/** Loads a ticket by number or answers 404. */
export async function ticketByNumber(orm: Orm, number: string): Promise<TicketRow> {
  const ticket = await orm.query.tickets.findFirst({ where: eq(tickets.number, number) });
  if (!ticket) throw new ApiError("not_found", `ticket ${number} not found`);
  return ticket;
}

/** Loads a ticket the visitor owns: someone else's ticket is refused with 403, never shown. */
export async function visitorTicket(orm: Orm, visitor: VisitorRow, number: string): Promise<TicketRow> {
  const ticket = await ticketByNumber(orm, number);
  if (ticket.visitorId !== visitor.id || ticket.siteId !== visitor.siteId) {
    throw new ApiError("forbidden", `ticket ${number} is not yours`);
  }
  return ticket;
}

export async function categorySlugs(orm: Orm): Promise<Map<string, string>> {
  const rows = await orm.select({ id: categories.id, slug: categories.slug }).from(categories);
  return new Map(rows.map((row) => [row.id, row.slug]));
}

export const slugOf = (slugs: Map<string, string>, id: string | null) => (id ? (slugs.get(id) ?? null) : null);

/**
 * Unread counts for a set of tickets from one side's point of view: visible messages
 * from the other side with a seq above that side's read mark.
 */
export async function unreadCounts(orm: Orm, rows: TicketRow[], side: "customer" | "agent"): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const readSeq = side === "customer" ? tickets.visitorReadSeq : tickets.agentReadSeq;
  const fromOtherSide = side === "customer" ? ne(messages.senderType, "customer") : eq(messages.senderType, "customer");
  const counted = await orm
    .select({ ticketId: messages.ticketId, n: sql<number>`count(*)` })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(and(inArray(messages.ticketId, rows.map((row) => row.id)), eq(messages.internal, false), fromOtherSide, gt(messages.seq, readSeq)))
    .groupBy(messages.ticketId);
  return new Map(counted.map((row) => [row.ticketId, Number(row.n)]));
}
