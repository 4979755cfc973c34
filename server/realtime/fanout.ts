import type { TicketState } from "../../protocol/index.js";
import type { AgentRow } from "../context.js";
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
  const pending = new Set<Promise<void>>();
  const track = (work: () => Promise<void>, what: string) => {
    const run = work().catch((error: unknown) => log(`fan-out of ${what} failed`, error));
    pending.add(run);
    void run.then(() => pending.delete(run));
  };

  const siteTicket = (ticket: TicketRow, type: "ticket.created" | "ticket.updated") =>
    presentAgentTicket(orm, ticket).then((view) => notifier.send("site", ticket.siteId, { audience: "agents", frame: { type, ticket: view } }));

  const agentUnread = async (ticket: TicketRow) => {
    const unread = await unreadCounts(orm, [ticket], "agent");
    await notifier.send("site", ticket.siteId, {
      audience: "agents",
      frame: { type: "unread.changed", number: ticket.number, unreadCount: unread.get(ticket.id) ?? 0 },
    });
  };

  return {
    ticketCreated(ticket) {
      track(() => siteTicket(ticket, "ticket.created"), "ticket.created");
    },
    ticketChanged(ticket) {
      track(async () => {
        await notifier.send("ticket", ticket.id, { audience: "everyone", frame: { type: "ticket.updated", ticket: stateOf(ticket) } });
        await siteTicket(ticket, "ticket.updated");
      }, "ticket.updated");
    },
    messageCreated(ticket, message) {
      track(async () => {
        const frame = { type: "message.created" as const, message: toMessage(message) };
        await notifier.send("ticket", ticket.id, { audience: message.internal ? "agents" : "everyone", frame });
        await siteTicket(ticket, "ticket.updated");
        if (message.senderType === "customer") await agentUnread(ticket);
      }, "message.created");
    },
    readMarked(ticket, side, seq) {
      track(async () => {
        await notifier.send("ticket", ticket.id, { audience: "everyone", frame: { type: "read.updated", side, seq } });
        if (side === "agent") await agentUnread(ticket);
      }, "read.updated");
    },
    agentStatusChanged(agent) {
      track(async () => {
        const rows = await orm.select({ id: sites.id }).from(sites);
        await Promise.all(
          rows.map((site) =>
            notifier.send("site", site.id, { audience: "agents", frame: { type: "agent.status_changed", agentId: agent.id, status: agent.status } }),
          ),
        );
      }, "agent.status_changed");
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
