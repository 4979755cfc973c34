import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { startApi, type RunningApi } from "../support/server.js";

let api: RunningApi;
let client: ApiClient;
let agent: { token: string; agentId: string };

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  agent = await client.login("ada@parley.test");
});
afterAll(() => api?.stop());

const patch = (number: string, body: unknown) => client.call("PATCH", `/v1/agent/tickets/${number}`, { token: agent.token, body });

describe("the agent queue", () => {
  it("filters, searches, sorts by priority and pages with cursors without gaps or repeats", async () => {
    const visitor = await client.visitor();
    const priorities = ["low", "urgent", "normal", "high", "urgent", "low", "normal"] as const;
    const created: { number: string }[] = [];
    for (const [i, priority] of priorities.entries()) {
      const ticket = await client.ticket(visitor.token, { subject: `Queue ticket ${i} zebra`, priority, category: i % 2 ? "billing" : "technical" });
      // A visitor's urgent is stored as high; the team raises it.
      if (priority === "urgent") {
        expect(ticket.priority).toBe("high");
        expect((await patch(ticket.number, { priority: "urgent" })).body.priority).toBe("urgent");
      }
      created.push(ticket);
    }
    const mine = new Set(created.map((t) => t.number));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/agent/tickets?q=zebra&sort=priority&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await client.call("GET", query, { token: agent.token });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((t: { number: string }) => t.number));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(priorities.length);
    expect(new Set(seen)).toEqual(mine);
    const rank = { urgent: 3, high: 2, normal: 1, low: 0 };
    const order = seen.map((n) => rank[priorities[created.findIndex((t) => t.number === n)]!]);
    expect(order).toEqual([...order].sort((a, b) => b - a));

    const billing = await client.call("GET", "/v1/agent/tickets?q=zebra&category=billing", { token: agent.token });
    expect(billing.body.items).toHaveLength(3);
    expect(billing.body.items.every((t: { category: string }) => t.category === "billing")).toBe(true);
    const urgent = await client.call("GET", "/v1/agent/tickets?q=zebra&priority=urgent&sort=created", { token: agent.token });
    expect(urgent.body.items.map((t: { number: string }) => t.number)).toEqual([created[1]!.number, created[4]!.number]);
    const byNumber = await client.call("GET", `/v1/agent/tickets?q=${created[3]!.number}`, { token: agent.token });
    expect(byNumber.body.items.map((t: { number: string }) => t.number)).toEqual([created[3]!.number]);
    const wildcard = await client.call("GET", "/v1/agent/tickets?q=%25", { token: agent.token });
    expect(wildcard.body.items).toEqual([]);
  });

  it("assigns, filters by assignee, escalates across tiers and records every change", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token, { category: "technical" });
    const assigned = await client.call("POST", `/v1/agent/tickets/${ticket.number}/assign`, { token: agent.token, body: { agentId: agent.agentId } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assigneeId).toBe(agent.agentId);
    const mine = await client.call("GET", "/v1/agent/tickets?assignee=me", { token: agent.token });
    expect(mine.body.items.map((t: { number: string }) => t.number)).toContain(ticket.number);

    const escalated = await client.call("POST", `/v1/agent/tickets/${ticket.number}/escalate`, { token: agent.token, body: { reason: "needs a tier 2 look" } });
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ status: "escalated", tier: 2, assigneeId: null });
    const grace = await client.login("grace@parley.test");
    const picked = await client.call("POST", `/v1/agent/tickets/${ticket.number}/assign`, { token: grace.token, body: { agentId: grace.agentId } });
    expect(picked.body).toMatchObject({ status: "in_progress", assigneeId: grace.agentId });

    await client.call("POST", `/v1/agent/tickets/${ticket.number}/escalate`, { token: agent.token, body: { reason: "tier 3 please" } });
    await client.call("POST", `/v1/agent/tickets/${ticket.number}/assign`, { token: agent.token, body: { agentId: agent.agentId } });
    const top = await client.call("POST", `/v1/agent/tickets/${ticket.number}/escalate`, { token: agent.token, body: { reason: "even higher" } });
    expect(top.status).toBe(409);

    const history = await client.call("GET", `/v1/agent/tickets/${ticket.number}/history`, { token: agent.token });
    const types = history.body.items.map((e: { type: string }) => e.type);
    expect(types[0]).toBe("created");
    expect(types.filter((t: string) => t === "escalated")).toHaveLength(2);
    expect(types.filter((t: string) => t === "assigned").length).toBeGreaterThanOrEqual(3);
  });

  it("changes priority, category and tags, and refuses illegal transitions with 409", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    const updated = await patch(ticket.number, { priority: "urgent", category: "billing", tags: ["VIP", "refund", "vip"] });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ priority: "urgent", category: "billing", tags: ["vip", "refund"] });
    expect(Date.parse(updated.body.firstResponseDueAt) - Date.parse(updated.body.createdAt)).toBe(15 * 60_000);

    expect((await patch(ticket.number, { status: "resolved" })).status).toBe(200);
    const illegal = await patch(ticket.number, { status: "pending_customer", priority: "low" });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error).toMatchObject({ code: "illegal_transition", details: { from: "resolved", to: "pending_customer" } });
    expect(illegal.body.error.message).toContain("cannot become pending_customer");
    const unchanged = await client.call("GET", `/v1/agent/tickets/${ticket.number}`, { token: agent.token });
    expect(unchanged.body.priority).toBe("urgent");

    expect((await patch(ticket.number, { status: "closed" })).status).toBe(200);
    const reopen = await patch(ticket.number, { status: "in_progress" });
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.message).toMatch(/closed/);
  });

  it("records the first response and moves an open ticket to in_progress on the first reply", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    const note = await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: agent.token, body: { body: "note", clientId: clientId(), internal: true } });
    expect(note.body.internal).toBe(true);
    const afterNote = await client.call("GET", `/v1/agent/tickets/${ticket.number}`, { token: agent.token });
    expect(afterNote.body).toMatchObject({ status: "open", firstResponseAt: null });
    await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: agent.token, body: { body: "Hi!", clientId: clientId() } });
    const afterReply = await client.call("GET", `/v1/agent/tickets/${ticket.number}`, { token: agent.token });
    expect(afterReply.body.status).toBe("in_progress");
    expect(afterReply.body.firstResponseAt).not.toBeNull();
    const all = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages`, { token: agent.token });
    expect(all.body.items.map((m: { internal: boolean }) => m.internal)).toEqual([true, false]);
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    const wrong = await client.call("POST", "/v1/auth/login", { body: { email: "ada@parley.test", password: "not-the-password" } });
    const unknown = await client.call("POST", "/v1/auth/login", { body: { email: "nobody@parley.test", password: "whatever-it-is" } });
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });
});
