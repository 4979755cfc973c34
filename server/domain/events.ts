import type { Message, SenderType, TicketPriority, TicketSource, TicketStatus } from "../../protocol/index.js";

/**
 * What a command announces once its change is stored. Every channel (rooms, webhooks,
 * email) is fed from these, inside the same transaction, as outbox entries; nothing
 * announces a change any other way. Plain data only: snapshots taken from the rows the
 * command already holds, so announcing costs no query.
 */
export interface TicketSnapshot {
  id: string;
  number: string;
  siteId: string;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  source: TicketSource;
  categoryId: string | null;
  departmentId: string | null;
  tier: number;
  tags: string[];
  assigneeId: string | null;
  visitorId: string | null;
  customerName: string | null;
  customerEmail: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
}

export type DomainEvent =
  | { type: "ticket.created"; ticket: TicketSnapshot }
  | { type: "ticket.updated"; ticket: TicketSnapshot; changes: string[] }
  | { type: "ticket.assigned"; ticket: TicketSnapshot; from: string | null; to: string | null }
  | { type: "ticket.escalated"; ticket: TicketSnapshot; fromTier: number; toTier: number; reason: string | null; toAgentId: string | null; toDepartmentId: string | null }
  | { type: "ticket.resolved"; ticket: TicketSnapshot; resolution: string | null }
  | { type: "ticket.closed"; ticket: TicketSnapshot; message: string | null }
  | { type: "message.created"; ticket: TicketSnapshot; message: Message; senderType: SenderType }
  | { type: "read.updated"; ticket: TicketSnapshot; side: "customer" | "agent"; seq: number }
  | { type: "rating.created"; ticket: TicketSnapshot; score: number; comment: string | null }
  | { type: "contact.created"; ticket: TicketSnapshot }
  | { type: "agent.status_changed"; agentId: string; status: string; siteIds: string[] }
  | { type: "agent.deactivated"; agentId: string; siteIds: string[]; releasedTickets: TicketSnapshot[] }
  | { type: "category.deleted"; categoryId: string; affectedTickets: TicketSnapshot[] };

export type DomainEventType = DomainEvent["type"];
