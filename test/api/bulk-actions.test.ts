import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { openRoomSocket, type RoomSocket } from "../support/partykit.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

/**
 * POST /v1/agent/tickets/bulk against the real API on a fresh libSQL file, with a webhook
 * endpoint on a loopback receiver: every changed ticket is audited in its history and
 * announced in the outbox (room and webhook) exactly as a single change would be, and every
 * refused ticket changes nothing. The test reads the server's file (reads only) to count rows.
 */
let api: RunningApi;
let client: ApiClient;
let receiver: WebhookReceiver;
let file: Client;
let agent: { token: string; agentId: string };
let visitor: { token: string };
/** The team's inbox: the site room every ticket change is announced to. */
let inbox: RoomSocket;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  api = await startApi({ env: { PARLEY_WEBHOOKS_ALLOW_PRIVATE: "1", PARLEY_RATE_LIMITS: "off", PARLEY_ROOM_SECRET: "room-secret-for-tests-0123456789abcdef" } });
  client = apiClient(api.url);
  file = createClient({ url: `file:${api.dbFile}` });
  const admin = await client.login(ADMIN.email);
  const sites = await client.call("GET", "/v1/admin/sites?limit=100", { token: admin.token });
  const siteId = sites.body.items.find((s: { key: string }) => s.key === "pk_demo").id;
  const endpoint = await client.call("POST", "/v1/admin/webhooks", {
    token: admin.token,
    body: { siteId, url: `${receiver.url}/parley`, events: ["ticket.updated", "ticket.resolved", "ticket.assigned", "ticket.escalated", "ticket.closed"] },
  });
  expect(endpoint.status).toBe(201);
  receiver.useSecret(endpoint.body.secret);
  agent = await client.login("ada@parley.test");
  visitor = await client.visitor();
  const connect = await client.call("POST", "/v1/realtime/token", { token: agent.token, body: { site: siteId } });
  expect(connect.status).toBe(200);
  inbox = await openRoomSocket(new URL(connect.body.host).host, "site", connect.body.room, connect.body.token);
  await inbox.next((f) => f.type === "presence.changed", 10_000);
});
afterAll(async () => {
  await inbox?.close();
  file?.close();
  await api?.stop();
  await receiver?.stop();
});

const bulk = (body: unknown) => client.call("POST", "/v1/agent/tickets/bulk", { token: agent.token, body });
const history = async (number: string) => (await client.call("GET", `/v1/agent/tickets/${number}/history`, { token: agent.token })).body.items as { type: string; actorType: string; data: Record<string, unknown> }[];

/** Opens `count` tickets, a few at a time. */
async function openTickets(count: number, subject = "Bulk ticket"): Promise<string[]> {
  const numbers: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      numbers[i] = (await client.ticket(visitor.token, { subject: `${subject} ${i}` })).number;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return numbers;
}

/** Outbox rows per ticket number for one event type, by channel. */
async function outboxByTicket(eventType: string, numbers: string[]) {
  const rows = await file.execute({
    sql: `SELECT t.number AS number, o.channel AS channel, count(*) AS n FROM outbox o JOIN tickets t ON t.id = o.ticket_id
          WHERE o.event_type = ? AND t.number IN (SELECT value FROM json_each(?)) GROUP BY t.number, o.channel`,
    args: [eventType, JSON.stringify(numbers)],
  });
  const counts = new Map<string, Record<string, number>>();
  for (const row of rows.rows) {
    const entry = counts.get(String(row.number)) ?? {};
    entry[String(row.channel)] = Number(row.n);
    counts.set(String(row.number), entry);
  }
  return counts;
}

describe("bulk actions", () => {
  it("answers a mixed batch ticket by ticket: the good ones changed and announced, the refused ones untouched", async () => {
    const [a, b, c] = await openTickets(3, "Mixed batch");
    expect((await client.call("POST", `/v1/agent/tickets/${c}/close`, { token: agent.token, body: {} })).status).toBe(200);
    const unknown = "TKT-2099-999999";
    const webhooksBefore = receiver.received.length;

    const res = await bulk({ action: "resolve", note: "Fixed in 4.2", numbers: [a, b, c, unknown, a] });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { number: string; ok: boolean }) => [r.number, r.ok])).toEqual([
      [a, true],
      [b, true],
      [c, false],
      [unknown, false],
    ]);
    expect(res.body).toMatchObject({ succeeded: 2, failed: 2 });
    expect(res.body.results[0].ticket).toMatchObject({ number: a, status: "resolved" });
    expect(res.body.results[2].error.code).toBe("illegal_transition");
    expect(res.body.results[3].error).toMatchObject({ code: "not_found" });

    // The duplicate was changed once: one status row, one announcement.
    const resolvedRows = (await history(a!)).filter((e) => e.type === "status_changed" && e.data.to === "resolved");
    expect(resolvedRows).toEqual([expect.objectContaining({ actorType: "agent", data: { from: "open", to: "resolved", note: "Fixed in 4.2" } })]);
    expect((await history(c!)).filter((e) => e.data.to === "resolved")).toEqual([]);
    const announced = await outboxByTicket("ticket.resolved", [a!, b!, c!]);
    expect(announced.get(a!)).toMatchObject({ webhook: 1 });
    expect(announced.get(a!)?.room).toBeGreaterThanOrEqual(1);
    expect(announced.get(b!)).toMatchObject({ webhook: 1 });
    expect(announced.has(c!)).toBe(false);

    // Delivered to the receiver, signed, once per changed ticket (the close of c may still be on its way too).
    const resolvedHooks = () =>
      receiver.received
        .slice(webhooksBefore)
        .map((hook) => hook.verified as { type: string; data: { ticket: { number: string } } } | null)
        .filter((hook) => hook?.type === "ticket.resolved")
        .map((hook) => hook!.data.ticket.number);
    while (resolvedHooks().length < 2) await receiver.waitFor(receiver.received.length + 1);
    expect(resolvedHooks().sort()).toEqual([a, b].sort());
    for (const number of [a, b]) {
      expect(await inbox.next((f) => f.type === "ticket.updated" && f.ticket.number === number && f.ticket.status === "resolved", 10_000)).toBeDefined();
    }
  });

  it("adds, removes and sets tags against each ticket's own tags, and refuses one past the cap alone", async () => {
    const [a, b] = await openTickets(2, "Tagged");
    await client.call("PATCH", `/v1/agent/tickets/${a}`, { token: agent.token, body: { tags: ["vip"] } });
    const added = await bulk({ action: "tags", op: "add", tags: ["Refund", "vip"], numbers: [a, b] });
    expect(added.body.results.map((r: { ticket: { tags: string[] } }) => r.ticket.tags)).toEqual([["vip", "refund"], ["refund", "vip"]]);
    const removed = await bulk({ action: "tags", op: "remove", tags: ["VIP"], numbers: [a, b] });
    expect(removed.body.results.map((r: { ticket: { tags: string[] } }) => r.ticket.tags)).toEqual([["refund"], ["refund"]]);
    // Removing what is not there changes nothing and announces nothing.
    const before = await outboxByTicket("ticket.updated", [a!]);
    expect((await bulk({ action: "tags", op: "remove", tags: ["absent"], numbers: [a] })).body.succeeded).toBe(1);
    expect(await outboxByTicket("ticket.updated", [a!])).toEqual(before);

    const many = Array.from({ length: 19 }, (_, i) => `t${i}`);
    await client.call("PATCH", `/v1/agent/tickets/${b}`, { token: agent.token, body: { tags: many } });
    const capped = await bulk({ action: "tags", op: "add", tags: ["one", "two"], numbers: [a, b] });
    expect(capped.body.results[0]).toMatchObject({ ok: true, ticket: { tags: ["refund", "one", "two"] } });
    expect(capped.body.results[1]).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    const set = await bulk({ action: "tags", op: "set", tags: ["billing"], numbers: [a, b] });
    expect(set.body.results.map((r: { ticket: { tags: string[] } }) => r.ticket.tags)).toEqual([["billing"], ["billing"]]);
  });

  it("assigns, escalates, changes priority and status, and closes, each as the single route would", async () => {
    const [a, b] = await openTickets(2, "Every action");
    const assigned = await bulk({ action: "assign", agentId: agent.agentId, numbers: [a, b] });
    expect(assigned.body.results.map((r: { ticket: { assigneeId: string } }) => r.ticket.assigneeId)).toEqual([agent.agentId, agent.agentId]);
    const nobody = await bulk({ action: "assign", agentId: "no-such-agent", numbers: [a] });
    expect(nobody.body.results[0]).toMatchObject({ ok: false, error: { code: "validation_failed" } });

    const urgent = await bulk({ action: "priority", priority: "urgent", numbers: [a, b] });
    expect(urgent.body.results.map((r: { ticket: { priority: string } }) => r.ticket.priority)).toEqual(["urgent", "urgent"]);
    const escalated = await bulk({ action: "escalate", reason: "needs tier 2", numbers: [a] });
    expect(escalated.body.results[0].ticket).toMatchObject({ status: "escalated", tier: 2, assigneeId: null });
    const waiting = await bulk({ action: "status", status: "pending_customer", numbers: [a, b] });
    // An escalated ticket cannot wait on the customer; the open one can.
    expect(waiting.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([false, true]);
    expect(waiting.body.results[0].error.code).toBe("illegal_transition");

    const closed = await bulk({ action: "close", note: "Closing old tickets", numbers: [a, b] });
    expect(closed.body.results.map((r: { ticket: { status: string } }) => r.ticket.status)).toEqual(["closed", "closed"]);
    const types = (await history(a!)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["assigned", "priority_changed", "escalated", "status_changed"]));
    const announced = await outboxByTicket("ticket.closed", [a!, b!]);
    expect([announced.get(a!)?.webhook, announced.get(b!)?.webhook]).toEqual([1, 1]);
  });

  it("escalates as the single route does: to a named tier, a department and an agent, with the reason, a result per ticket", async () => {
    const [a, b, c] = await openTickets(3, "Bulk escalation");
    const admin = await client.login(ADMIN.email);
    const login = async (email: string) => (await client.login(email)).agentId;
    const linus = await login("linus@parley.test");
    const grace = await login("grace@parley.test");
    const departments = (await client.call("GET", "/v1/admin/departments", { token: admin.token })).body.items as { id: string; slug: string; name: string }[];
    const billing = departments.find((d) => d.name.toLowerCase().includes("billing"))!;
    expect(billing).toBeDefined();

    // c is already at tier 3: not lower than that, so only a and b go up.
    const top = await bulk({ action: "escalate", reason: "straight to the top", tier: 3, numbers: [c] });
    expect(top.body.results[0]).toMatchObject({ ok: true, ticket: { tier: 3 } });

    const res = await bulk({ action: "escalate", reason: "Linus wrote the billing sync", tier: 3, agentId: linus, departmentId: billing.id, numbers: [a, b, c] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 3, failed: 0 });
    for (const result of res.body.results) {
      expect(result).toMatchObject({ ok: true, ticket: { status: "escalated", tier: 3, assigneeId: linus, departmentId: billing.id } });
    }
    const chain = (await history(a!)).filter((e) => e.type === "escalated").map((e) => e.data);
    expect(chain).toEqual([expect.objectContaining({ fromTier: 1, toTier: 3, reason: "Linus wrote the billing sync", departmentId: billing.id, toAgentId: linus })]);

    // Refusals are per ticket, exactly the single route's: an agent below the new tier, a lower tier.
    const [d] = await openTickets(1, "Bulk escalation refused");
    const belowTier = await bulk({ action: "escalate", reason: "to Grace at tier 3", tier: 3, agentId: grace, numbers: [d] });
    const single = await client.call("POST", `/v1/agent/tickets/${d}/escalate`, { token: agent.token, body: { reason: "to Grace at tier 3", tier: 3, agentId: grace } });
    expect(belowTier.body.results[0]).toMatchObject({ ok: false, error: { code: single.body.error.code, message: single.body.error.message } });
    const lower = await bulk({ action: "escalate", reason: "back down", tier: 2, numbers: [d, a] });
    expect(lower.body.results.map((r: { ok: boolean; error?: { code: string } }) => [r.ok, r.error?.code])).toEqual([[true, undefined], [false, "conflict"]]);
    // What the single route refuses as a body, the bulk route refuses too.
    for (const body of [{ tier: 4 }, { reason: "x" }, { agentId: "" }]) {
      const refused = await bulk({ action: "escalate", reason: "a valid reason", numbers: [d], ...body });
      expect([refused.status, refused.body.error.code]).toEqual([400, "validation_failed"]);
    }
  });

  it("refuses a request past 500 tickets, an empty one and an unknown action with the error shape, changing nothing", async () => {
    const numbers = Array.from({ length: 501 }, (_, i) => `TKT-2099-${String(i).padStart(6, "0")}`);
    const tooMany = await bulk({ action: "priority", priority: "low", numbers });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: "validation_failed" });
    expect(JSON.stringify(tooMany.body.error.details)).toContain("500");
    for (const body of [{ action: "priority", priority: "low", numbers: [] }, { action: "delete", numbers: ["TKT-2099-000001"] }, { action: "tags", op: "add", numbers: ["TKT-2099-000001"] }]) {
      const res = await bulk(body);
      expect([res.status, res.body.error.code]).toEqual([400, "validation_failed"]);
    }
    expect((await client.call("POST", "/v1/agent/tickets/bulk", { body: { action: "priority", priority: "low", numbers: ["TKT-2099-000001"] } })).status).toBe(401);
  });

  it("changes 500 tickets, each with its own history row and its own room and webhook announcement", { timeout: 180_000 }, async () => {
    const numbers = await openTickets(500, "Five hundred");
    const res = await bulk({ action: "status", status: "in_progress", numbers });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 500, failed: 0 });
    expect(res.body.results.map((r: { number: string }) => r.number)).toEqual(numbers);
    expect(res.body.results.every((r: { ticket: { status: string } }) => r.ticket.status === "in_progress")).toBe(true);

    const audited = await file.execute({
      sql: `SELECT count(*) AS n, count(DISTINCT e.ticket_id) AS tickets FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
            WHERE e.type = 'status_changed' AND json_extract(e.data, '$.to') = 'in_progress' AND t.number IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(numbers)],
    });
    expect([Number(audited.rows[0]!.n), Number(audited.rows[0]!.tickets)]).toEqual([500, 500]);
    const announced = await outboxByTicket("ticket.updated", numbers);
    expect(announced.size).toBe(500);
    for (const number of numbers) {
      expect(announced.get(number)?.webhook, number).toBe(1);
      expect(announced.get(number)?.room, number).toBeGreaterThanOrEqual(1);
    }
    // And the inbox heard every one of them.
    for (const number of numbers) {
      expect(await inbox.next((f) => f.type === "ticket.updated" && f.ticket.number === number && f.ticket.status === "in_progress", 10_000), number).toBeDefined();
    }
  });
});
