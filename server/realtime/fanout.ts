import type { TicketState } from "../../protocol/index.js";
import type { AgentRow } from "../db/rows.js";
import type { Reader } from "../db/client.js";
import { sites } from "../db/schema.js";
import { unreadCounts } from "../tickets/access.js";
import { presentAgentTicket } from "../tickets/present.js";
import { toMessage, type MessageRow, type TicketRow } from "../tickets/views.js";
import type { Notifier } from "./notifier.js";

/**
 * What the rooms hear about, in domain words. Routes call these after their write has
 * committed; delivery happens in the background and never fails the request.
 */
export interface Fanout {
  ticketCreated(ticket: TicketRow): void;
  ticketChanged(ticket: TicketRow): void;
  messageCreated(ticket: TicketRow, message: MessageRow): void;
  readMarked(ticket: TicketRow, side: "customer" | "agent", seq: number): void;
  agentStatusChanged(agent: AgentRow): void;
  /** Resolves once every frame handed over so far has been delivered or logged. */
  idle(): Promise<void>;
}

const stateOf = (ticket: TicketRow): TicketState => ({
  number: ticket.number,
  status: ticket.status,
  priority: ticket.priority,
  updatedAt: new Date(ticket.updatedAt).toISOString(),
});

export function createFanout(orm: Reader, notifier: Notifier, log: (message: string, error?: unknown) => void): Fanout {
  /** Site lists still being read for agent status frames (their frames are queued once read). */
  const pending = new Set<Promise<void>>();
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
      const frame = { type: "message.created" as const, message: toMessage(message) };
      void notifier.send("ticket", ticket.id, { audience: message.internal ? "agents" : "everyone", frame });
      void siteTicket(ticket, "ticket.updated");
      if (message.senderType === "customer") void agentUnread(ticket);
    },
    readMarked(ticket, side, seq) {
      void notifier.send("ticket", ticket.id, { audience: "everyone", frame: { type: "read.updated", side, seq } });
      if (side === "agent") void agentUnread(ticket);
    },
    agentStatusChanged(agent) {
      const frame = { type: "agent.status_changed" as const, agentId: agent.id, status: agent.status };
      // The site list is read once; each site room then gets the frame in its own order.
      const siteIds = orm.select({ id: sites.id }).from(sites).then((rows) => rows.map((site) => site.id));
      siteIds.then(
        (ids) => ids.forEach((id) => void notifier.send("site", id, { audience: "agents", frame })),
        (error: unknown) => log("fan-out of agent.status_changed failed", error),
      );
      const settled = siteIds.then(
        () => undefined,
        () => undefined, // logged just above
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
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
  idle: async () => undefined,
};
