import type { Message, Participant, RatingBody, Ticket, TicketState } from "../../../protocol/index.js";
import { newClientId } from "../../../sdk/ids.js";
import type { TicketSubscription } from "../../../sdk/realtime.js";
import { Observable, type PanelClient } from "../context.js";

/** Where one of the visitor's own messages is on its way to the agent. */
export type Delivery = "sending" | "sent" | "read" | "failed";

/** A message the visitor wrote that the stream has not shown yet. */
export interface PendingMessage {
  clientId: string;
  body: string;
  queuedAt: number;
  delivery: "sending" | "sent" | "failed";
}

export interface ConversationHooks {
  /** Whether the site's assistant answers new conversations (read when needed: the config may load later). */
  assistant(): boolean;
  /** A message from the other side arrived while the conversation was live. */
  incoming(message: Message): void;
  /** The number of agent messages the visitor has not seen changed. */
  unread(count: number): void;
  error(error: unknown): void;
}

const fromVisitor = (message: Message) => message.senderType === "customer";

/**
 * One live ticket as the visitor sees it: the committed messages, what is still on its way
 * (the SDK outbox), typing and presence of agents, read receipts, and the unread count. It
 * outlives the conversation screen, so the launcher's badge keeps counting while the panel
 * is closed or elsewhere.
 */
export class ConversationStore extends Observable {
  ticket: Ticket | null = null;
  pending: PendingMessage[] = [];
  typing: Participant[] = [];
  agentsPresent: Participant[] = [];
  agentReadSeq = 0;
  loading = true;
  error: unknown = null;
  /** The assistant is writing its answer. */
  botThinking = false;
  /** Its answer so far, while an AI provider streams it. */
  draft: string | null = null;
  /** Past the first catch-up: what arrives now is news, not history. */
  #live = false;
  #seen = false;
  /** The visitor's read mark: support messages after it are unread. */
  #readSeq = 0;
  #markedSeq = 0;
  #reportedUnread = 0;
  readonly #subscription: TicketSubscription;

  constructor(
    private readonly client: PanelClient,
    readonly number: string,
    private readonly hooks: ConversationHooks,
  ) {
    super();
    this.#subscription = client.tickets.subscribe(number, {
      message: (message) => this.#received(message),
      typing: ({ participant, typing }) => {
        if (participant.kind !== "agent") return;
        this.typing = this.typing.filter((p) => p.userId !== participant.userId).concat(typing ? [participant] : []);
        this.changed();
      },
      draft: (text) => {
        this.draft = text;
        this.changed();
      },
      presence: (participants) => {
        this.agentsPresent = participants.filter((p) => p.kind === "agent");
        this.changed();
      },
      ticket: (state) => this.#ticketChanged(state),
      read: ({ side, seq }) => {
        if (side !== "agent" || seq <= this.agentReadSeq) return;
        this.agentReadSeq = seq;
        this.changed();
      },
      error: (error) => hooks.error(error),
    });
    void this.#load();
  }

  /** Committed messages in seq order. */
  get messages(): readonly Message[] {
    return this.#subscription.messages;
  }

  get lastSeq(): number {
    return this.messages.at(-1)?.seq ?? 0;
  }

  /** Support messages the visitor has not seen. */
  get unread(): number {
    return this.messages.filter((message) => !fromVisitor(message) && message.seq > this.#readSeq).length;
  }

  /** Delivery state of a committed message the visitor sent. */
  deliveryOf(message: Message): Delivery {
    return message.seq <= this.agentReadSeq ? "read" : "sent";
  }

  /**
   * The assistant answers here: the site has it on, nobody handed the conversation to the team,
   * no agent has written in it, and it is not finished.
   */
  get withAssistant(): boolean {
    const ticket = this.ticket;
    if (!ticket || ticket.handedOffAt !== null || ticket.status === "resolved" || ticket.status === "closed") return false;
    return this.hooks.assistant() && !this.messages.some((message) => message.senderType === "agent");
  }

  /** Sends a message: shown at once as "sending", then as the committed message. To the assistant while it answers here. */
  async send(body: string) {
    const clientId = newClientId();
    this.pending = [...this.pending, { clientId, body, queuedAt: Date.now(), delivery: "sending" }];
    this.#subscription.setTyping(false);
    this.changed();
    try {
      // A question the assistant cannot take (the team took the ticket meanwhile, a limit) goes
      // to the team as a message: same clientId, so one already stored is not stored twice.
      if (!this.withAssistant || !(await this.#ask(body, clientId).then(() => true, () => false))) await this.#subscription.send(body, { clientId });
      this.#setDelivery(clientId, "sent");
      // Show it now rather than when the room's frame arrives.
      await this.#subscription.sync();
    } catch (error) {
      this.#setDelivery(clientId, "failed");
      this.hooks.error(error);
    }
  }

  /** "Talk to a person": the same ticket goes to the team, which sees the whole conversation. */
  async handOff() {
    try {
      this.ticket = await this.client.tickets.handoff(this.number);
      this.changed();
      await this.#subscription.sync();
    } catch (error) {
      this.hooks.error(error);
    }
  }

  /** Asks the assistant in this ticket; the question and its answer arrive as messages. */
  async #ask(question: string, clientId?: string) {
    this.botThinking = true;
    this.changed();
    try {
      const answer = await this.client.assistant.query({ question, ticket: this.number, ...(clientId ? { clientId } : {}) });
      // A handoff makes the ticket the team's: read when, so the composer writes to them now.
      if (answer.handoff) this.ticket = await this.client.tickets.get(this.number);
    } finally {
      this.botThinking = false;
      this.changed();
    }
  }

  setTyping(typing: boolean) {
    this.#subscription.setTyping(typing);
  }

  /** The visitor can see the latest message (panel open, conversation shown, scrolled down). */
  setSeen(seen: boolean) {
    if (seen === this.#seen) return;
    this.#seen = seen;
    if (seen) this.#markSeen();
  }

  async rate(rating: RatingBody) {
    this.ticket = await this.client.tickets.rate(this.number, rating);
    this.changed();
  }

  close() {
    this.#subscription.close();
  }

  async #load() {
    try {
      const [ticket, pending] = await Promise.all([this.client.tickets.get(this.number), this.client.pending(this.number)]);
      this.ticket = ticket;
      this.pending = pending.map((entry) => ({ clientId: entry.clientId, body: entry.body, queuedAt: entry.queuedAt, delivery: "sending" }));
      this.#readSeq = this.#markedSeq = ticket.readSeq;
      this.agentReadSeq = Math.max(this.agentReadSeq, ticket.agentReadSeq);
      await this.#subscription.sync();
      this.#live = true;
      if (this.#seen) this.#markSeen();
      else this.#reportUnread();
      // A new conversation's request is the assistant's first question.
      if (this.withAssistant && this.messages.length === 0 && this.pending.length === 0) void this.#ask(ticket.description).catch((error: unknown) => this.hooks.error(error));
    } catch (error) {
      this.error = error;
      this.hooks.error(error);
    } finally {
      this.loading = false;
      this.changed();
    }
  }

  #received(message: Message) {
    this.pending = this.pending.filter((entry) => entry.clientId !== message.clientId);
    if (!fromVisitor(message)) this.typing = this.typing.filter((p) => p.name !== message.senderName);
    if (message.senderType === "bot") this.draft = null;
    if (this.#live && !fromVisitor(message)) {
      this.hooks.incoming(message);
      if (this.#seen) this.#markSeen();
      else this.#reportUnread();
    }
    this.changed();
  }

  #ticketChanged(state: TicketState) {
    if (!this.ticket) return;
    this.ticket = { ...this.ticket, status: state.status, priority: state.priority, updatedAt: state.updatedAt };
    this.changed();
  }

  #setDelivery(clientId: string, delivery: PendingMessage["delivery"]) {
    this.pending = this.pending.map((entry) => (entry.clientId === clientId ? { ...entry, delivery } : entry));
    this.changed();
  }

  #reportUnread() {
    const count = this.unread;
    if (count === this.#reportedUnread) return;
    this.#reportedUnread = count;
    this.hooks.unread(count);
  }

  #markSeen() {
    if (!this.#live) return;
    const seq = this.lastSeq;
    this.#readSeq = Math.max(this.#readSeq, seq);
    this.#reportUnread();
    if (seq <= this.#markedSeq) return;
    this.#markedSeq = seq;
    this.client.tickets.markRead(this.number, seq).catch((error: unknown) => this.hooks.error(error));
  }
}
