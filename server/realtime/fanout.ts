import type { TicketState } from "../../protocol/index.js";
import type { AgentRow } from "../context.js";
import type { Reader } from "../db/client.js";
import { sites } from "../db/schema.js";
import { unreadCounts } from "../tickets/access.js";
import { presentAgentTicket } from "../tickets/present.js";
import { toCustomerMessage, toMessage, type MessageRow, type TicketRow } from "../tickets/views.js";
import type { Notifier } from "./notifier.js";

/**
 * What the rooms hear about, in domain words. Routes call these after their write has
 * committed; delivery happens in the background and never fails the request.
 */
export interface Fanout {
  ticketCreated(ticket: TicketRow): void;
  ticketChanged(ticket: TicketRow): void;
  messageCreated(ticket: TicketRow, message: MessageRow): void;
  /** `side`'s read mark moved; `ticket` is the row after the move. */
  readMarked(ticket: TicketRow, side: "customer" | "agent"): void;
  agentStatusChanged(agent: AgentRow): void;
  /** A connect ticket for a ticket room was issued to this person: remembered so a revocation can reach that room. */
  ticketRoomJoined(userId: string, ticketId: string): void;
  /** Closes a deactivated agent's sockets in every site room and every ticket room they were let into. */
  agentRevoked(agentId: string): void;
  /** Resolves once every frame handed over so far has been delivered or logged. */
  idle(): Promise<void>;
}

const stateOf = (ticket: TicketRow): TicketState => ({
  number: ticket.number,
  status: ticket.status,
  priority: ticket.priority,
  updatedAt: new Date(ticket.updatedAt).toISOString(),
});

/**
 * Ticket rooms remembered per person. Connections outlive their one-minute connect ticket, so
 * the rooms a person was let into since this process started are where they may still be; a
 * room forgotten here (oldest first, past the cap) can only hold a connection older than that.
 */
const TICKET_ROOMS_PER_USER = 1_000;

export function createFanout(orm: Reader, notifier: Notifier, log: (message: string, error?: unknown) => void): Fanout {
  /** Site lists still being read for agent status frames (their frames are queued once read). */
  const pending = new Set<Promise<void>>();
  const ticketRooms = new Map<string, Set<string>>();

  /** Sends `notify(siteId)` to every site room once the site list is read; `idle()` waits for the read. */
  const toEverySite = (what: string, notify: (siteId: string) => void) => {
    const siteIds = orm.select({ id: sites.id }).from(sites).then((rows) => rows.map((site) => site.id));
    siteIds.then(
      (ids) => ids.forEach(notify),
      (error: unknown) => log(`fan-out of ${what} failed`, error),
    );
    const settled = siteIds.then(
      () => undefined,
      () => undefined, // logged just above
    );
    pending.add(settled);
    void settled.then(() => pending.delete(settled));
  };
  // Every frame takes its place in its room's queue synchronously, at the call right after
  // the commit, so frames of one room leave in commit order even when the reads that
  // produce them finish out of order.
  const siteTicket = (ticket: TicketRow, type: "ticket.created" | "ticket.updated") =>
    notifier.send("site", ticket.siteId, async () => ({ audience: "agents", frame: { type, ticket: await presentAgentTicket(orm, ticket) } }));

  const agentUnread = (ticket: TicketRow) =>
    notifier.send("site", ticket.siteId, async () => {
      const unread = await unreadCounts(orm, [ticket], "agent");
      return { audience: "agents", frame: { type: "unread.changed", number: ticket.number, unreadCount: unread.get(ticket.id) ?? 0 } };
    });

  return {
    ticketCreated(ticket) {
      void siteTicket(ticket, "ticket.created");
    },
    ticketChanged(ticket) {
      void notifier.send("ticket", ticket.id, { audience: "everyone", frame: { type: "ticket.updated", ticket: stateOf(ticket) } });
      void siteTicket(ticket, "ticket.updated");
    },
    messageCreated(ticket, message) {
      // Each side gets its own numbering: the team full seqs, the customer visible seqs.
      void notifier.send("ticket", ticket.id, { audience: "agents", frame: { type: "message.created", message: toMessage(message) } });
      if (!message.internal) {
        void notifier.send("ticket", ticket.id, { audience: "visitors", frame: { type: "message.created", message: toCustomerMessage(message) } });
      }
      void siteTicket(ticket, "ticket.updated");
      if (message.senderType === "customer") void agentUnread(ticket);
    },
    readMarked(ticket, side) {
      const [seq, visibleSeq] = side === "customer" ? [ticket.visitorReadSeq, ticket.visitorReadVisibleSeq] : [ticket.agentReadSeq, ticket.agentReadVisibleSeq];
      void notifier.send("ticket", ticket.id, { audience: "agents", frame: { type: "read.updated", side, seq } });
      void notifier.send("ticket", ticket.id, { audience: "visitors", frame: { type: "read.updated", side, seq: visibleSeq } });
      if (side === "agent") void agentUnread(ticket);
    },
    agentStatusChanged(agent) {
      const frame = { type: "agent.status_changed" as const, agentId: agent.id, status: agent.status };
      // The site list is read once; each site room then gets the frame in its own order.
      toEverySite("agent.status_changed", (id) => void notifier.send("site", id, { audience: "agents", frame }));
    },
    ticketRoomJoined(userId, ticketId) {
      let rooms = ticketRooms.get(userId);
      if (!rooms) ticketRooms.set(userId, (rooms = new Set()));
      rooms.delete(ticketId); // re-added below as the newest
      rooms.add(ticketId);
      if (rooms.size > TICKET_ROOMS_PER_USER) rooms.delete(rooms.values().next().value!);
    },
    agentRevoked(agentId) {
      const revoked = { type: "member.revoked" as const, userId: agentId };
      for (const ticketId of ticketRooms.get(agentId) ?? []) void notifier.send("ticket", ticketId, revoked);
      ticketRooms.delete(agentId);
      // Agents work on every site (there is no per-site membership yet), so every site room.
      toEverySite("member.revoked", (id) => void notifier.send("site", id, revoked));
    },
    async idle() {
      await Promise.all(pending);
      await notifier.idle();
    },
  };
}

/** After a message write: a new message (and the status move it caused) goes to the rooms; a resend, nothing. */
export function announceMessage(fanout: Fanout, result: { message: MessageRow; ticket: TicketRow; created: boolean; statusChanged: boolean }) {
  if (!result.created) return;
  fanout.messageCreated(result.ticket, result.message);
  if (result.statusChanged) fanout.ticketChanged(result.ticket);
}

/** When no room server is configured there is nobody to tell: skip even the reads a frame needs. */
export const silentFanout: Fanout = {
  ticketCreated: () => undefined,
  ticketChanged: () => undefined,
  messageCreated: () => undefined,
  readMarked: () => undefined,
  agentStatusChanged: () => undefined,
  ticketRoomJoined: () => undefined,
  agentRevoked: () => undefined,
  idle: async () => undefined,
};
