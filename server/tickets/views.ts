import type { AgentTicket, Message, Ticket, TicketEvent } from "../../protocol/index.js";
import type { messages, ticketEvents, tickets } from "../db/schema.js";
import { isoTime, isoTimeOrNull } from "../domain/iso-time.js";
import { isBreached, nextDueAt, slaState, warnAt } from "../domain/sla.js";

/** A ticket as the server reads it; the index-only SLA keys (schema.ts) are left out of hot reads. */
export type TicketRow = Omit<typeof tickets.$inferSelect, "slaDueAt" | "slaWarnAt" | "slaAlarmAt" | "slaWatched">;
export type MessageRow = typeof messages.$inferSelect;
export type TicketEventRow = typeof ticketEvents.$inferSelect;

/** What the customer may see of a ticket. Database rows never leave the server as they are. */
export function toTicket(row: TicketRow, categorySlug: string | null, unreadCount: number): Ticket {
  return {
    number: row.number,
    subject: row.subject,
    description: row.description,
    status: row.status,
    priority: row.priority,
    source: row.source,
    category: categorySlug,
    messageCount: row.messageCount,
    lastMessageAt: isoTimeOrNull(row.lastMessageAt),
    unreadCount,
    // The customer's numbering: visible seqs (see messages.visible_seq).
    readSeq: row.visitorReadVisibleSeq,
    agentReadSeq: row.agentReadVisibleSeq,
    rating: row.rating,
    ratingComment: row.ratingComment,
    createdAt: isoTime(row.createdAt),
    updatedAt: isoTime(row.updatedAt),
    resolvedAt: isoTimeOrNull(row.resolvedAt),
    closedAt: isoTimeOrNull(row.closedAt),
    handedOffAt: isoTimeOrNull(row.handedOffAt),
  };
}

export function toAgentTicket(
  row: TicketRow,
  categorySlug: string | null,
  unreadCount: number,
  customerIdentity: { verified: boolean; nameVerified: boolean; emailVerified: boolean },
  /**
   * The server's clock, against which at-risk and breached are read. It moves nothing else here:
   * the queue reuses a ticket presented earlier while its SLA state stays (presented-tickets.ts).
   */
  now: number,
): AgentTicket {
  // Object.assign rather than a spread: V8 copies a spread of this many properties into a
  // new object on a slow path (30 µs a ticket on Node 20, most of a queue page's CPU).
  return Object.assign(toTicket(row, categorySlug, unreadCount), {
    // The team's numbering: full seqs, notes included.
    readSeq: row.visitorReadSeq,
    agentReadSeq: row.agentReadSeq,
    id: row.id,
    siteId: row.siteId,
    tags: row.tags,
    tier: row.tier,
    assigneeId: row.assigneeId,
    departmentId: row.departmentId,
    customer: {
      visitorId: row.visitorId,
      name: row.customerName,
      email: row.customerEmail,
      verified: customerIdentity.verified,
      nameVerified: customerIdentity.nameVerified,
      emailVerified: customerIdentity.emailVerified,
      pageUrl: row.pageUrl,
      locale: row.customerLocale,
    },
    firstResponseDueAt: isoTimeOrNull(row.firstResponseDueAt),
    resolutionDueAt: isoTimeOrNull(row.resolutionDueAt),
    firstResponseAt: isoTimeOrNull(row.firstResponseAt),
    escalatedAt: isoTimeOrNull(row.escalatedAt),
    slaState: slaState(row, now),
    slaDueAt: isoTimeOrNull(nextDueAt(row)),
    slaWarnAt: isoTimeOrNull(warnAt(row)),
    slaPausedAt: isoTimeOrNull(row.slaPausedAt),
    breached: isBreached(row),
    firstResponseBreachedAt: isoTimeOrNull(row.firstResponseBreachedAt),
    resolutionBreachedAt: isoTimeOrNull(row.resolutionBreachedAt),
  });
}

/** A message as the team sees it: numbered by full seq, notes included. */
export function toMessage(row: MessageRow): Message {
  return messageView(row, row.seq);
}

/** A visible message as its customer sees it: numbered by visible seq, so no gap shows a note. */
export function toCustomerMessage(row: MessageRow): Message {
  if (row.internal || row.visibleSeq === null) throw new Error(`message ${row.id} is an internal note; customers never see it`);
  return messageView(row, row.visibleSeq);
}

function messageView(row: MessageRow, seq: number): Message {
  return {
    id: row.id,
    seq,
    clientId: row.clientId,
    senderType: row.senderType,
    senderName: row.senderName,
    body: row.body,
    internal: row.internal,
    attachments: row.attachments,
    createdAt: isoTime(row.createdAt),
  };
}

export function toTicketEvent(row: TicketEventRow): TicketEvent {
  return {
    id: row.id,
    type: row.type,
    actorType: row.actorType,
    actorId: row.actorId,
    data: row.data,
    createdAt: isoTime(row.createdAt),
  };
}
