import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../protocol/index.js";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { startApi, type RunningApi } from "../support/server.js";

/**
 * Internal notes must not show to the customer, not even as gaps: the customer's messages,
 * paging and read marks are numbered 1..n over what they can see, while the team keeps the
 * full numbering with the notes in it.
 */

let api: RunningApi;
let client: ApiClient;
let agent: { token: string };

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  agent = await client.login("ada@parley.test");
});
afterAll(() => api?.stop());

const fromVisitor = (number: string, token: string, body: string) =>
  client.call<Message>("POST", `/v1/tickets/${number}/messages`, { token, body: { body, clientId: clientId() } });
const fromAgent = (number: string, body: string, internal = false) =>
  client.call<Message>("POST", `/v1/agent/tickets/${number}/messages`, { token: agent.token, body: { body, clientId: clientId(), internal } });

async function visitorPages(number: string, token: string, limit: number): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = "0"; ; ) {
    const page = await client.call("GET", `/v1/tickets/${number}/messages?after=${after}&limit=${limit}`, { token });
    expect(page.status).toBe(200);
    all.push(...page.body.items);
    if (!page.body.nextCursor) return all;
    after = page.body.nextCursor;
  }
}

describe("the customer's numbering", () => {
  it("numbers the visible messages 1..n without the notes' gaps, on every path a visitor reads", async () => {
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);

    const sent: { seq: number; side: string }[] = [];
    const record = async (side: string, reply: Promise<{ status: number; body: Message }>) => {
      const res = await reply;
      expect(res.status).toBe(201);
      sent.push({ seq: res.body.seq, side });
    };
    await record("visitor", fromVisitor(number, visitor.token, "hello"));
    await record("note", fromAgent(number, "note: check the billing system", true));
    await record("agent", fromAgent(number, "looking into it"));
    await record("note", fromAgent(number, "note: billing says fine", true));
    await record("note", fromAgent(number, "note: escalate if it recurs", true));
    await record("visitor", fromVisitor(number, visitor.token, "any news?"));
    await record("agent", fromAgent(number, "fixed now"));

    const team = (await client.call("GET", `/v1/agent/tickets/${number}/messages?after=0&limit=200`, { token: agent.token })).body.items as Message[];
    expect(team.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(team.filter((m) => m.internal)).toHaveLength(3);

    // The visitor's own send answers carry visible seqs: 1, then 2 (after the agent's 1st reply), never a full seq.
    expect(sent.filter((s) => s.side === "visitor").map((s) => s.seq)).toEqual([1, 3]);

    // Paged two at a time, resuming from each nextCursor: still 1..n, no gaps, no notes.
    const seen = await visitorPages(number, visitor.token, 2);
    expect(seen.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(seen.map((m) => m.body)).toEqual(["hello", "looking into it", "any news?", "fixed now"]);
    expect(seen.some((m) => m.internal)).toBe(false);
    const resumed = await client.call("GET", `/v1/tickets/${number}/messages?after=2`, { token: visitor.token });
    expect(resumed.body.items.map((m: Message) => m.seq)).toEqual([3, 4]);

    // The team reads everything, notes included: the visitor sees that as their visible seq 4.
    const teamRead = await client.call("POST", `/v1/agent/tickets/${number}/read`, { token: agent.token, body: { seq: 7 } });
    expect(teamRead.body.seq).toBe(7);
    await fromAgent(number, "note: closing soon", true);
    const teamView = await client.call("GET", `/v1/agent/tickets/${number}`, { token: agent.token });
    expect(teamView.body.agentReadSeq).toBe(7);

    // A visitor's read mark asked past the end stops at their last visible message.
    const marked = await client.call("POST", `/v1/tickets/${number}/read`, { token: visitor.token, body: { seq: 1000 } });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ seq: 4, unreadCount: 0 });
    const view = await client.call("GET", `/v1/tickets/${number}`, { token: visitor.token });
    expect(view.body).toMatchObject({ messageCount: 4, readSeq: 4, agentReadSeq: 4, unreadCount: 0 });
    const listed = await client.call("GET", "/v1/tickets", { token: visitor.token });
    expect(listed.body.items.find((t: { number: string }) => t.number === number)).toMatchObject({ readSeq: 4, agentReadSeq: 4 });

    // The team's view of the customer's mark is in the team's numbering (the 7th message).
    const after = await client.call("GET", `/v1/agent/tickets/${number}`, { token: agent.token });
    expect(after.body.readSeq).toBe(7);
  });

  it("moves the visitor's mark only to messages they can see, and counts unread by them", async () => {
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    await fromVisitor(number, visitor.token, "first");
    await fromAgent(number, "note", true);
    await fromAgent(number, "reply one");
    await fromAgent(number, "reply two");

    const partial = await client.call("POST", `/v1/tickets/${number}/read`, { token: visitor.token, body: { seq: 2 } });
    expect(partial.body).toMatchObject({ seq: 2, unreadCount: 1 });
    // Never back.
    const back = await client.call("POST", `/v1/tickets/${number}/read`, { token: visitor.token, body: { seq: 1 } });
    expect(back.body).toMatchObject({ seq: 2, unreadCount: 1 });
    // The team sees the customer has read up to "reply one", which is their 3rd message.
    expect((await client.call("GET", `/v1/agent/tickets/${number}`, { token: agent.token })).body.readSeq).toBe(3);
  });
});

describe("the team's backward paging", () => {
  it("reads the newest page first with `before`, then older pages down to the first message, notes included", async () => {
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    for (let index = 1; index <= 12; index++) {
      const res = index % 4 === 0 ? await fromAgent(number, `note ${index}`, true) : await fromVisitor(number, visitor.token, `message ${index}`);
      expect(res.status).toBe(201);
    }
    const pages: Message[][] = [];
    for (let before = "2147483647"; ; ) {
      const page = await client.call("GET", `/v1/agent/tickets/${number}/messages?before=${before}&limit=5`, { token: agent.token });
      expect(page.status).toBe(200);
      pages.push(page.body.items);
      if (!page.body.nextCursor) break;
      before = page.body.nextCursor;
    }
    // Each page in seq order, the newest first; together every message once.
    expect(pages.map((page) => page.map((message) => message.seq))).toEqual([[8, 9, 10, 11, 12], [3, 4, 5, 6, 7], [1, 2]]);
    expect(pages.flat().filter((message) => message.internal).map((message) => message.body)).toEqual(expect.arrayContaining(["note 4", "note 8", "note 12"]));

    // The customer's route has no `before`: it keeps reading forward (notes never appear).
    const forward = await client.call("GET", `/v1/tickets/${number}/messages?before=5&limit=5`, { token: visitor.token });
    expect(forward.status).toBe(200);
    expect((forward.body.items as Message[]).map((message) => message.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((forward.body.items as Message[]).some((message) => message.internal)).toBe(false);

    const bad = await client.call("GET", `/v1/agent/tickets/${number}/messages?before=0`, { token: agent.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
  });
});
