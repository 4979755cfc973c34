import { AgentStatusSchema, type TicketState } from "../../../protocol/index.js";
import type { NewOutboxEntry } from "../../delivery/channel.js";
import type { RoomEntryPayload, RoomPayload } from "../../delivery/room/room-payload.js";
import type { DomainEvent, TicketSnapshot } from "../../domain/events.js";
import type { Tx } from "../../db/client.js";

/**
 * The room channel's entries for one event: the frames the ticket room and the site room
 * hear, exactly those the rooms heard before the outbox, one entry per room (its frames in
 * order). Pure: no query (the site room's ticket cards are completed when they leave; see
 * room-payload.ts).
 */
export async function roomEntries(_tx: Tx, event: DomainEvent, _at: number): Promise<NewOutboxEntry[]> {
  return roomEntriesOf(event);
}

export function roomEntriesOf(event: DomainEvent): NewOutboxEntry[] {
  return onePerRoom(framesOf(event));
}

/**
 * Joins the entries bound for the same room (and ticket) into one whose payload lists their
 * payloads in order; the first entry of each room keeps its place.
 */
function onePerRoom(entries: NewOutboxEntry[]): NewOutboxEntry[] {
  const joined = new Map<string, { entry: NewOutboxEntry; parts: RoomPayload[] }>();
  for (const entry of entries) {
    const key = `${entry.target}\u0000${entry.ticketId ?? ""}`;
    const room = joined.get(key);
    if (room) room.parts.push(entry.payload as RoomPayload);
    else joined.set(key, { entry, parts: [entry.payload as RoomPayload] });
  }
  return [...joined.values()].map(({ entry, parts }) => ({ ...entry, payload: (parts.length === 1 ? parts[0]! : parts) satisfies RoomEntryPayload }));
}

function framesOf(event: DomainEvent): NewOutboxEntry[] {
  switch (event.type) {
    case "ticket.created":
      return [siteCard(event.ticket, event.type, "ticket.created")];
    // A contact form's ticket is announced to the rooms by its ticket.created; a reminder or a
    // transcript is an email, and the archive's message and close have their own events.
    case "contact.created":
    case "rating.requested":
    case "chat.archived":
      return [];
    case "ticket.updated":
    case "ticket.assigned":
    case "ticket.escalated":
    case "ticket.resolved":
    case "ticket.closed":
    case "rating.created":
      return ticketChanged(event.ticket, event.type);
    case "ticket.unrouted":
      return [site(event.ticket.siteId, event.ticket.id, event.type, { audience: "agents", frame: { type: "ticket.unrouted", number: event.ticket.number, reason: event.reason } })];
    case "message.created": {
      const { ticket, message, visibleSeq } = event;
      // Each side gets its own numbering: the team full seqs, the customer visible seqs (a
      // note leaves no gap there, and the customer's frame never carries a note at all).
      const entries = [ticketRoom(ticket, event.type, { audience: "agents", frame: { type: "message.created", message } })];
      if (!message.internal && visibleSeq !== null) {
        entries.push(ticketRoom(ticket, event.type, { audience: "visitors", frame: { type: "message.created", message: { ...message, seq: visibleSeq } } }));
      }
      entries.push(siteCard(ticket, event.type, "ticket.updated"));
      if (event.senderType === "customer") entries.push(siteUnread(ticket, event.type));
      return entries;
    }
    case "read.updated": {
      const { ticket, side } = event;
      const entries = [
        ticketRoom(ticket, event.type, { audience: "agents", frame: { type: "read.updated", side, seq: event.seq } }),
        ticketRoom(ticket, event.type, { audience: "visitors", frame: { type: "read.updated", side, seq: event.visibleSeq } }),
      ];
      if (event.side === "agent") entries.push(siteUnread(event.ticket, event.type));
      return entries;
    }
    case "agent.status_changed":
      return event.siteIds.map((siteId) =>
        site(siteId, null, event.type, {
          audience: "agents",
          frame: { type: "agent.status_changed", agentId: event.agentId, status: AgentStatusSchema.parse(event.status) },
        }),
      );
    case "agent.deactivated": {
      // The tokens died with the commit, and so must the sockets they opened: every site room
      // (agents work on every site) and every ticket room they were let into hears member.revoked.
      const revoked = { type: "member.revoked" as const, userId: event.agentId };
      return [
        ...event.releasedTickets.flatMap((ticket) => ticketChanged(ticket, event.type)),
        ...event.ticketRoomIds.map((ticketId) => ({ channel: "room" as const, target: `ticket:${ticketId}`, eventType: event.type, payload: revoked, ticketId })),
        ...event.siteIds.map((siteId) => site(siteId, null, event.type, revoked)),
      ];
    }
    case "agent.sites_removed": {
      // As a deactivation, but only on the sites taken away: the connect tickets it holds for
      // them are refused from now on, and the sockets it opened with them close.
      const revoked = { type: "member.revoked" as const, userId: event.agentId };
      return [
        ...event.releasedTickets.flatMap((ticket) => ticketChanged(ticket, event.type)),
        ...event.ticketRoomIds.map((ticketId) => ({ channel: "room" as const, target: `ticket:${ticketId}`, eventType: event.type, payload: revoked, ticketId })),
        ...event.siteIds.map((siteId) => site(siteId, null, event.type, revoked)),
      ];
    }
    // The team's inbox hears the SLA alarms (the dashboard counts move); the ticket changes they cause have their own events.
    case "sla.warning":
      return [
        site(event.ticket.siteId, event.ticket.id, event.type, {
          audience: "agents",
          frame: { type: "sla.warning", number: event.ticket.number, target: event.target, dueAt: new Date(event.dueAt).toISOString() },
        }),
      ];
    case "sla.breached":
      return [
        site(event.ticket.siteId, event.ticket.id, event.type, {
          audience: "agents",
          frame: { type: "sla.breached", number: event.ticket.number, target: event.target, dueAt: new Date(event.dueAt).toISOString(), toTier: event.toTier, tier: event.ticket.tier },
        }),
      ];
    // The ticket's own room shows no category: only the team's cards change.
    case "category.deleted":
      return event.affectedTickets.map((ticket) => siteCard(ticket, event.type, "ticket.updated"));
  }
}

const stateOf = (ticket: TicketSnapshot): TicketState => ({
  number: ticket.number,
  status: ticket.status,
  priority: ticket.priority,
  updatedAt: new Date(ticket.updatedAt).toISOString(),
});

function ticketChanged(ticket: TicketSnapshot, eventType: string): NewOutboxEntry[] {
  return [ticketRoom(ticket, eventType, { audience: "everyone", frame: { type: "ticket.updated", ticket: stateOf(ticket) } }), siteCard(ticket, eventType, "ticket.updated")];
}

const ticketRoom = (ticket: TicketSnapshot, eventType: string, payload: RoomPayload): NewOutboxEntry => ({
  channel: "room",
  target: `ticket:${ticket.id}`,
  eventType,
  payload,
  ticketId: ticket.id,
});

const site = (siteId: string, ticketId: string | null, eventType: string, payload: RoomPayload): NewOutboxEntry => ({
  channel: "room",
  target: `site:${siteId}`,
  eventType,
  payload,
  ticketId,
});

const siteCard = (ticket: TicketSnapshot, eventType: string, frameType: "ticket.created" | "ticket.updated") =>
  site(ticket.siteId, ticket.id, eventType, { audience: "agents", build: { kind: "agent-ticket", frameType, ticketId: ticket.id } });

const siteUnread = (ticket: TicketSnapshot, eventType: string) =>
  site(ticket.siteId, ticket.id, eventType, { audience: "agents", build: { kind: "agent-unread", ticketId: ticket.id } });
