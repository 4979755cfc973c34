import type { WebhookEventPayload, WebhookEventType, WebhookTicket } from "../../protocol/index.js";
import type { DomainEvent, TicketSnapshot } from "./events.js";
import { isoTime, isoTimeOrNull } from "./iso-time.js";

/** One webhook event, before it is addressed to a site's endpoints. */
export interface WebhookAnnouncement {
  siteId: string;
  ticketId: string;
  type: WebhookEventType;
  body: WebhookEventPayload;
}

/** The ticket as webhooks show it: built from the snapshot alone, so announcing costs no query. */
export function webhookTicket(ticket: TicketSnapshot): WebhookTicket {
  return {
    id: ticket.id,
    number: ticket.number,
    siteId: ticket.siteId,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    source: ticket.source,
    categoryId: ticket.categoryId,
    departmentId: ticket.departmentId,
    tier: ticket.tier,
    tags: ticket.tags,
    assigneeId: ticket.assigneeId,
    customer: { visitorId: ticket.visitorId, name: ticket.customerName, email: ticket.customerEmail },
    createdAt: isoTime(ticket.createdAt),
    updatedAt: isoTime(ticket.updatedAt),
    resolvedAt: isoTimeOrNull(ticket.resolvedAt),
    closedAt: isoTimeOrNull(ticket.closedAt),
  };
}

function announce(ticket: TicketSnapshot, body: WebhookEventPayload): WebhookAnnouncement {
  return { siteId: ticket.siteId, ticketId: ticket.id, type: body.type, body };
}

/**
 * What a domain event tells the sites' own systems, at `at` (epoch ms). Internal notes and
 * read marks tell them nothing; an agent's deactivation and a category's deletion are told
 * ticket by ticket, as the reassignment and the change of category they caused.
 */
export function webhookAnnouncements(event: DomainEvent, at: number): WebhookAnnouncement[] {
  const timestamp = isoTime(at);
  switch (event.type) {
    case "ticket.created":
    case "contact.created":
      return [announce(event.ticket, { type: event.type, timestamp, data: { ticket: webhookTicket(event.ticket) } })];
    case "ticket.updated":
      return [announce(event.ticket, { type: event.type, timestamp, data: { ticket: webhookTicket(event.ticket), changes: event.changes } })];
    case "ticket.assigned":
      return [announce(event.ticket, { type: event.type, timestamp, data: { ticket: webhookTicket(event.ticket), from: event.from, to: event.to } })];
    case "ticket.unrouted":
      return [announce(event.ticket, { type: event.type, timestamp, data: { ticket: webhookTicket(event.ticket), reason: event.reason } })];
    case "ticket.escalated":
      return [
        announce(event.ticket, {
          type: event.type,
          timestamp,
          data: {
            ticket: webhookTicket(event.ticket),
            fromTier: event.fromTier,
            toTier: event.toTier,
            reason: event.reason,
            toAgentId: event.toAgentId,
            toDepartmentId: event.toDepartmentId,
          },
        }),
      ];
    case "ticket.resolved":
      return [announce(event.ticket, { type: event.type, timestamp, data: { ticket: webhookTicket(event.ticket), resolution: event.resolution } })];
    case "ticket.closed":
      return [announce(event.ticket, { type: event.type, timestamp, data: { ticket: webhookTicket(event.ticket), message: event.message } })];
    case "message.created": {
      // Notes are for the support team only; the site's systems are the customer's side of it.
      // So they number messages as the customer does: visible seqs, 1..n without the notes' gaps.
      if (event.message.internal || event.visibleSeq === null) return [];
      const seq = event.visibleSeq;
      const { id, senderType, senderName, body, attachments, createdAt } = event.message;
      return [
        announce(event.ticket, {
          type: event.type,
          timestamp,
          data: { ticket: webhookTicket(event.ticket), message: { id, seq, senderType, senderName, body, attachments, createdAt } },
        }),
      ];
    }
    case "rating.created":
      return [
        announce(event.ticket, { type: event.type, timestamp, data: { ticket: webhookTicket(event.ticket), rating: { score: event.score, comment: event.comment } } }),
      ];
    case "sla.warning":
      return [announce(event.ticket, { type: event.type, timestamp, data: { ticket: webhookTicket(event.ticket), target: event.target, dueAt: isoTime(event.dueAt) } })];
    case "sla.breached":
      return [
        announce(event.ticket, {
          type: event.type,
          timestamp,
          data: { ticket: webhookTicket(event.ticket), target: event.target, dueAt: isoTime(event.dueAt), fromTier: event.fromTier, toTier: event.toTier },
        }),
      ];
    case "agent.deactivated":
    case "agent.sites_removed":
      return event.releasedTickets.map((ticket) =>
        announce(ticket, { type: "ticket.assigned", timestamp, data: { ticket: webhookTicket(ticket), from: event.agentId, to: ticket.assigneeId } }),
      );
    case "category.deleted":
      return event.affectedTickets.map((ticket) =>
        announce(ticket, { type: "ticket.updated", timestamp, data: { ticket: webhookTicket(ticket), changes: ["category"] } }),
      );
    // Reminders and transcripts are email to the customer; what changed on the ticket (a system
    // message, a close) is announced by its own events.
    case "read.updated":
    case "agent.status_changed":
    case "rating.requested":
    case "chat.archived":
      return [];
    default: {
      const unhandled: never = event;
      throw new Error(`no webhook mapping for ${(unhandled as DomainEvent).type}`);
    }
  }
}
