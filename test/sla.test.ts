import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../server/config.js";
import { startNodeServer, type NodeServer } from "../server/runtime/node-server.js";
import { sql } from "drizzle-orm";
import { apiClient, clientId, type ApiClient } from "./support/client.js";
import { ADMIN, TEST_SECRET } from "./support/server.js";
import { startWebhookReceiver } from "./support/webhook-receiver.js";

/**
 * SLA due times over HTTP, on the real server and a real libSQL file, with the server's clock
 * in the test's hands: business hours in Paris, a holiday, the pause while waiting on the
 * customer, breaches stamped once, the queue's `sla` filter and `due` sort, the admin policies.
 */
let dir: string;
let server: NodeServer;
let client: ApiClient;
/** The server's clock. Tokens are signed by it and checked against the wall clock, so sign-ins happen at the real time. */
let clock = Date.now();
let admin: string;
let agent: { token: string; agentId: string };
let visitor: string;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

/** The `changes` of every ticket.updated the commands announced for a ticket, read from the outbox they wrote. */
async function announcedChanges(ticketId: string): Promise<string[][]> {
  const rows = await server.services.db.orm.all<{ payload: string }>(
    sql`SELECT payload FROM outbox WHERE channel = 'webhook' AND event_type = 'ticket.updated' AND ticket_id = ${ticketId} ORDER BY id`,
  );
  // The outbox keeps a webhook's body as the exact JSON text it sends, itself stored as JSON.
  return rows.map((row) => (JSON.parse(JSON.parse(row.payload) as string) as { data: { changes: string[] } }).data.changes);
}

const setClock = (iso: string) => (clock = Date.parse(iso));
const get = (path: string, token = agent.token) => client.call("GET", path, { token });
const post = (path: string, body: unknown, token = agent.token) => client.call("POST", path, { token, body });
const patch = (path: string, body: unknown, token = agent.token) => client.call("PATCH", path, { token, body });
const ticket = async (number: string) => (await get(`/v1/agent/tickets/${number}`)).body;
const queue = async (query: string) => ((await get(`/v1/agent/tickets?limit=100&${query}`)).body.items as { number: string }[]).map((item) => item.number);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-sla-"));
  const env = readEnv({
    DATABASE_URL: `file:${join(dir, "parley.db")}`,
    PORT: "0",
    HOST: "127.0.0.1",
    PARLEY_SECRET: TEST_SECRET,
    PARLEY_ADMIN_EMAIL: ADMIN.email,
    PARLEY_ADMIN_PASSWORD: ADMIN.password,
    PARLEY_PBKDF2_ITERATIONS: "1000",
    PARLEY_ROOMS: "off",
    PARLEY_WEBHOOKS_ALLOW_PRIVATE: "1",
  });
  server = await startNodeServer(env, { now: () => clock });
  client = apiClient(`http://127.0.0.1:${server.port}`);
  admin = (await client.login(ADMIN.email)).token;
  agent = await client.login("ada@parley.test");
  visitor = (await client.visitor()).token;
  const sites = await get("/v1/admin/sites", admin);
  const demo = sites.body.items.find((site: { key: string }) => site.key === "pk_demo");
  const hours = await patch(
    `/v1/admin/sites/${demo.id}`,
    { businessHours: { timezone: "Europe/Paris", days: [1, 2, 3, 4, 5].map((day) => ({ day, open: "09:00", close: "17:00" })), holidays: ["2026-06-19"] } },
    admin,
  );
  expect(hours.status).toBe(200);
  expect(hours.body.businessHours.holidays).toEqual(["2026-06-19"]);
  receiver = await startWebhookReceiver();
  const endpoint = await post("/v1/admin/webhooks", { siteId: demo.id, url: `${receiver.url}/parley`, events: ["ticket.updated"] }, admin);
  expect(endpoint.status).toBe(201);
  receiver.useSecret(endpoint.body.secret);
});

afterAll(async () => {
  await server?.stop();
  await receiver?.stop();
  server?.services.db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("SLA policies (admin)", () => {
  it("are seeded exactly: four priorities and a 30-day complaint policy", async () => {
    const list = await get("/v1/admin/sla-policies", admin);
    expect(list.status).toBe(200);
    const byScope = Object.fromEntries(
      list.body.items.map((policy: { priority: string | null; category: string | null; firstResponseMinutes: number; resolutionMinutes: number; businessHours: boolean }) => [
        policy.category ?? policy.priority,
        [policy.firstResponseMinutes, policy.resolutionMinutes, policy.businessHours],
      ]),
    );
    expect(byScope).toEqual({
      urgent: [15, 240, true],
      high: [60, 480, true],
      normal: [240, 1440, true],
      low: [480, 4320, true],
      complaint: [1440, 30 * 24 * 60, false],
    });
  });

  it("create, read, change and delete, with the shared error shape for every refusal", async () => {
    const created = await post("/v1/admin/sla-policies", { priority: "urgent", category: "billing", firstResponseMinutes: 10, resolutionMinutes: 120 }, admin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ priority: "urgent", category: "billing", firstResponseMinutes: 10, resolutionMinutes: 120, businessHours: true });
    const again = await post("/v1/admin/sla-policies", { priority: "urgent", category: "billing", firstResponseMinutes: 20, resolutionMinutes: 120 }, admin);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");
    for (const body of [
      { firstResponseMinutes: 10, resolutionMinutes: 20 },
      { priority: "low", firstResponseMinutes: 30, resolutionMinutes: 20 },
      { priority: "low", firstResponseMinutes: 0, resolutionMinutes: 20 },
      { priority: "vip", firstResponseMinutes: 10, resolutionMinutes: 20 },
    ]) {
      const refused = await post("/v1/admin/sla-policies", body, admin);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe("validation_failed");
    }
    const unknownCategory = await post("/v1/admin/sla-policies", { category: "no-such-thing", firstResponseMinutes: 10, resolutionMinutes: 20 }, admin);
    expect(unknownCategory.status).toBe(400);
    expect(unknownCategory.body.error.details).toEqual([{ path: "category", message: "unknown category" }]);

    const id = created.body.id as string;
    expect((await get(`/v1/admin/sla-policies/${id}`, admin)).body).toEqual(created.body);
    const changed = await patch(`/v1/admin/sla-policies/${id}`, { resolutionMinutes: 90 }, admin);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ firstResponseMinutes: 10, resolutionMinutes: 90 });
    const backwards = await patch(`/v1/admin/sla-policies/${id}`, { firstResponseMinutes: 100 }, admin);
    expect(backwards.status).toBe(400);
    expect((await patch(`/v1/admin/sla-policies/${id}`, {}, admin)).status).toBe(400);
    expect((await client.call("DELETE", `/v1/admin/sla-policies/${id}`, { token: admin })).status).toBe(200);
    const gone = await get(`/v1/admin/sla-policies/${id}`, admin);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("not_found");
    expect((await get("/v1/admin/sla-policies", agent.token)).status).toBe(403);
  });

  it("refuses holidays that are not dates, and windows that close when they open", async () => {
    const sites = await get("/v1/admin/sites", admin);
    const id = sites.body.items[0].id as string;
    const badDate = await patch(`/v1/admin/sites/${id}`, { businessHours: { timezone: "Europe/Paris", days: [], holidays: ["2026-02-30"] } }, admin);
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.code).toBe("validation_failed");
    const empty = await patch(`/v1/admin/sites/${id}`, { businessHours: { timezone: "Europe/Paris", days: [{ day: 1, open: "09:00", close: "09:00" }] } }, admin);
    expect(empty.status).toBe(400);
  });
});

describe("due times in business hours", () => {
  let number: string;

  it("are set on open in the site's calendar, under the matching policy", async () => {
    setClock("2026-06-12T14:00:00Z"); // Friday 16:00 Paris
    number = (await client.ticket(visitor, { subject: "Sync is broken" })).number;
    const opened = await ticket(number);
    // normal: 4 h to first response — 1 h on Friday, 3 h on Monday → Monday 12:00 Paris.
    expect(opened.firstResponseDueAt).toBe("2026-06-15T10:00:00.000Z");
    // 24 business hours: 1 Friday + 8 Monday + 8 Tuesday + 7 Wednesday → Wednesday 16:00 Paris.
    expect(opened.resolutionDueAt).toBe("2026-06-17T14:00:00.000Z");
    expect(opened).toMatchObject({ slaState: "ok", breached: false, slaDueAt: "2026-06-15T10:00:00.000Z" });
    // 80 % of 240 minutes: 60 on Friday, 132 on Monday → 11:12 Paris.
    expect(opened.slaWarnAt).toBe("2026-06-15T09:12:00.000Z");
    expect(await queue("sla=ok")).toContain(number);
  });

  it("turn at risk at 80 % and breached past due, by the server's clock, in the queue's filter too", async () => {
    setClock("2026-06-15T09:30:00Z"); // Monday 11:30 Paris
    expect((await ticket(number)).slaState).toBe("at_risk");
    expect(await queue("sla=at_risk")).toContain(number);
    expect(await queue("sla=ok")).not.toContain(number);
    setClock("2026-06-15T10:30:00Z"); // Monday 12:30 Paris
    expect(await ticket(number)).toMatchObject({ slaState: "breached", breached: false });
    expect(await queue("sla=breached")).toContain(number);
    expect(await queue("sla=at_risk")).not.toContain(number);
  });

  it("a late first reply stamps the breach once; an internal note is no first response", async () => {
    const note = await post(`/v1/agent/tickets/${number}/messages`, { body: "Looking into it", clientId: clientId(), internal: true });
    expect(note.status).toBe(201);
    expect((await ticket(number)).firstResponseAt).toBeNull();
    setClock("2026-06-15T10:45:00Z");
    const reply = await post(`/v1/agent/tickets/${number}/messages`, { body: "We are on it.", clientId: clientId() });
    expect(reply.status).toBe(201);
    const answered = await ticket(number);
    expect(answered).toMatchObject({ firstResponseAt: "2026-06-15T10:45:00.000Z", breached: true, resolutionBreachedAt: null, slaState: "breached" });
    // Stamped when the note was written (already overdue then); a later message leaves it.
    expect(answered.firstResponseBreachedAt).toBe("2026-06-15T10:30:00.000Z");
    expect(answered.slaDueAt).toBe("2026-06-17T14:00:00.000Z");
  });

  it("stops while waiting on the customer and pushes the due time later by the business time paused", async () => {
    setClock("2026-06-15T11:00:00Z"); // Monday 13:00 Paris
    expect((await patch(`/v1/agent/tickets/${number}`, { status: "pending_customer" })).status).toBe(200);
    const waiting = await ticket(number);
    expect(waiting).toMatchObject({ slaState: "paused", slaPausedAt: "2026-06-15T11:00:00.000Z", slaDueAt: null, slaWarnAt: null });
    for (const state of ["ok", "at_risk", "breached"]) expect(await queue(`sla=${state}`)).not.toContain(number);
    // The due sort puts a paused ticket after every running one.
    const due = await queue("sort=due");
    expect(due.at(-1)).toBe(number);

    setClock("2026-06-16T11:00:00Z"); // Tuesday 13:00 Paris: 8 business hours later
    const back = await post(`/v1/tickets/${number}/messages`, { body: "Here are the logs.", clientId: clientId() }, visitor);
    expect(back.status).toBe(201);
    const resumed = await ticket(number);
    // Wednesday 16:00 + 8 business hours = Thursday 16:00 Paris.
    expect(resumed).toMatchObject({ status: "in_progress", slaPausedAt: null, resolutionDueAt: "2026-06-18T14:00:00.000Z", slaDueAt: "2026-06-18T14:00:00.000Z" });
    expect((await announcedChanges(resumed.id)).at(-1)).toEqual(["status", "resolutionDueAt", "slaPausedAt", "slaDueAt"]);
  });

  it("a holiday is no business time, and resolving late stamps the resolution breach", async () => {
    // Thursday 16:30 Paris; Friday 19 June is a holiday.
    setClock("2026-06-18T14:30:00Z");
    expect((await ticket(number)).slaState).toBe("breached");
    const resolved = await post(`/v1/agent/tickets/${number}/resolve`, { note: "Fixed in 4.2" });
    expect(resolved.status).toBe(200);
    const done = await ticket(number);
    expect(done).toMatchObject({ slaState: "met", resolutionBreachedAt: "2026-06-18T14:30:00.000Z", firstResponseBreachedAt: "2026-06-15T10:30:00.000Z" });
    // Reopening never clears a breach.
    setClock("2026-06-22T08:00:00Z");
    expect((await post(`/v1/tickets/${number}/messages`, { body: "It broke again", clientId: clientId() }, visitor)).status).toBe(201);
    expect(await ticket(number)).toMatchObject({ status: "in_progress", breached: true, resolutionBreachedAt: "2026-06-18T14:30:00.000Z" });
  });

  it("re-computes when the priority or the category changes; the category policy wins", async () => {
    setClock("2026-06-22T08:00:00Z"); // Monday 10:00 Paris
    const fresh = (await client.ticket(visitor, { subject: "Charged twice" })).number;
    const urgent = await patch(`/v1/agent/tickets/${fresh}`, { priority: "urgent" });
    expect(urgent.status).toBe(200);
    expect(urgent.body).toMatchObject({ firstResponseDueAt: "2026-06-22T08:15:00.000Z", resolutionDueAt: "2026-06-22T12:00:00.000Z" });
    // A complaint: 30 days around the clock, whatever the priority.
    const complaint = await patch(`/v1/agent/tickets/${fresh}`, { category: "complaint" });
    expect(complaint.body).toMatchObject({ priority: "urgent", firstResponseDueAt: "2026-06-23T08:00:00.000Z", resolutionDueAt: "2026-07-22T08:00:00.000Z" });
    // Each change announced its new due times on ticket.updated.
    expect(await announcedChanges(urgent.body.id)).toEqual([
      ["priority", "firstResponseDueAt", "resolutionDueAt", "slaDueAt"],
      ["categoryId", "firstResponseDueAt", "resolutionDueAt", "slaDueAt"],
    ]);
    const history = await get(`/v1/agent/tickets/${fresh}/history`);
    expect(history.body.items.map((event: { type: string }) => event.type)).toEqual(["created", "priority_changed", "category_changed"]);
  });

  it("the due sort follows the pending target, first response before resolution", async () => {
    setClock("2026-06-22T09:00:00Z");
    const a = (await client.ticket(visitor, { subject: "First in line", priority: "low" })).number;
    const b = (await client.ticket(visitor, { subject: "Second in line", priority: "high" })).number;
    const order = await queue("sort=due");
    // high: first response due in 1 h; low: 8 h.
    expect(order.indexOf(b)).toBeLessThan(order.indexOf(a));
    const dues = await Promise.all(order.map(async (n) => (await ticket(n)).slaDueAt as string | null));
    const running = dues.filter((due): due is string => due !== null);
    expect(running).toEqual([...running].sort());
    expect(dues.slice(running.length).every((due) => due === null)).toBe(true);
  });
});
