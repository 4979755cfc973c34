import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookPayloadSchema } from "../../protocol/index.js";
import { webhookEntries } from "../../server/commands/outbox/webhook-entries.js";
import { openDatabase, type Database } from "../../server/db/client.js";
import { writeOutbox } from "../../server/db/outbox.js";
import { deliveriesOfEntry } from "../../server/delivery/delivery-log.js";
import { createDispatcher, type Dispatcher } from "../../server/delivery/dispatcher.js";
import { webhookChannel } from "../../server/delivery/webhooks/webhook-channel.js";
import { ticketSnapshot } from "../../server/domain/snapshot-fixture.js";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

/**
 * /v1/admin/webhooks against the real API (on Node, Bun and Deno) and a receiver on loopback
 * that verifies every request with the standardwebhooks library. The API runs with the
 * development switch, so loopback is reachable; the guard's refusals without it are unit-tested
 * in server/delivery/webhooks/ssrf-guard.test.ts.
 */
let api: RunningApi;
let client: ApiClient;
let receiver: WebhookReceiver;
let token: string;
let siteId: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  api = await startApi({ env: { PARLEY_WEBHOOKS_ALLOW_PRIVATE: "1" } });
  client = apiClient(api.url);
  token = (await client.login(ADMIN.email)).token;
  const sites = await client.call("GET", "/v1/admin/sites?limit=100", { token });
  siteId = sites.body.items.find((s: { key: string }) => s.key === "pk_demo").id;
});
afterAll(async () => {
  await api?.stop();
  await receiver?.stop();
});

const get = (path: string) => client.call("GET", path, { token });
const post = (path: string, body?: unknown) => client.call("POST", path, { token, body });
const patch = (path: string, body: unknown) => client.call("PATCH", path, { token, body });

async function createEndpoint(fields: Record<string, unknown> = {}) {
  const res = await post("/v1/admin/webhooks", { siteId, url: `${receiver.url}/parley`, events: ["message.created", "ticket.created"], ...fields });
  if (res.status !== 201) throw new Error(`endpoint failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; secret: string; [key: string]: unknown };
}

describe("webhook endpoints", () => {
  it("answers the signing secret once, at creation; lists and reads never show it", async () => {
    const created = await createEndpoint({ description: "CRM sync" });
    expect(created).toMatchObject({ siteId, url: `${receiver.url}/parley`, description: "CRM sync", events: ["message.created", "ticket.created"], enabled: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const one = await get(`/v1/admin/webhooks/${created.id}`);
    expect(one.status).toBe(200);
    const list = await get(`/v1/admin/webhooks?siteId=${siteId}&limit=100`);
    expect(list.body.items.map((e: { id: string }) => e.id)).toContain(created.id);
    for (const body of [one.body, ...list.body.items]) expect(JSON.stringify(body)).not.toContain("whsec_");
    expect(Object.keys(one.body).sort()).toEqual(["createdAt", "description", "enabled", "events", "id", "siteId", "updatedAt", "url"]);
  });

  it("refuses a URL the guard refuses, at creation and on change, with a 400 naming the url", async () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[fe80::1]/hook", "ftp://example.com/in", "https://user:pw@example.com/"]) {
      const res = await post("/v1/admin/webhooks", { siteId, url, events: ["ticket.created"] });
      expect([url, res.status, res.body.error.code]).toEqual([url, 400, "validation_failed"]);
      expect(res.body.error.details[0].path).toBe("url");
    }
    const endpoint = await createEndpoint();
    const res = await patch(`/v1/admin/webhooks/${endpoint.id}`, { url: "http://169.254.169.254/" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/metadata/);
    expect((await get(`/v1/admin/webhooks/${endpoint.id}`)).body.url).toBe(`${receiver.url}/parley`);
  });

  it("validates the rest of the body: known site, known event types, each once", async () => {
    const cases = [
      { siteId: "no-such-site", url: receiver.url, events: ["ticket.created"] },
      { siteId, url: receiver.url, events: [] },
      { siteId, url: receiver.url, events: ["ticket.deleted"] },
      { siteId, url: receiver.url, events: ["ticket.created", "ticket.created"] },
      { siteId, events: ["ticket.created"] },
    ];
    for (const body of cases) {
      const res = await post("/v1/admin/webhooks", body);
      expect([JSON.stringify(body), res.status, res.body.error.code]).toEqual([JSON.stringify(body), 400, "validation_failed"]);
    }
    const endpoint = await createEndpoint();
    expect((await patch(`/v1/admin/webhooks/${endpoint.id}`, { events: ["nope"] })).status).toBe(400);
  });

  it("holds a site to 20 endpoints, since every event is written once per endpoint", async () => {
    const site = await post("/v1/admin/sites", { name: "Many hooks" });
    for (let i = 0; i < 20; i++) await createEndpoint({ siteId: site.body.id, url: `${receiver.url}/many/${i}` });
    const refused = await post("/v1/admin/webhooks", { siteId: site.body.id, url: `${receiver.url}/many/20`, events: ["ticket.created"] });
    expect([refused.status, refused.body.error.code]).toEqual([409, "conflict"]);
  });

  it("changes only the fields sent, and deletes", async () => {
    const endpoint = await createEndpoint({ description: "keep me" });
    const changed = await patch(`/v1/admin/webhooks/${endpoint.id}`, { enabled: false, events: ["ticket.closed"] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ enabled: false, events: ["ticket.closed"], description: "keep me", url: `${receiver.url}/parley` });
    expect((await patch(`/v1/admin/webhooks/${endpoint.id}`, {})).body).toMatchObject({ enabled: false });

    expect((await client.call("DELETE", `/v1/admin/webhooks/${endpoint.id}`, { token })).body).toEqual({ ok: true });
    for (const res of [await get(`/v1/admin/webhooks/${endpoint.id}`), await post(`/v1/admin/webhooks/${endpoint.id}/test`)]) {
      expect([res.status, res.body.error.code]).toEqual([404, "not_found"]);
    }
  });
});

describe("test event and rotation", () => {
  it("sends a signed webhook.test now and answers what the receiver said", async () => {
    const endpoint = await createEndpoint();
    receiver.useSecret(endpoint.secret);
    const before = receiver.received.length;

    const res = await post(`/v1/admin/webhooks/${endpoint.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, statusCode: 204, error: null, messageId: expect.stringMatching(/^msg_test_/) });
    const [delivery] = receiver.received.slice(before);
    expect(delivery!.verifyError).toBeNull();
    expect(delivery!.id).toBe(res.body.messageId);
    expect(WebhookPayloadSchema.parse(delivery!.verified)).toMatchObject({ type: "webhook.test", data: { endpointId: endpoint.id } });

    receiver.reply({ status: 500, body: "receiver broke" });
    const failed = await post(`/v1/admin/webhooks/${endpoint.id}/test`);
    expect(failed.body).toMatchObject({ ok: false, statusCode: 500, error: "answered 500: receiver broke" });
  });

  it("rotates the secret: answered once, and deliveries verify with the new one only", async () => {
    const endpoint = await createEndpoint();
    const rotated = await post(`/v1/admin/webhooks/${endpoint.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(JSON.stringify((await get(`/v1/admin/webhooks/${endpoint.id}`)).body)).not.toContain(rotated.body.secret);

    receiver.useSecret(rotated.body.secret);
    const before = receiver.received.length;
    expect((await post(`/v1/admin/webhooks/${endpoint.id}/test`)).body.ok).toBe(true);
    const [delivery] = receiver.received.slice(before);
    expect(delivery!.verifyError).toBeNull();
    const headers = { "webhook-id": delivery!.id, "webhook-timestamp": delivery!.timestamp, "webhook-signature": delivery!.signature };
    expect(() => new Webhook(endpoint.secret).verify(delivery!.body, headers)).toThrow(/signature/i);
  });
});

describe("delivery log and replay", () => {
  // The API's own database file, opened by this process too, with a dispatcher of our own over
  // it: what a second server would run. It makes one attempt per entry, so a failure is at once
  // dead. Its entries are written leased to it (the hand-over a command gives the rooms), so a
  // dispatcher in the API process never races it for them; after a replay either may send.
  let db: Database;
  let dispatcher: Dispatcher;
  beforeAll(async () => {
    db = await openDatabase(`file:${api.dbFile}`);
    dispatcher = createDispatcher({
      db,
      channels: { webhook: webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: true }) },
      policies: { webhook: { maxAttempts: 1 } },
      handOverChannels: ["webhook"],
      log: () => {},
    });
  });
  afterAll(() => db?.close());

  /** What a command writes for a ticket of the demo site (webhookEntries + writeOutbox), and the dispatcher's first, failed attempt. */
  async function failedEntry(endpointId: string) {
    const at = Date.now();
    const ticket = ticketSnapshot({
      id: `t-replay-${clientId("t")}`, number: "TKT-2026-000777", siteId, subject: "Replay me", source: "api", customerName: null, customerEmail: null, createdAt: at, updatedAt: at,
    });
    receiver.reply({ status: 500, body: "answered badly" });
    const stored = await db.write(async (tx) =>
      writeOutbox(tx, (await webhookEntries(tx, { type: "ticket.created", ticket }, at)).filter((e) => e.target === endpointId), { handOver: dispatcher.handOver }),
    );
    const entry = stored[0]!;
    expect(entry.claimedBy).toBe(dispatcher.owner);
    dispatcher.wake(stored);
    await dispatcher.idle();
    const [attempt] = await deliveriesOfEntry(db.orm, entry.id);
    expect(attempt).toMatchObject({ attempt: 1, outcome: "dead" });
    return { outboxId: entry.id, deliveryId: attempt!.id, body: entry.payload as string };
  }

  it("lists the endpoint's attempts from the outbox's log; a replay puts the event back in line and the dispatcher sends the same webhook-id and bytes", async () => {
    const endpoint = await createEndpoint();
    receiver.useSecret(endpoint.secret);
    const { outboxId, deliveryId, body } = await failedEntry(endpoint.id);

    const log = await get(`/v1/admin/webhooks/${endpoint.id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.items).toEqual([
      { id: deliveryId, messageId: `msg_${outboxId}`, eventType: "ticket.created", attempt: 1, outcome: "dead", statusCode: 500, latencyMs: expect.any(Number), error: "answered 500: answered badly", at: expect.any(String), entryStatus: "dead" },
    ]);

    const replay = await post(`/v1/admin/webhooks/${endpoint.id}/deliveries/${deliveryId}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ messageId: `msg_${outboxId}`, status: "queued", nextAttemptAt: expect.any(String) });
    const before = receiver.received.length;
    await dispatcher.drainOnce();
    await receiver.waitFor(before + 1);
    const [delivery] = receiver.received.slice(before);
    expect(delivery!.verifyError).toBeNull();
    expect(delivery!.id).toBe(`msg_${outboxId}`);
    expect(delivery!.body).toBe(body);

    // Logged once the dispatcher that sent it marks it (ours at once; one in the API shortly after).
    const latest = async () => (await get(`/v1/admin/webhooks/${endpoint.id}/deliveries?limit=1`)).body;
    await expect.poll(async () => (await latest()).items[0]?.entryStatus, { timeout: 20_000 }).toBe("delivered");
    const after = await latest();
    // The replay's attempts count afresh; the earlier ones stay in the log.
    expect(after.items).toMatchObject([{ attempt: 1, outcome: "delivered", statusCode: 204, error: null, messageId: `msg_${outboxId}`, entryStatus: "delivered" }]);
    const older = await get(`/v1/admin/webhooks/${endpoint.id}/deliveries?limit=1&cursor=${after.nextCursor}`);
    expect(older.body).toMatchObject({ items: [{ id: deliveryId, attempt: 1, outcome: "dead" }], nextCursor: null });
  });

  it("leaves an event still in line where it is, and refuses a replay to a disabled endpoint with 409", async () => {
    const endpoint = await createEndpoint();
    receiver.useSecret(endpoint.secret);
    const { outboxId, deliveryId } = await failedEntry(endpoint.id);
    // Two replays at once: one puts the event back in line, the other finds it there (or, if a
    // dispatcher was that quick, already sent again and queues it once more). Never two queued
    // copies: it is the same entry.
    const answers = await Promise.all([1, 2].map(() => post(`/v1/admin/webhooks/${endpoint.id}/deliveries/${deliveryId}/replay`)));
    expect(answers.map((a) => a.body.messageId)).toEqual([`msg_${outboxId}`, `msg_${outboxId}`]);
    expect(answers.map((a) => a.body.status)).toContain("queued");
    const entries = await db.orm.all<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE payload = (SELECT payload FROM outbox WHERE id = ${outboxId})`);
    expect(Number(entries[0]!.n)).toBe(1);

    await patch(`/v1/admin/webhooks/${endpoint.id}`, { enabled: false });
    const refused = await post(`/v1/admin/webhooks/${endpoint.id}/deliveries/${deliveryId}/replay`);
    expect([refused.status, refused.body.error.code]).toEqual([409, "conflict"]);
  });

  it("answers 404 for a delivery of another endpoint or none at all, 400 for a cursor of the wrong shape", async () => {
    const mine = await createEndpoint();
    const theirs = await createEndpoint();
    receiver.useSecret(theirs.secret);
    const { deliveryId } = await failedEntry(theirs.id);
    for (const path of [`/v1/admin/webhooks/${mine.id}/deliveries/${deliveryId}/replay`, `/v1/admin/webhooks/${mine.id}/deliveries/999999/replay`]) {
      const res = await post(path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 404, "not_found"]);
    }
    expect((await post(`/v1/admin/webhooks/${mine.id}/deliveries/abc/replay`)).status).toBe(400);
    const wrongShape = Buffer.from(JSON.stringify(["text", "1"])).toString("base64url");
    expect((await get(`/v1/admin/webhooks/${mine.id}/deliveries?cursor=${wrongShape}`)).status).toBe(400);
  });

  it("the server's own dispatcher sends what a command committed, each message numbered as the customer sees it (no note, no gap)", async () => {
    const endpoint = await createEndpoint({ url: `${receiver.url}/visible`, events: ["message.created"] });
    receiver.useSecret(endpoint.secret);
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    const agent = await client.login("ada@parley.test");
    const send = (token: string, path: string, body: Record<string, unknown>) => client.call("POST", path, { token, body: { clientId: clientId(), ...body } });
    expect((await send(visitor.token, `/v1/tickets/${number}/messages`, { body: "my export fails" })).status).toBe(201);
    expect((await send(agent.token, `/v1/agent/tickets/${number}/messages`, { body: "note: known bug", internal: true })).status).toBe(201);
    const reply = await send(agent.token, `/v1/agent/tickets/${number}/messages`, { body: "fixed now", internal: false });
    expect(reply.body.seq).toBe(3);

    // Nothing here drains: the API's dispatcher, started at boot with the webhook channel, sends.
    const mine = () =>
      receiver.received
        .filter((hook) => hook.path === "/visible")
        .map((hook) => WebhookPayloadSchema.parse(JSON.parse(hook.body)))
        .filter((body) => body.type === "message.created" && (body.data as { ticket: { number: string } }).ticket.number === number);
    while (mine().length < 2) await receiver.waitFor(receiver.received.length + 1);
    const hooks = receiver.received.filter((hook) => hook.path === "/visible");
    expect(hooks.every((hook) => hook.verifyError === null)).toBe(true);
    expect(mine().map((body) => (body.data as { message: { seq: number; body: string } }).message)).toMatchObject([
      { seq: 1, body: "my export fails" },
      { seq: 2, body: "fixed now" },
    ]);
  });
});
