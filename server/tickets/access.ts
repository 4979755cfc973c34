import { and, asc, desc, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import { executorOf, type Reader as Orm } from "../db/client.js";
import { messages, tickets } from "../db/schema.js";
import { compile, compiler, rowReader } from "../db/statement.js";
import { DomainError } from "../domain/errors.js";
import type { VisitorRow } from "../db/rows.js";
import type { MessageRow, TicketRow } from "./views.js";

// The SLA monitor's and the at-risk filter's index keys are never read back; computing them
// for every row of a queue page cost about a quarter of the page's query time.
export const ticketRow = rowReader(tickets, ["slaDueAt", "slaWarnAt", "slaAlarmAt", "slaWatched"]);
export const messageRow = rowReader(messages);

const selectTicket = compile<{ number: string }>(
  compiler.select(ticketRow.columns).from(tickets).where(eq(tickets.number, sql.placeholder("number"))).limit(1),
);

/** The visitor's unread count rides along with the ticket: visible messages from the team above the visitor's read mark. */
const selectTicketWithUnread = compile<{ number: string }>(
  compiler
    .select({
      ...ticketRow.columns,
      // Spelled out: in a one-table select drizzle leaves column names unqualified, and inside
      // the subquery a bare "id" would be the message's. (messages_ticket_seq_idx serves it.)
      unread: sql<number>`(${sql.raw(`select count(*) from "messages" m where m."ticket_id" = "tickets"."id" and m."internal" = 0 and m."sender_type" <> 'customer' and m."seq" > "tickets"."visitor_read_seq"`)})`,
    })
    .from(tickets)
    .where(eq(tickets.number, sql.placeholder("number")))
    .limit(1),
);

const selectMessagesAfter = {
  /** What a customer may see, by visible seq (messages_ticket_visible_seq_idx; notes have none). */
  visible: compile<{ ticketId: string; after: number; limit: number }>(
    compiler
      .select(messageRow.columns)
      .from(messages)
      .where(and(eq(messages.ticketId, sql.placeholder("ticketId")), gt(messages.visibleSeq, sql.placeholder("after"))))
      .orderBy(asc(messages.visibleSeq))
      .limit(sql.placeholder("limit")),
  ),
  /** Internal notes too: the team's view. */
  all: compile<{ ticketId: string; after: number; limit: number }>(
    compiler
      .select(messageRow.columns)
      .from(messages)
      .where(and(eq(messages.ticketId, sql.placeholder("ticketId")), gt(messages.seq, sql.placeholder("after"))))
      .orderBy(asc(messages.seq))
      .limit(sql.placeholder("limit")),
  ),
};

/** The team's backward page: every message below full seq `before`, newest first (messages_ticket_seq_idx read backwards). */
const selectMessagesBefore = compile<{ ticketId: string; before: number; limit: number }>(
  compiler
    .select(messageRow.columns)
    .from(messages)
    .where(and(eq(messages.ticketId, sql.placeholder("ticketId")), lt(messages.seq, sql.placeholder("before"))))
    .orderBy(desc(messages.seq))
    .limit(sql.placeholder("limit")),
);

/** Up to `limit` messages (notes included) with a seq below `before`, newest first. */
export async function messagesBefore(orm: Orm, ticketId: string, before: number, limit: number): Promise<MessageRow[]> {
  const rows = await selectMessagesBefore.rows(executorOf(orm), { ticketId, before, limit });
  return rows.map((row) => messageRow.read(row));
}

/** Loads a ticket by number or answers 404. */
export async function ticketByNumber(orm: Orm, number: string): Promise<TicketRow> {
  const row = await selectTicket.first(executorOf(orm), { number });
  if (!row) throw new DomainError("not_found", `ticket ${number} not found`);
  return ticketRow.read(row);
}

function assertOwnedBy(ticket: TicketRow, visitor: VisitorRow, number: string) {
  if (ticket.visitorId !== visitor.id || ticket.siteId !== visitor.siteId) {
    throw new DomainError("forbidden", `ticket ${number} is not yours`);
  }
}

/** Loads a ticket the visitor owns: someone else's ticket is refused with 403, never shown. */
export async function visitorTicket(orm: Orm, visitor: VisitorRow, number: string): Promise<TicketRow> {
  const ticket = await ticketByNumber(orm, number);
  assertOwnedBy(ticket, visitor, number);
  return ticket;
}

/** The visitor's ticket and its unread count, in one query. */
export async function visitorTicketWithUnread(orm: Orm, visitor: VisitorRow, number: string): Promise<{ ticket: TicketRow; unread: number }> {
  const row = await selectTicketWithUnread.first(executorOf(orm), { number });
  if (!row) throw new DomainError("not_found", `ticket ${number} not found`);
  const ticket = ticketRow.read(row);
  assertOwnedBy(ticket, visitor, number);
  return { ticket, unread: Number(row[ticketRow.width]) };
}

/**
 * Up to `limit` messages after `after`, in order: for the team every message above full seq
 * `after`; for the customer the visible messages above visible seq `after`.
 */
export async function messagesAfter(orm: Orm, ticketId: string, after: number, limit: number, audience: "customer" | "team"): Promise<MessageRow[]> {
  const statement = audience === "customer" ? selectMessagesAfter.visible : selectMessagesAfter.all;
  const rows = await statement.rows(executorOf(orm), { ticketId, after, limit });
  return rows.map((row) => messageRow.read(row));
}

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
