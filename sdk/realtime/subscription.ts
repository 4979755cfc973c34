import type { Message, Page, Participant, RealtimeToken, TicketState } from "../../protocol/index.js";
import type { SendOptions, Sender } from "../sender.js";
import { worthRetrying } from "../sender.js";
import { Emitter } from "./emitter.js";
import { TicketStream } from "./ticket-stream.js";

/** Everything a ticket subscription reports, by event name. */
// A type alias, not an interface: an interface would need an index signature to satisfy the
// emitter's constraint, and that signature would leak into TicketHandlers.
export type TicketEvents = {
  message: Message;
  typing: { participant: Participant; typing: boolean };
  presence: Participant[];
  /** The assistant's answer so far, while an AI provider writes it; its message replaces it. */
  draft: string;
  ticket: TicketState;
  read: { side: "customer" | "agent"; seq: number };
  error: Error;
};
export type TicketHandlers = { [K in keyof TicketEvents]?: (payload: TicketEvents[K]) => void };

export interface SubscriptionDeps {
  number: string;
  messagesAfter: (after: number) => Promise<Page<Message>>;
  sender: Sender;
  realtimeToken: () => Promise<RealtimeToken>;
  WebSocket?: unknown;
  /** Resume after this seq instead of reading the conversation from its start. */
  after?: number;
}

/**
 * A live ticket: ordered messages with resume, typing, presence and an outbox-backed send
 * that resolves with the committed message even if the connection drops in between.
 */
export class TicketSubscription {
  readonly #events = new Emitter<TicketEvents>();
  readonly #stream: TicketStream;
  readonly #deps: SubscriptionDeps;
  #opened: Array<() => void> = [];
  #closed = false;

  constructor(deps: SubscriptionDeps, handlers: TicketHandlers = {}) {
    this.#deps = deps;
    for (const event of Object.keys(handlers) as (keyof TicketEvents)[]) {
      const handler = handlers[event];
      if (handler) this.#events.on(event, handler as (payload: TicketEvents[typeof event]) => void);
    }
    this.#stream = new TicketStream({
      WebSocket: deps.WebSocket,
      after: deps.after,
      transport: {
        connectTicket: deps.realtimeToken,
        messagesAfter: deps.messagesAfter,
      },
      handlers: {
        message: (message) => this.#events.emit("message", message),
        typing: (participant, typing) => this.#events.emit("typing", { participant, typing }),
        presence: (participants) => this.#events.emit("presence", participants),
        draft: (text) => this.#events.emit("draft", text),
        ticket: (state) => this.#events.emit("ticket", state),
        read: (side, seq) => this.#events.emit("read", { side, seq }),
        error: (error) => this.#events.emit("error", error),
        open: () => {
          const waiting = this.#opened;
          this.#opened = [];
          for (const resume of waiting) resume();
        },
      },
    });
    // Messages left in the outbox by an earlier page or connection go out now, once.
    void deps.sender.pending(deps.number).then((entries) => Promise.all(entries.map((entry) => this.#deliver(entry))).catch((error: unknown) => this.#emitError(error)));
  }

  /** Subscribes to one kind of event; call the returned function to unsubscribe. */
  on<K extends keyof TicketEvents>(event: K, listener: (payload: TicketEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** The conversation so far, in seq order, without duplicates. */
  get messages(): readonly Message[] {
    return this.#stream.messages;
  }

  /**
   * Sends a message. It is queued first, then delivered; if the network fails it waits for the
   * connection to come back and tries again with the same clientId. Resolves once committed.
   */
  async send(body: string, options: SendOptions = {}): Promise<Message> {
    return this.#deliver(await this.#deps.sender.queue(this.#deps.number, body, options));
  }

  /** Throttled typing indicator. */
  setTyping(typing: boolean) {
    this.#stream.setTyping(typing);
  }

  /** Forces a reconnect, as a dropped network would. */
  reconnect() {
    this.#stream.interrupt();
  }

  /** Resolves once the message list has caught up with the server. */
  sync() {
    return this.#stream.sync();
  }

  close() {
    this.#closed = true;
    this.#stream.close();
    for (const resume of this.#opened) resume();
    this.#opened = [];
  }

  async #deliver(entry: Parameters<Sender["deliver"]>[0]): Promise<Message> {
    for (;;) {
      try {
        return await this.#deps.sender.deliver(entry);
      } catch (error) {
        if (this.#closed || !worthRetrying(error)) throw error;
        // Wait for the socket to reconnect (or a short pause) and try again.
        await new Promise<void>((resolve) => {
          this.#opened.push(resolve);
          setTimeout(resolve, 3_000);
        });
      }
    }
  }

  #emitError(error: unknown) {
    this.#events.emit("error", error instanceof Error ? error : new Error(String(error)));
  }
}
