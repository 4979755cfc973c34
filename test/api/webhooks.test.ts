import { createClient, type Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookPayloadSchema } from "../../protocol/index.js";
import { webhookEntries } from "../../server/commands/outbox/webhook-entries.js";
import * as schema from "../../server/db/schema.js";
import type { TicketSnapshot } from "../../server/domain/events.js";
import { apiClient, type ApiClient } from "../support/client.js";
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
  let raw: Client;
  beforeAll(async () => {
    raw = createClient({ url: `file:${api.dbFile}` });
    // The outbox and its delivery log belong to the dispatcher's migration; where it is not
    // merged yet these stand in with the columns the admin routes read (a no-op once it is).
    await raw.executeMultiple(`
      create table if not exists outbox (id integer primary key autoincrement, channel text not null, target text not null,
        event_type text not null, payload text not null, ticket_id text, status text not null default 'pending',
        attempts integer not null default 0, next_attempt_at integer not null, lease_until integer, claimed_by text,
        created_at integer not null, delivered_at integer, last_error text);
      create table if not exists deliveries (id integer primary key autoincrement, outbox_id integer not null, channel text not null,
        target text not null, attempt integer not null, outcome text not null, status_code integer, latency_ms integer not null,
        error text, at integer not null);`);
  });
  afterAll(() => raw?.close());

  /** An entry as a command would write it (built by webhookEntries), and a failed first attempt as the dispatcher logs it. */
  async function failedEntry(endpointId: string, status: "pending" | "dead" = "dead") {
    const at = Date.now();
    const ticket: TicketSnapshot = {
      id: "t-replay", number: "TKT-2026-000777", siteId, subject: "Replay me", status: "open", priority: "normal", source: "api",
      categoryId: null, departmentId: null, tier: 1, tags: [], assigneeId: null, visitorId: null, customerName: null, customerEmail: null,
      createdAt: at, updatedAt: at, resolvedAt: null, closedAt: null,
    };
    const entries = await webhookEntries(drizzle(raw, { schema }), { type: "ticket.created", ticket }, at);
    const entry = entries.find((e) => e.target === endpointId)!;
    const inserted = await raw.execute({
      sql: "insert into outbox (channel, target, event_type, payload, ticket_id, status, attempts, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, 1, ?, ?) returning id",
      args: [entry.channel, entry.target, entry.eventType, JSON.stringify(entry.payload), null, status, at + 60_000, at],
    });
    const outboxId = Number(inserted.rows[0]!.id);
    const logged = await raw.execute({
      sql: "insert into deliveries (outbox_id, channel, target, attempt, outcome, status_code, latency_ms, error, at) values (?, 'webhook', ?, 1, ?, 500, 12, 'answered 500', ?) returning id",
      args: [outboxId, endpointId, status === "dead" ? "dead" : "retry", at],
    });
    return { outboxId, deliveryId: Number(logged.rows[0]!.id), body: entry.payload as string };
  }

  it("lists the endpoint's attempts and replays one with the same webhook-id and bytes, logging the new attempt", async () => {
    const endpoint = await createEndpoint();
    receiver.useSecret(endpoint.secret);
    const { outboxId, deliveryId, body } = await failedEntry(endpoint.id);

    const log = await get(`/v1/admin/webhooks/${endpoint.id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.items).toEqual([
      { id: deliveryId, messageId: `msg_${outboxId}`, eventType: "ticket.created", attempt: 1, outcome: "dead", statusCode: 500, latencyMs: 12, error: "answered 500", at: expect.any(String), entryStatus: "dead" },
    ]);

    const before = receiver.received.length;
    const replay = await post(`/v1/admin/webhooks/${endpoint.id}/deliveries/${deliveryId}/replay`);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ ok: true, statusCode: 204, messageId: `msg_${outboxId}` });
    const [delivery] = receiver.received.slice(before);
    expect(delivery!.verifyError).toBeNull();
    expect(delivery!.id).toBe(`msg_${outboxId}`);
    expect(delivery!.body).toBe(body);

    const after = await get(`/v1/admin/webhooks/${endpoint.id}/deliveries?limit=1`);
    // The receiver has it now: the dead entry is settled as delivered.
    expect(after.body.items).toMatchObject([{ attempt: 2, outcome: "delivered", statusCode: 204, error: null, messageId: `msg_${outboxId}`, entryStatus: "delivered" }]);
    const older = await get(`/v1/admin/webhooks/${endpoint.id}/deliveries?limit=1&cursor=${after.body.nextCursor}`);
    expect(older.body).toMatchObject({ items: [{ id: deliveryId, attempt: 1 }], nextCursor: null });
  });

  it("logs a failed replay without settling anything: a pending entry stays the dispatcher's to retry", async () => {
    const endpoint = await createEndpoint();
    receiver.useSecret(endpoint.secret);
    const { deliveryId } = await failedEntry(endpoint.id, "pending");
    receiver.reply({ status: 502, body: "still down" });
    const replay = await post(`/v1/admin/webhooks/${endpoint.id}/deliveries/${deliveryId}/replay`);
    expect(replay.body).toMatchObject({ ok: false, statusCode: 502, error: "answered 502: still down" });
    const log = await get(`/v1/admin/webhooks/${endpoint.id}/deliveries`);
    expect(log.body.items.map((d: { attempt: number; outcome: string; entryStatus: string }) => [d.attempt, d.outcome, d.entryStatus])).toEqual([
      [2, "retry", "pending"],
      [1, "retry", "pending"],
    ]);
  });

  it("answers 404 for a delivery of another endpoint or none at all, 400 for a cursor of the wrong shape", async () => {
    const mine = await createEndpoint();
    const theirs = await createEndpoint();
    const { deliveryId } = await failedEntry(theirs.id);
    for (const path of [`/v1/admin/webhooks/${mine.id}/deliveries/${deliveryId}/replay`, `/v1/admin/webhooks/${mine.id}/deliveries/999999/replay`]) {
      const res = await post(path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 404, "not_found"]);
    }
    expect((await post(`/v1/admin/webhooks/${mine.id}/deliveries/abc/replay`)).status).toBe(400);
    const wrongShape = Buffer.from(JSON.stringify(["text", "1"])).toString("base64url");
    expect((await get(`/v1/admin/webhooks/${mine.id}/deliveries?cursor=${wrongShape}`)).status).toBe(400);
  });
});
