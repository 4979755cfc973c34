import type { Message, SenderType, SlaTarget, TicketPriority, TicketSource, TicketStatus } from "../../protocol/index.js";

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

/** One customer-visible message of a chat transcript. */
export interface TranscriptLine {
  /** Epoch milliseconds. */
  at: number;
  sender: SenderType;
  name: string | null;
  body: string;
}

export type DomainEvent =
  | { type: "ticket.created"; ticket: TicketSnapshot }
  | { type: "ticket.updated"; ticket: TicketSnapshot; changes: string[] }
  | { type: "ticket.assigned"; ticket: TicketSnapshot; from: string | null; to: string | null }
  /** Routing found nobody for the ticket (`reason` says why): it waits in the queue and the site's team is told. */
  | { type: "ticket.unrouted"; ticket: TicketSnapshot; reason: string }
  | { type: "ticket.escalated"; ticket: TicketSnapshot; fromTier: number; toTier: number; reason: string | null; toAgentId: string | null; toDepartmentId: string | null }
  | { type: "ticket.resolved"; ticket: TicketSnapshot; resolution: string | null }
  /** `viaTranscript`: an idle chat's archive closed it, and its transcript email (chat.archived) tells the customer instead. */
  | { type: "ticket.closed"; ticket: TicketSnapshot; message: string | null; viaTranscript?: true }
  /**
   * `message` is numbered for the team (seq over every message, notes included);
   * `visibleSeq` is its number for the customer (1..n over visible messages, no gap for a
   * note), null for an internal note the customer never sees. `closing`: the message a close
   * posted, which the closed email carries (so no "agent replied" email repeats it).
   */
  | { type: "message.created"; ticket: TicketSnapshot; message: Message; visibleSeq: number | null; senderType: SenderType; closing?: true }
  /** One side's read mark in both numberings: `seq` for the team, `visibleSeq` for the customer. */
  | { type: "read.updated"; ticket: TicketSnapshot; side: "customer" | "agent"; seq: number; visibleSeq: number }
  | { type: "rating.created"; ticket: TicketSnapshot; score: number; comment: string | null }
  /** The one reminder a resolved, unrated ticket's customer gets (a scheduled job; at most once per ticket). */
  | { type: "rating.requested"; ticket: TicketSnapshot }
  /**
   * An idle live chat ended: its customer-visible messages (the first ones, up to a size
   * limit; `omitted` more after them) go to the customer by email. `closed` when the archive
   * closed the ticket too (it was resolved); otherwise it stays in the queue as a ticket.
   */
  | { type: "chat.archived"; ticket: TicketSnapshot; transcript: TranscriptLine[]; omitted: number; closed: boolean }
  | { type: "contact.created"; ticket: TicketSnapshot }
  /** The SLA monitor: the pending target passed its 80 % mark (once per target); its assignee, if any, is told. */
  | { type: "sla.warning"; ticket: TicketSnapshot; target: SlaTarget; dueAt: number }
  /**
   * The SLA monitor: a target was missed (once per target). `toTier`: the tier the breach
   * escalated the ticket to (its ticket.escalated is announced beside), null when it could go no
   * higher. `notifyAgentIds`: who is told by email, the new tier's team and, at the top tier, the admins.
   */
  | { type: "sla.breached"; ticket: TicketSnapshot; target: SlaTarget; dueAt: number; fromTier: number; toTier: number | null; notifyAgentIds: string[] }
  | { type: "agent.status_changed"; agentId: string; status: string; siteIds: string[] }
  /** `ticketRoomIds`: the ticket rooms the agent was let into and may still be connected to (their sockets are closed). */
  | { type: "agent.deactivated"; agentId: string; siteIds: string[]; ticketRoomIds: string[]; releasedTickets: TicketSnapshot[] }
  /**
   * The agent stopped working on `siteIds` (a membership removed, or an admin made an agent):
   * its sockets in those site rooms and in `ticketRoomIds` (the rooms of those sites' tickets it
   * was let into) are closed, and `releasedTickets` (its unfinished tickets there) are back in the queue.
   */
  | { type: "agent.sites_removed"; agentId: string; siteIds: string[]; ticketRoomIds: string[]; releasedTickets: TicketSnapshot[] }
  | { type: "category.deleted"; categoryId: string; affectedTickets: TicketSnapshot[] };

export type DomainEventType = DomainEvent["type"];
