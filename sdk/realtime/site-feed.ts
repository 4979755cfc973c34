import PartySocket from "partysocket";
import type { AgentStatus, AgentTicket, Participant, RealtimeToken, SiteFrame } from "../../protocol/index.js";
import { parseFrame } from "./frames.js";
import { Emitter } from "./emitter.js";

/** What the inbox hears from its site room. */
export type SiteEvents = {
  ticketCreated: AgentTicket;
  ticketUpdated: AgentTicket;
  agentStatus: { agentId: string; status: AgentStatus };
  unread: { number: string; unreadCount: number };
  presence: Participant[];
  error: Error;
};

/** The site room for agents: new and changed tickets, unread counts, who is online. */
export class SiteFeed {
  readonly #events = new Emitter<SiteEvents>();
  readonly #socket: PartySocket;

  constructor(connectTicket: () => Promise<RealtimeToken>, WebSocket?: unknown) {
    let room: RealtimeToken | null = null;
    const fetchTicket = async () => {
      room = await connectTicket();
      return { ticket: room.token };
    };
    this.#socket = new PartySocket({ host: "placeholder.invalid", startClosed: true, WebSocket, query: fetchTicket, minReconnectionDelay: 200 });
    void fetchTicket()
      .then(() => {
        const url = new URL(room!.host);
        this.#socket.updateProperties({ host: url.host, protocol: url.protocol === "wss:" ? "wss" : "ws", party: room!.party, room: room!.room });
        this.#socket.reconnect();
      })
      .catch((error: unknown) => this.#events.emit("error", error instanceof Error ? error : new Error(String(error))));
    this.#socket.addEventListener("message", (event: MessageEvent) => this.#receive(String(event.data)));
  }

  on<K extends keyof SiteEvents>(event: K, listener: (payload: SiteEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  close() {
    this.#socket.close();
  }

  #receive(data: string) {
    const frame = parseFrame<SiteFrame>(data, ["ticket.created", "ticket.updated", "agent.status_changed", "unread.changed", "presence.changed", "error"]);
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
