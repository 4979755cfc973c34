import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ParleyNetworkError,
  createAgentClient,
  createClient,
  memoryStore,
  type AgentTicket,
  type KeyValueStore,
  type Message,
  type Participant,
  type TicketHandlers,
  type TicketState,
  type TicketSubscription,
} from "@parley/sdk/realtime";
import { startRealtimeStack, type RealtimeStack } from "../support/rooms.js";
import { AGENT_PASSWORD, type RunningApi } from "../support/server.js";

/**
 * Live tickets through the SDK against the real API and its in-process rooms: ordering both
 * ways, notes, typing, presence, resume after a dropped connection, and the outbox's
 * exactly-once delivery across network failures and page reloads.
 */

const ROOM_SECRET = "room-secret-for-sdk-tests-0123456789abcdef";

let stack: RealtimeStack;
let api: RunningApi;
let ada: Awaited<ReturnType<typeof createAgentClient>>;
const open: TicketSubscription[] = [];

beforeAll(async () => {
  // The default room runtime (in-process), as `npm start` runs it; the realtime suite covers partykit dev too.
  stack = await startRealtimeStack({ secret: ROOM_SECRET, rooms: "inprocess" });
  api = stack.api;
  ada = await createAgentClient({ baseUrl: api.url, credentials: { email: "ada@parley.test", password: AGENT_PASSWORD }, WebSocket });
});
afterAll(async () => {
  for (const sub of open) sub.close();
  await stack?.stop();
});

/** A fetch that can be switched off (requests fail before leaving) or made to lose every answer. */
function flakyNetwork() {
  const state = { mode: "online" as "online" | "offline" | "answers-lost", requests: 0 };
  const fetcher: typeof fetch = async (input, init) => {
    if (state.mode === "offline") throw new TypeError("fetch failed (offline)");
    const res = await fetch(input, init);
    if (state.mode === "answers-lost") {
      state.requests++;
      throw new TypeError("fetch failed (connection reset after the request was sent)");
    }
    return res;
  };
  return { state, fetch: fetcher };
}

function visitorClient(options: { storage?: KeyValueStore; fetch?: typeof fetch } = {}) {
  return createClient({
    baseUrl: api.url,
    siteKey: "pk_demo",
    storage: options.storage ?? memoryStore(),
    WebSocket,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Subscribes and records every event the subscription reports. */
function watch(subscribe: (handlers: TicketHandlers) => TicketSubscription) {
  const seen = {
    messages: [] as Message[],
    typing: [] as { kind: Participant["kind"]; typing: boolean }[],
    presence: [] as Participant[][],
    states: [] as TicketState[],
    reads: [] as { side: "customer" | "agent"; seq: number }[],
    errors: [] as Error[],
  };
  const sub = subscribe({
    message: (message) => seen.messages.push(message),
    typing: ({ participant, typing }) => seen.typing.push({ kind: participant.kind, typing }),
    presence: (participants) => seen.presence.push(participants),
    ticket: (state) => seen.states.push(state),
    read: (mark) => seen.reads.push(mark),
    error: (error) => seen.errors.push(error),
  });
  open.push(sub);
  return { sub, seen };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const kinds = (participants: Participant[] | undefined) => (participants ?? []).map((p) => p.kind).sort();
const bothPresent = (seen: { presence: Participant[][] }) => kinds(seen.presence.at(-1)).join() === "agent,visitor";

/** Everything the server stored for a ticket, notes included, as the agent reads it. */
async function serverMessages(number: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ; ) {
    const page = await ada.tickets.messages(number, { after, limit: 200 });
    all.push(...page.items);
    if (!page.nextCursor) return all;
    after = Number(page.nextCursor);
  }
}
const countOf = (messages: Message[], body: string) => messages.filter((m) => m.body === body).length;

describe("live tickets through the SDK", () => {
  it("delivers messages both ways in seq order, and internal notes to agents only", async () => {
    const visitor = visitorClient();
    const { number } = await visitor.tickets.create({ subject: "Live chat", description: "Testing the SDK" });
    const customer = watch((handlers) => visitor.tickets.subscribe(number, handlers));
    const desk = watch((handlers) => ada.tickets.subscribe(number, handlers));
    await until("both sides in the room", () => bothPresent(desk.seen) && bothPresent(customer.seen));

    const hello = await customer.sub.send("Hello, my sync is stuck");
    expect(hello).toMatchObject({ seq: 1, senderType: "customer" });
    await desk.sub.send("Hi! Which version are you on?");
    await ada.tickets.note(number, "Probably the 4.1 bug");
    await customer.sub.send("4.1");
    await desk.sub.send("Please update to 4.2");
    await desk.sub.send("Internal: linked to BUG-77", { internal: true });

    const publicBodies = ["Hello, my sync is stuck", "Hi! Which version are you on?", "4.1", "Please update to 4.2"];
    await until("the agent to see all 6", () => desk.sub.messages.length === 6);
    await until("the visitor to see the 4 public ones", () => customer.sub.messages.length === 4);
    expect(desk.sub.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(desk.sub.messages.filter((m) => m.internal).map((m) => m.seq)).toEqual([3, 6]);
    expect(customer.sub.messages.map((m) => m.body)).toEqual(publicBodies);
    // The visitor's own numbering: no gap where the note (seq 3 for the team) sits.
    expect(customer.sub.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    // The handlers saw exactly the list, once each and in order.
    expect(customer.seen.messages).toEqual(customer.sub.messages);
    expect(desk.seen.messages).toEqual(desk.sub.messages);

    // The agent's first reply started work, and the visitor heard about it.
    await until("the visitor to hear the status change", () => customer.seen.states.some((s) => s.status === "in_progress"));
    // Read receipts travel too, each side in its own numbering: the visitor's 4th message is the team's 5th.
    await visitor.tickets.markRead(number, 4);
    await until("the agent to see the read mark", () => desk.seen.reads.some((r) => r.side === "customer" && r.seq === 5));
    await until("the visitor to see their own mark", () => customer.seen.reads.some((r) => r.side === "customer" && r.seq === 4));
    expect(customer.seen.reads.every((r) => r.seq <= 4)).toBe(true);

    // A stray note frame would have arrived by now; none did.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(customer.sub.messages.some((m) => m.internal)).toBe(false);
    expect(customer.seen.errors).toEqual([]);
    expect(desk.seen.errors).toEqual([]);
  });

  it("carries typing both ways and presence as people come and go", async () => {
    const visitor = visitorClient();
    const { number } = await visitor.tickets.create({ subject: "Typing", description: "Who is there?" });
    const desk = watch((handlers) => ada.tickets.subscribe(number, handlers));
    await until("the agent alone", () => kinds(desk.seen.presence.at(-1)).join() === "agent");
    const customer = watch((handlers) => visitor.tickets.subscribe(number, handlers));
    await until("both present", () => bothPresent(desk.seen) && bothPresent(customer.seen));
    const names = desk.seen.presence.at(-1)!.map((p) => p.name);
    expect(names).toContain(ada.agent.name);

    customer.sub.setTyping(true);
    await until("the agent to see the visitor typing", () => desk.seen.typing.some((t) => t.kind === "visitor" && t.typing));
    customer.sub.setTyping(false);
    await until("the agent to see the visitor stop", () => desk.seen.typing.at(-1)?.typing === false);
    desk.sub.setTyping(true);
    await until("the visitor to see the agent typing", () => customer.seen.typing.some((t) => t.kind === "agent" && t.typing));
    // Nobody hears their own typing.
    expect(customer.seen.typing.every((t) => t.kind === "agent")).toBe(true);
    expect(desk.seen.typing.every((t) => t.kind === "visitor")).toBe(true);

    customer.sub.close();
    await until("the visitor to leave", () => kinds(desk.seen.presence.at(-1)).join() === "agent");
  });

  it("tells the inbox about new tickets and unread messages through watchSite", async () => {
    const visitor = visitorClient();
    const first = await visitor.tickets.create({ subject: "First", description: "To learn the site id" });
    const { siteId } = await ada.tickets.get(first.number);
    const feed = ada.watchSite(siteId);
    const created: AgentTicket[] = [];
    const unread: { number: string; unreadCount: number }[] = [];
    const presence: Participant[][] = [];
    feed.on("ticketCreated", (ticket) => created.push(ticket));
    feed.on("unread", (change) => unread.push(change));
    feed.on("presence", (participants) => presence.push(participants));
    try {
      await until("the feed to connect", () => presence.length > 0);
      const second = await visitor.tickets.create({ subject: "Second", description: "Live in the inbox" });
      await until("ticket.created", () => created.some((t) => t.number === second.number));
      expect(created.find((t) => t.number === second.number)).toMatchObject({ status: "open", siteId });
      await visitor.tickets.send(second.number, "anyone there?");
      await until("unread.changed", () => unread.some((u) => u.number === second.number && u.unreadCount === 1));
    } finally {
      feed.close();
    }
  });

  it("resumes after forced disconnects with nothing lost and nothing repeated", async () => {
    const visitor = visitorClient();
    const { number } = await visitor.tickets.create({ subject: "Flaky train wifi", description: "Reconnects a lot" });
    const customer = watch((handlers) => visitor.tickets.subscribe(number, handlers));
    const desk = watch((handlers) => ada.tickets.subscribe(number, handlers));
    await until("both present", () => bothPresent(desk.seen));

    for (let round = 0; round < 8; round++) {
      customer.sub.reconnect();
      const sends = [ada.tickets.reply(number, `agent ${round}`), customer.sub.send(`visitor ${round}`)];
      if (round % 2) desk.sub.reconnect();
      sends.push(ada.tickets.note(number, `note ${round}`));
      await Promise.all(sends);
    }

    const stored = await serverMessages(number);
    expect(stored).toHaveLength(24);
    const visible = stored.filter((m) => !m.internal);
    await until("the visitor to converge", () => customer.sub.messages.length === visible.length, 15_000);
    await until("the agent to converge", () => desk.sub.messages.length === stored.length, 15_000);
    await customer.sub.sync();
    await desk.sub.sync();
    expect(customer.sub.messages.map((m) => m.id)).toEqual(visible.map((m) => m.id));
    expect(desk.sub.messages.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    // Every message reached the handlers exactly once, in seq order.
    expect(customer.seen.messages.map((m) => m.seq)).toEqual(visible.map((_, index) => index + 1));
    expect(desk.seen.messages.map((m) => m.seq)).toEqual(stored.map((m) => m.seq));
    for (let round = 0; round < 8; round++) expect(countOf(stored, `visitor ${round}`)).toBe(1);
  });
});

describe("the outbox", () => {
  it("holds messages sent while offline and delivers each exactly once when the network returns", async () => {
    const network = flakyNetwork();
    const visitor = visitorClient({ fetch: network.fetch });
    const { number } = await visitor.tickets.create({ subject: "In a tunnel", description: "Offline sends" });
    const customer = watch((handlers) => visitor.tickets.subscribe(number, handlers));
    await until("the subscription to connect", () => customer.seen.presence.length > 0);

    network.state.mode = "offline";
    const bodies = ["first, in the tunnel", "second, still offline", "third, almost out"];
    const settled: string[] = [];
    // A subscription's send keeps trying until it is committed: these stay pending while offline.
    const sends = bodies.map((body) => customer.sub.send(body).then((message) => (settled.push(body), message)));
    await until("all three queued", async () => (await visitor.pending(number)).length === 3);
    expect((await visitor.pending()).map((entry) => entry.body)).toEqual(bodies);
    // Long enough for every first attempt and its quick retries to fail.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(settled).toEqual([]);
    expect(await visitor.pending(number)).toHaveLength(3);
    expect(await serverMessages(number)).toEqual([]);

    network.state.mode = "online";
    customer.sub.reconnect();
    const delivered = await Promise.all(sends);
    expect(delivered.map((m) => m.body)).toEqual(bodies);
    expect(new Set(delivered.map((m) => m.seq)).size).toBe(3);
    expect(await visitor.pending()).toEqual([]);

    const stored = await serverMessages(number);
    for (const body of bodies) expect(countOf(stored, body)).toBe(1);
    expect(stored).toHaveLength(3);
    await until("the live list to show them", () => customer.sub.messages.length === 3);
    expect(customer.sub.messages.map((m) => m.id).sort()).toEqual(stored.map((m) => m.id).sort());
  });

  it("stores a message once even when every answer is lost and the send is repeated", async () => {
    const network = flakyNetwork();
    const visitor = visitorClient({ fetch: network.fetch });
    const { number } = await visitor.tickets.create({ subject: "Lossy link", description: "Answers go missing" });

    network.state.mode = "answers-lost";
    // The REST send gives up after its retries and rejects; the message stays queued.
    await expect(visitor.tickets.send(number, "did this arrive?")).rejects.toBeInstanceOf(ParleyNetworkError);
    await expect(visitor.tickets.send(number, "and this?")).rejects.toBeInstanceOf(ParleyNetworkError);
    expect(network.state.requests).toBeGreaterThanOrEqual(4); // each send reached the server, more than once
    expect((await visitor.pending(number)).map((entry) => entry.body)).toEqual(["did this arrive?", "and this?"]);

    network.state.mode = "online";
    const flushed = await visitor.flushOutbox();
    expect(flushed.map((m) => m.body)).toEqual(["did this arrive?", "and this?"]);
    expect(await visitor.pending()).toEqual([]);
    const stored = await serverMessages(number);
    expect(stored.map((m) => m.body)).toEqual(["did this arrive?", "and this?"]);
    expect(flushed.map((m) => m.id)).toEqual(stored.map((m) => m.id));
  });

  it("delivers what one page queued offline from the next page, exactly once", async () => {
    const storage = memoryStore();
    const network = flakyNetwork();
    const firstPage = visitorClient({ storage, fetch: network.fetch });
    const { number } = await firstPage.tickets.create({ subject: "Reload while offline", description: "Outbox in storage" });
    const before = watch((handlers) => firstPage.tickets.subscribe(number, handlers));
    await until("the first page to connect", () => before.seen.presence.length > 0);

    network.state.mode = "offline";
    const bodies = ["queued before the reload", "this one too"];
    const lost = bodies.map((body) => before.sub.send(body));
    await until("both queued", async () => (await firstPage.pending(number)).length === 2);
    // The page goes away while still offline: its sends give up, their entries stay in storage.
    before.sub.close();
    for (const outcome of await Promise.allSettled(lost)) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ParleyNetworkError);
    }
    expect(await serverMessages(number)).toEqual([]);

    // The reloaded page: same storage (session and outbox), a working network.
    const secondPage = visitorClient({ storage });
    expect((await secondPage.pending(number)).map((entry) => entry.body)).toEqual(bodies);
    const after = watch((handlers) => secondPage.tickets.subscribe(number, handlers));
    await until("the outbox to drain", async () => (await secondPage.pending()).length === 0);
    await until("the new page to show both", () => after.sub.messages.length === 2);

    const stored = await serverMessages(number);
    expect(stored.map((m) => m.body)).toEqual(bodies);
    expect(after.sub.messages.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    expect(after.seen.messages.map((m) => m.body)).toEqual(bodies);
    // Same visitor as before the reload: no second session was needed to post to the ticket.
    expect((await secondPage.tickets.list()).items.map((t) => t.number)).toEqual([number]);
  });
});
