import type PartySocket from "partysocket";
import type { Message, Page, Participant, RealtimeToken, ServerFrame, TicketState } from "../../protocol/index.js";
import { TYPING_THROTTLE_MS } from "../../protocol/realtime-limits.js";
import { parseFrame } from "./frames.js";
import { openRoomSocket } from "./room-socket.js";

/** What a stream needs from the REST side; the SDK client provides it, tests may too. */
export interface TicketStreamTransport {
  /** A fresh connect ticket for this ticket's room (asked for on every (re)connect). */
  connectTicket(): Promise<RealtimeToken>;
  /** One page of messages with seq > after. */
  messagesAfter(after: number): Promise<Page<Message>>;
}

export interface TicketStreamHandlers {
  message?(message: Message): void;
  typing?(participant: Participant, typing: boolean): void;
  presence?(participants: Participant[]): void;
  /** The assistant's answer so far, while an AI provider writes it (the bot's message follows). */
  draft?(text: string): void;
  ticket?(state: TicketState): void;
  read?(side: "customer" | "agent", seq: number): void;
  /** The socket is (again) connected. */
  open?(): void;
  /** A frame the room refused, or a catch-up that failed (it is retried on the next frame or reconnect). */
  error?(error: Error): void;
}

export interface TicketStreamOptions {
  transport: TicketStreamTransport;
  handlers?: TicketStreamHandlers;
  /** A WebSocket implementation for runtimes without a global one (Node 20: `ws`). */
  WebSocket?: unknown;
  /** Messages already known, e.g. from a cache: the stream resumes after the last of them. */
  after?: number;
}

/**
 * A live view of one ticket's conversation that never loses or repeats a message.
 * Frames are applied strictly in seq order; a gap (missed frames, a reconnect) triggers a
 * catch-up over HTTP from the last applied seq, so the list always ends equal to the server's.
 */
export class TicketStream {
  readonly #messages: Message[] = [];
  readonly #handlers: TicketStreamHandlers;
  readonly #transport: TicketStreamTransport;
  readonly #socket: PartySocket;
  #lastSeq: number;
  #catchingUp: Promise<void> | null = null;
  #needsAnotherCatchUp = false;
  #lastTypingSent = 0;

  constructor(options: TicketStreamOptions) {
    this.#transport = options.transport;
    this.#handlers = options.handlers ?? {};
    this.#lastSeq = options.after ?? 0;
    this.#socket = openRoomSocket(() => this.#transport.connectTicket(), options.WebSocket, (error) => this.#handlers.error?.(error));
    this.#socket.addEventListener("open", () => {
      void this.#catchUp();
      this.#handlers.open?.();
    });
    this.#socket.addEventListener("message", (event: MessageEvent) => this.#receive(event.data));
  }

  /** The conversation so far, in seq order. */
  get messages(): readonly Message[] {
    return this.#messages;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Tells the room this person is (or stopped) typing; throttled as the room expects. */
  setTyping(typing: boolean) {
    const now = Date.now();
    if (typing && now - this.#lastTypingSent < TYPING_THROTTLE_MS) return;
    if (typing) this.#lastTypingSent = now;
    this.#socket.send(JSON.stringify({ type: "typing.set", typing }));
  }

  /** Drops the connection as a network failure would; the stream reconnects and catches up. */
  interrupt() {
    this.#socket.reconnect();
  }

  /** Resolves once the list has caught up with everything the server had when it was called. */
  async sync(): Promise<void> {
    await this.#catchUp();
  }

  close() {
    this.#socket.close();
  }

  #receive(data: unknown) {
    const frame = parseFrame<ServerFrame>(data, ["message.created", "ticket.updated", "read.updated", "typing.changed", "presence.changed", "assistant.draft", "error"]);
    if (frame instanceof Error) {
      this.#handlers.error?.(frame);
      return;
    }
    switch (frame.type) {
      case "message.created":
        if (frame.message.seq === this.#lastSeq + 1 && !this.#catchingUp) this.#apply([frame.message]);
        else if (frame.message.seq > this.#lastSeq) void this.#catchUp();
        break;
      case "typing.changed":
        this.#handlers.typing?.(frame.participant, frame.typing);
        break;
      case "presence.changed":
        this.#handlers.presence?.(frame.participants);
        break;
      case "assistant.draft":
        this.#handlers.draft?.(frame.text);
        break;
      case "ticket.updated":
        this.#handlers.ticket?.(frame.ticket);
        break;
      case "read.updated":
        this.#handlers.read?.(frame.side, frame.seq);
        break;
      case "error":
        this.#handlers.error?.(new Error(`room refused a frame: ${frame.code}: ${frame.message}`));
        break;
      default: {
        const unhandled: never = frame;
        throw new Error(`unhandled frame ${JSON.stringify(unhandled)}`);
      }
    }
  }

  #apply(messages: Message[]) {
    for (const message of messages) {
      if (message.seq <= this.#lastSeq) continue;
      this.#messages.push(message);
      this.#lastSeq = message.seq;
      this.#handlers.message?.(message);
    }
  }

  /** One catch-up at a time; a request for another while one runs schedules exactly one more. */
  #catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#needsAnotherCatchUp = true;
      return this.#catchingUp;
    }
    this.#catchingUp = (async () => {
      try {
        do {
          this.#needsAnotherCatchUp = false;
          for (;;) {
            const page = await this.#transport.messagesAfter(this.#lastSeq);
            this.#apply(page.items);
            if (!page.nextCursor) break;
          }
        } while (this.#needsAnotherCatchUp);
      } catch (error) {
        this.#handlers.error?.(asError(error));
      } finally {
        this.#catchingUp = null;
      }
    })();
    return this.#catchingUp;
  }
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
