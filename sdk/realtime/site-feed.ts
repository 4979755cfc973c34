import type PartySocket from "partysocket";
import type { AgentStatus, AgentTicket, Participant, RealtimeToken, SiteFrame } from "../../protocol/index.js";
import { parseFrame } from "./frames.js";
import { openRoomSocket } from "./room-socket.js";
import { Emitter } from "./emitter.js";

/** What the inbox hears from its site room. */
export type SiteEvents = {
  ticketCreated: AgentTicket;
  ticketUpdated: AgentTicket;
  agentStatus: { agentId: string; status: AgentStatus };
  unread: { number: string; unreadCount: number };
  /** Routing found no agent for this ticket; it waits in the queue. */
  unrouted: { number: string; reason: string };
  presence: Participant[];
  /** The socket connected (again: frames may have been missed, so catch up) or dropped (it reconnects by itself). */
  connection: "open" | "closed";
  /** The SLA monitor's alarms: a target at risk (80 %) or missed; the dashboard counts moved. */
  slaAlarm: Extract<SiteFrame, { type: "sla.warning" | "sla.breached" }>;
  error: Error;
};

/** The site room for agents: new and changed tickets, unread counts, who is online. */
export class SiteFeed {
  readonly #events = new Emitter<SiteEvents>();
  readonly #socket: PartySocket;

  constructor(connectTicket: () => Promise<RealtimeToken>, WebSocket?: unknown) {
    this.#socket = openRoomSocket(connectTicket, WebSocket, (error) => this.#events.emit("error", error));
    this.#socket.addEventListener("message", (event: MessageEvent) => this.#receive(String(event.data)));
    this.#socket.addEventListener("open", () => this.#events.emit("connection", "open"));
    this.#socket.addEventListener("close", () => this.#events.emit("connection", "closed"));
  }

  /** Drops the connection as a network failure would; it reconnects by itself. */
  reconnect() {
    this.#socket.reconnect();
  }

  on<K extends keyof SiteEvents>(event: K, listener: (payload: SiteEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  close() {
    this.#socket.close();
  }

  #receive(data: string) {
    const frame = parseFrame<SiteFrame>(data, ["ticket.created", "ticket.updated", "agent.status_changed", "unread.changed", "sla.warning", "sla.breached", "ticket.unrouted", "presence.changed", "error"]);
    if (frame instanceof Error) {
      this.#events.emit("error", frame);
      return;
    }
    switch (frame.type) {
      case "ticket.created":
        return this.#events.emit("ticketCreated", frame.ticket);
      case "ticket.updated":
        return this.#events.emit("ticketUpdated", frame.ticket);
      case "agent.status_changed":
        return this.#events.emit("agentStatus", { agentId: frame.agentId, status: frame.status });
      case "unread.changed":
        return this.#events.emit("unread", { number: frame.number, unreadCount: frame.unreadCount });
      case "sla.warning":
      case "sla.breached":
        return this.#events.emit("slaAlarm", frame);
      case "ticket.unrouted":
        return this.#events.emit("unrouted", { number: frame.number, reason: frame.reason });
      case "presence.changed":
        return this.#events.emit("presence", frame.participants);
      case "error":
        return this.#events.emit("error", new Error(`site room refused a frame: ${frame.code}: ${frame.message}`));
      default: {
        const unhandled: never = frame;
        throw new Error(`unhandled site frame ${JSON.stringify(unhandled)}`);
      }
    }
  }
}
