import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, Participant, RealtimeToken } from "../../protocol/index.js";
import { TicketStream } from "../../sdk/realtime/ticket-stream.js";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { openRoomSocket } from "../support/partykit.js";
import { startRealtimeStack, type RealtimeStack } from "../support/rooms.js";

const ROOM_SECRET = "room-secret-for-tests-0123456789abcdef";

let stack: RealtimeStack;
let client: ApiClient;
let agent: { token: string; agentId: string };

beforeAll(async () => {
  stack = await startRealtimeStack({ secret: ROOM_SECRET });
  client = apiClient(stack.api.url);
  agent = await client.login("ada@parley.test");
});
afterAll(async () => {
  await stack?.stop();
});

/** A stream for one side of a ticket, with everything it saw recorded. */
function open(number: string, token: string, side: "visitor" | "agent") {
  const seen = { typing: [] as [string, boolean][], presence: [] as Participant[][], errors: [] as Error[] };
  const base = side === "visitor" ? `/v1/tickets/${number}` : `/v1/agent/tickets/${number}`;
  const stream = new TicketStream({
    WebSocket,
    transport: {
      async connectTicket() {
        const res = await client.call<RealtimeToken>("POST", "/v1/realtime/token", { token, body: { ticket: number } });
        if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      },
      async messagesAfter(after) {
        const res = await client.call("GET", `${base}/messages?after=${after}`, { token });
        if (res.status !== 200) throw new Error(`messages: ${res.status}`);
        return res.body;
      },
    },
    handlers: {
      typing: (participant, typing) => seen.typing.push([participant.kind, typing]),
      presence: (participants) => seen.presence.push(participants),
      error: (error) => seen.errors.push(error),
    },
  });
  return { stream, seen };
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const send = (number: string, token: string, side: "visitor" | "agent", body: string, internal = false) =>
  client.call<Message>("POST", side === "visitor" ? `/v1/tickets/${number}/messages` : `/v1/agent/tickets/${number}/messages`, {
    token,
    body: side === "agent" ? { body, clientId: clientId(), internal } : { body, clientId: clientId() },
  });

const serverMessages = async (number: string) => {
  const all: Message[] = [];
  for (let after = 0; ; ) {
    const page = await client.call("GET", `/v1/agent/tickets/${number}/messages?after=${after}&limit=200`, { token: agent.token });
    all.push(...page.body.items);
    if (!page.body.nextCursor) return all;
    after = Number(page.body.nextCursor);
  }
};

describe("live chat through the API and the rooms", () => {
  it("two visitor tabs and an agent see each other's messages in seq order; notes reach agents only", async () => {
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    const tabA = open(number, visitor.token, "visitor");
    const tabB = open(number, visitor.token, "visitor");
    const desk = open(number, agent.token, "agent");
    try {
      await until("presence of both sides", () => desk.seen.presence.at(-1)?.length === 2);
      expect(desk.seen.presence.at(-1)!.map((p) => p.kind).sort()).toEqual(["agent", "visitor"]);

      await send(number, visitor.token, "visitor", "hello from tab A");
      await send(number, agent.token, "agent", "hi, how can I help?");
      await send(number, agent.token, "agent", "internal: VIP customer", true);
      await send(number, visitor.token, "visitor", "my sync is broken");

      const publicBodies = ["hello from tab A", "hi, how can I help?", "my sync is broken"];
      await until("visitor tabs to see 3 messages", () => tabA.stream.messages.length === 3 && tabB.stream.messages.length === 3);
      await until("agent to see 4 messages", () => desk.stream.messages.length === 4);
      for (const tab of [tabA, tabB]) {
        expect(tab.stream.messages.map((m) => m.body)).toEqual(publicBodies);
        expect(tab.stream.messages.some((m) => m.internal)).toBe(false);
        // The visitor's numbering has no gap where the note sits (visible seqs).
        expect(tab.stream.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      }
      expect(desk.stream.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(desk.stream.messages[2]!.internal).toBe(true);
      // Give a stray note frame time to arrive, then check again that none did.
      await new Promise((r) => setTimeout(r, 300));
      expect(tabA.stream.messages.map((m) => m.body)).toEqual(publicBodies);
    } finally {
      for (const side of [tabA, tabB, desk]) side.stream.close();
    }
  });

  it("delivers typing to the other side and clears it after the expiry", async () => {
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    const tab = open(number, visitor.token, "visitor");
    const desk = open(number, agent.token, "agent");
    try {
      await until("both present", () => tab.seen.presence.at(-1)?.length === 2);
      tab.stream.setTyping(true);
      await until("typing to reach the agent", () => desk.seen.typing.some(([kind, on]) => kind === "visitor" && on));
      expect(tab.seen.typing).toEqual([]);
      await until("typing to expire", () => desk.seen.typing.at(-1)?.[1] === false, 10_000);
    } finally {
      tab.stream.close();
      desk.stream.close();
    }
  });

  it("tells the inbox's site room about new tickets, changes, unread counts and agent status", async () => {
    const visitor = await client.visitor();
    const first = await client.ticket(visitor.token);
    const view = await client.call("GET", `/v1/agent/tickets/${first.number}`, { token: agent.token });
    const connect = await client.call<RealtimeToken>("POST", "/v1/realtime/token", { token: agent.token, body: { site: view.body.siteId } });
    expect(connect.status).toBe(200);
    expect(connect.body.party).toBe("site");
    const inbox = await openRoomSocket(new URL(connect.body.host).host, "site", connect.body.room, connect.body.token);
    try {
      await inbox.next((f) => f.type === "presence.changed");
      // The first ticket's own ticket.created may still be on its way (it was committed just
      // before the inbox connected): every wait below names the ticket it is about.
      const second = await client.ticket(visitor.token, { subject: "Second question" });
      const created = await inbox.next((f) => f.type === "ticket.created" && f.ticket.number === second.number);
      expect(created.ticket).toMatchObject({ number: second.number, subject: "Second question", status: "open", tier: 1 });

      await send(second.number, visitor.token, "visitor", "anyone there?");
      expect(await inbox.next((f) => f.type === "unread.changed" && f.number === second.number)).toEqual({
        type: "unread.changed",
        number: second.number,
        unreadCount: 1,
      });
      await client.call("POST", `/v1/agent/tickets/${second.number}/read`, { token: agent.token, body: { seq: 1 } });
      expect(await inbox.next((f) => f.type === "unread.changed" && f.number === second.number && f.unreadCount === 0)).toBeDefined();

      await client.call("POST", `/v1/agent/tickets/${second.number}/assign`, { token: agent.token, body: { agentId: agent.agentId } });
      const updated = await inbox.next((f) => f.type === "ticket.updated" && f.ticket.number === second.number && f.ticket.assigneeId === agent.agentId);
      expect(updated.ticket).toMatchObject({ number: second.number, assigneeId: agent.agentId });

      await client.call("PATCH", "/v1/agent/me", { token: agent.token, body: { status: "busy" } });
      expect(await inbox.next((f) => f.type === "agent.status_changed")).toEqual({ type: "agent.status_changed", agentId: agent.agentId, status: "busy" });
      await client.call("PATCH", "/v1/agent/me", { token: agent.token, body: { status: "available" } });

      const visitorSite = await client.call("POST", "/v1/realtime/token", { token: visitor.token, body: { site: view.body.siteId } });
      expect(visitorSite.status).toBe(403);
    } finally {
      await inbox.close();
    }
  });

  it("refuses a connect ticket for another visitor's ticket at the API", async () => {
    const owner = await client.visitor();
    const other = await client.visitor();
    const { number } = await client.ticket(owner.token);
    const res = await client.call("POST", "/v1/realtime/token", { token: other.token, body: { ticket: number } });
    expect(res.status).toBe(403);
    const site = await client.call("POST", "/v1/realtime/token", { token: owner.token, body: { site: "anything" } });
    expect(site.status).toBe(403);
  });

  it("ends with exactly the server's messages after many random disconnects", async () => {
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    const flaky = open(number, visitor.token, "visitor");
    const desk = open(number, agent.token, "agent");
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    try {
      await until("agent connected", () => desk.seen.presence.length > 0);
      for (let cycle = 0; cycle < 30; cycle++) {
        const burst = 1 + Math.floor(random() * 4);
        const sends = [];
        for (let i = 0; i < burst; i++) {
          const side = random() < 0.5 ? "visitor" : "agent";
          sends.push(send(number, side === "visitor" ? visitor.token : agent.token, side, `cycle ${cycle} message ${i}`));
          if (random() < 0.4) flaky.stream.interrupt();
        }
        for (const res of await Promise.all(sends)) expect(res.status).toBe(201);
        if (random() < 0.5) await new Promise((r) => setTimeout(r, random() * 150));
      }
      const expected = await serverMessages(number);
      expect(expected.length).toBeGreaterThan(12);
      await until("the flaky client to converge", () => flaky.stream.lastSeq === expected.at(-1)!.seq, 20_000);
      await flaky.stream.sync();
      expect(flaky.stream.messages.map((m) => [m.seq, m.id])).toEqual(expected.map((m) => [m.seq, m.id]));
      expect(new Set(flaky.stream.messages.map((m) => m.id)).size).toBe(expected.length);
    } finally {
      flaky.stream.close();
      desk.stream.close();
    }
  });
});
