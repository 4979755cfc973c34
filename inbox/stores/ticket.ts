import { batch, signal } from "@preact/signals";
import type { AgentTicket, EscalateTicketBody, Message, Participant, TicketEvent, UpdateTicketBody } from "../../protocol/index.js";
import type { TicketSubscription } from "../../sdk/realtime.js";
import type { AgentClient } from "./session.js";

const PAGE = 50;
/** Above any seq: asks for the newest page. */
const NEWEST = 2 ** 31 - 1;

/**
 * One open ticket: the newest page of its conversation first, older pages on demand, live
 * messages, typing and presence from its room, its timeline, and the quick actions.
 */
export function createTicketStore(client: AgentClient, number: string, onChange: (ticket: AgentTicket) => void) {
  const ticket = signal<AgentTicket | null>(null);
  const messages = signal<Message[]>([]);
  const olderCursor = signal<string | null>(null);
  const loadingOlder = signal(false);
  const typing = signal<Participant[]>([]);
  const presence = signal<Participant[]>([]);
  const events = signal<TicketEvent[]>([]);
  const customerReadSeq = signal(0);
  const error = signal<string | null>(null);
  const missing = signal(false);
  const busy = signal(false);
  let live: TicketSubscription | null = null;
  let closed = false;

  const failed = (failure: unknown) => (error.value = failure instanceof Error ? failure.message : String(failure));
  const loadEvents = () => client.tickets.history(number).then((page) => (events.value = page.items), failed);
  const changed = (next: AgentTicket) => {
    ticket.value = next;
    onChange(next);
    void loadEvents();
    return next;
  };

  function receive(message: Message) {
    const list = messages.value;
    if (list.some((known) => known.seq === message.seq)) return;
    const last = list.at(-1);
    messages.value = !last || message.seq > last.seq ? [...list, message] : [...list, message].sort((a, b) => a.seq - b.seq);
    if (message.senderType === "customer") void client.tickets.markRead(number, message.seq).catch(failed);
  }

  async function open() {
    try {
      const [found, page] = await Promise.all([client.tickets.get(number), client.tickets.messages(number, { before: NEWEST, limit: PAGE })]);
      if (closed) return;
      batch(() => {
        ticket.value = found;
        customerReadSeq.value = found.readSeq;
        messages.value = page.items;
        olderCursor.value = page.nextCursor;
      });
      const lastSeq = page.items.at(-1)?.seq ?? 0;
      live = client.tickets.subscribe(
        number,
        {
          message: receive,
          typing: ({ participant, typing: on }) => {
            const others = typing.value.filter((person) => person.userId !== participant.userId);
            typing.value = on && participant.userId !== client.agent.id ? [...others, participant] : others;
          },
          presence: (participants) => (presence.value = participants),
          ticket: (state) => {
            if (ticket.value) ticket.value = { ...ticket.value, ...state } as AgentTicket;
          },
          read: ({ side, seq }) => {
            if (side === "customer") customerReadSeq.value = Math.max(customerReadSeq.value, seq);
          },
          error: failed,
        },
        { after: lastSeq },
      );
      const newestCustomer = page.items.findLast((message) => message.senderType === "customer");
      if (newestCustomer && newestCustomer.seq > found.agentReadSeq) void client.tickets.markRead(number, newestCustomer.seq).catch(failed);
      void loadEvents();
    } catch (failure) {
      const status = (failure as { status?: number }).status;
      if (status === 404 || status === 403) missing.value = true;
      else failed(failure);
    }
  }

  async function act(run: () => Promise<AgentTicket>) {
    busy.value = true;
    try {
      return changed(await run());
    } catch (failure) {
      failed(failure);
      return null;
    } finally {
      busy.value = false;
    }
  }

  return {
    number,
    ticket,
    messages,
    olderCursor,
    loadingOlder,
    typing,
    presence,
    events,
    customerReadSeq,
    error,
    missing,
    busy,
    open,

    /** The page just older than what is shown; resolves with how many messages came. */
    async loadOlder(): Promise<number> {
      const cursor = olderCursor.value;
      if (!cursor || loadingOlder.value) return 0;
      loadingOlder.value = true;
      try {
        const page = await client.tickets.messages(number, { before: Number(cursor), limit: PAGE });
        const known = new Set(messages.value.map((message) => message.seq));
        const older = page.items.filter((message) => !known.has(message.seq));
        batch(() => {
          messages.value = [...older, ...messages.value];
          olderCursor.value = page.nextCursor;
        });
        return older.length;
      } catch (failure) {
        failed(failure);
        return 0;
      } finally {
        loadingOlder.value = false;
      }
    },

    /** A reply or, only when `internal` is set, a note; resolves once committed. */
    async send(body: string, internal: boolean) {
      const sent = await (live ? live.send(body, { internal }) : client.tickets.reply(number, body, { internal }));
      receive(sent);
      void loadEvents();
      return sent;
    },
    setTyping(on: boolean) {
      live?.setTyping(on);
    },
    claim: () => act(() => client.tickets.claim(number)),
    assign: (agentId: string | null) => act(() => client.tickets.assign(number, agentId)),
    escalate: (body: EscalateTicketBody) => act(() => client.tickets.escalate(number, body)),
    update: (change: UpdateTicketBody) => act(() => client.tickets.update(number, change)),
    resolve: (note: string) => act(() => client.tickets.resolve(number, note || undefined)),
    close: (note: string) => act(() => client.tickets.close(number, note || undefined)),
    /** Called by the queue when the site room reports a change. */
    refresh(next: AgentTicket) {
      if (next.number === number) ticket.value = next;
    },
    dispose() {
      closed = true;
      live?.close();
      live = null;
    },
  };
}

export type TicketStore = ReturnType<typeof createTicketStore>;
