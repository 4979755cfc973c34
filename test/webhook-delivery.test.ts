import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebhookPayloadSchema } from "../protocol/index.js";
import { webhookEntries } from "../server/commands/outbox/webhook-entries.js";
import { openDatabase, type Database } from "../server/db/client.js";
import { sites, webhookEndpoints } from "../server/db/schema.js";
import type { NewOutboxEntry, OutboxEntry } from "../server/delivery/channel.js";
import type { DomainEvent, TicketSnapshot } from "../server/domain/events.js";
import { ticketSnapshot } from "../server/domain/snapshot-fixture.js";
import { newWebhookSecret } from "../server/delivery/webhooks/sign.js";
import type { HostResolver } from "../server/delivery/webhooks/ssrf-guard.js";
import { webhookChannel, type WebhookChannel } from "../server/delivery/webhooks/webhook-channel.js";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * The webhook half of the outbox on a real libSQL file and a real receiver on loopback:
 * which entries an event produces, and what the channel does with one. (Retries, backoff and
 * the dead state belong to the dispatcher and are tested with it.)
 */
let dir: string;
let db: Database;
let receiver: WebhookReceiver;
let channel: WebhookChannel;
const siteId = "site-hooks";
const otherSiteId = "site-other";
const at = Date.UTC(2026, 11, 2, 8, 0);

const snapshot = (site = siteId): TicketSnapshot =>
  ticketSnapshot({ id: `ticket-${site}`, number: "TKT-2026-000042", siteId: site, subject: "Invoices are missing", priority: "high", createdAt: at, updatedAt: at });
const messageEvent = (internal: boolean, site = siteId): DomainEvent => ({
  type: "message.created",
  ticket: snapshot(site),
  senderType: "customer",
  visibleSeq: internal ? null : 1,
  message: { id: "m1", seq: 1, clientId: "c-12345678", senderType: "customer", senderName: "Rosa", body: "Où sont mes factures ? ✓", internal, attachments: [], createdAt: new Date(at).toISOString() },
});

async function addEndpoint(fields: Partial<typeof webhookEndpoints.$inferInsert> = {}) {
  const [row] = await db.write((tx) =>
    tx
      .insert(webhookEndpoints)
      .values({ id: crypto.randomUUID(), siteId, url: `${receiver.url}/hooks`, events: ["message.created"], secret: newWebhookSecret(), ...fields })
      .returning(),
  );
  return row!;
}

let nextId = 1;
const stored = (entry: NewOutboxEntry): OutboxEntry => ({ ...entry, id: nextId++, attempts: 0, createdAt: at });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-webhooks-"));
  db = await openDatabase(`file:${join(dir, "parley.db")}`);
  await db.write(async (tx) => {
    await tx.insert(sites).values({ id: siteId, publicKey: "pk_hooks", name: "Hooks", identitySecret: "x" });
    await tx.insert(sites).values({ id: otherSiteId, publicKey: "pk_other", name: "Other", identitySecret: "x" });
  });
  receiver = await startWebhookReceiver();
  channel = webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: true, limits: { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 } });
});
afterAll(async () => {
  await receiver?.stop();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.write((tx) => tx.delete(webhookEndpoints));
});

describe("webhookEntries", () => {
  it("produces nothing for a site without endpoints", async () => {
    expect(await db.write((tx) => webhookEntries(tx, messageEvent(false), at))).toEqual([]);
  });

  it("addresses one entry to each enabled endpoint of the ticket's site that subscribes to the type", async () => {
    const subscribed = await addEndpoint({ events: ["ticket.created", "message.created"] });
    await addEndpoint({ events: ["ticket.created"] });
    await addEndpoint({ enabled: false });
    await addEndpoint({ siteId: otherSiteId });
    const entries = await db.write((tx) => webhookEntries(tx, messageEvent(false), at));
    expect(entries.map((e) => [e.channel, e.target, e.eventType, e.ticketId])).toEqual([["webhook", subscribed.id, "message.created", `ticket-${siteId}`]]);
    const body = WebhookPayloadSchema.parse(JSON.parse(entries[0]!.payload as string));
    expect(body).toMatchObject({ type: "message.created", timestamp: new Date(at).toISOString(), data: { message: { body: "Où sont mes factures ? ✓" } } });
  });

  it("produces nothing for an internal note, even with every endpoint subscribed", async () => {
    await addEndpoint();
    expect(await db.write((tx) => webhookEntries(tx, messageEvent(true), at))).toEqual([]);
  });
});

describe("the webhook channel", () => {
  it("signs and POSTs the stored bytes; the receiver verifies them with standardwebhooks, and a retry keeps the webhook-id", async () => {
    const endpoint = await addEndpoint();
    receiver.useSecret(endpoint.secret);
    const [entry] = (await db.write((tx) => webhookEntries(tx, messageEvent(false), at))).map(stored);
    const before = receiver.received.length;

    expect(await channel.deliver(entry!)).toEqual({ ok: true, statusCode: 204 });
    expect(await channel.deliver(entry!)).toEqual({ ok: true, statusCode: 204 });

    const [first, second] = receiver.received.slice(before);
    for (const delivery of [first!, second!]) {
      expect(delivery.verifyError).toBeNull();
      expect(delivery.id).toBe(`msg_${entry!.id}`);
      expect(delivery.body).toBe(entry!.payload);
      expect(delivery.path).toBe("/hooks");
      expect(delivery.headers.host).toBe(`127.0.0.1:${receiver.port}`);
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(delivery.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    }
    expect(first!.verified).toMatchObject({ type: "message.created" });
  });

  it("fails with the status and an excerpt of the answer; 410 Gone is permanent, a redirect is not followed", async () => {
    const endpoint = await addEndpoint();
    receiver.useSecret(endpoint.secret);
    const [entry] = (await db.write((tx) => webhookEntries(tx, messageEvent(false), at))).map(stored);

    receiver.reply({ status: 503, body: "busy, try later" });
    expect(await channel.deliver(entry!)).toEqual({ ok: false, statusCode: 503, error: "answered 503: busy, try later" });

    receiver.reply({ status: 410 });
    expect(await channel.deliver(entry!)).toMatchObject({ ok: false, statusCode: 410, permanent: true });

    const before = receiver.received.length;
    receiver.reply({ status: 302, headers: { location: `${receiver.url}/elsewhere` } });
    expect(await channel.deliver(entry!)).toEqual({ ok: false, statusCode: 302, error: "answered 302; redirects are not followed" });
    expect(receiver.received.slice(before).map((r) => r.path)).toEqual(["/hooks"]);
  });

  it("reads a capped part of a huge answer and gives up on one that never comes", async () => {
    const endpoint = await addEndpoint();
    receiver.useSecret(endpoint.secret);
    const [entry] = (await db.write((tx) => webhookEntries(tx, messageEvent(false), at))).map(stored);
    const capped = webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: true, limits: { timeoutMs: 10_000, maxResponseBytes: 1024 } });
    const impatient = webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: true, limits: { timeoutMs: 500, maxResponseBytes: 1024 } });

    receiver.reply({ status: 500, body: "x".repeat(2 * 1024 * 1024) });
    const huge = await capped.deliver(entry!);
    expect(huge).toMatchObject({ ok: false, statusCode: 500 });
    expect(huge.ok === false && huge.error.length).toBeLessThan(600);

    receiver.reply("hang");
    expect(await impatient.deliver(entry!)).toEqual({ ok: false, error: "no complete answer within 0.5 s" });
  });

  it("fails permanently when the endpoint was deleted or disabled, and refuses a URL the guard refuses at delivery", async () => {
    const endpoint = await addEndpoint();
    const [entry] = (await db.write((tx) => webhookEntries(tx, messageEvent(false), at))).map(stored);

    // The same stored endpoint, seen by a server without the development switch: DNS (or the
    // policy) may have changed since the URL was accepted, so every attempt is vetted again.
    const before = receiver.received.length;
    const strict = webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: false });
    expect(await strict.deliver(entry!)).toEqual({ ok: false, error: "refused: 127.0.0.1 is a loopback address", permanent: true });
    expect(receiver.received.length).toBe(before);

    await db.write((tx) => tx.update(webhookEndpoints).set({ enabled: false }).where(eq(webhookEndpoints.id, endpoint.id)));
    expect(await channel.deliver(entry!)).toEqual({ ok: false, error: "the endpoint is disabled", permanent: true });
    await db.write((tx) => tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)));
    expect(await channel.deliver(entry!)).toEqual({ ok: false, error: "the endpoint was deleted", permanent: true });
  });

  it("connects to the address it vetted, resolving the name once per attempt, and keeps the name in Host", async () => {
    // A rebinding name answers a harmless address to the check and an internal one afterwards;
    // the request must go where the check looked. This name exists only in this resolver.
    const lookups: string[] = [];
    const rebinding: HostResolver = async (name) => {
      lookups.push(name);
      return [{ address: lookups.length % 2 === 1 ? "127.0.0.1" : "169.254.169.254", family: 4 }];
    };
    const pinned = webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: true, resolve: rebinding });
    const endpoint = await addEndpoint({ url: `http://hooks.rebind.test:${receiver.port}/pinned` });
    receiver.useSecret(endpoint.secret);
    const entry = stored({ channel: "webhook", target: endpoint.id, eventType: "message.created", payload: '{"type":"message.created"}', ticketId: null });
    const before = receiver.received.length;

    expect(await pinned.deliver(entry)).toEqual({ ok: true, statusCode: 204 });
    expect(lookups).toEqual(["hooks.rebind.test"]);
    const [delivery] = receiver.received.slice(before);
    expect(delivery!.headers.host).toBe(`hooks.rebind.test:${receiver.port}`);
    expect(delivery!.path).toBe("/pinned");
    expect(delivery!.verifyError).toBeNull();

    // The next attempt resolves afresh and this time the answer is refused before any connection.
    expect(await pinned.deliver(entry)).toMatchObject({ ok: false, permanent: true, error: expect.stringMatching(/169\.254\.169\.254, which is a cloud metadata address/) });
    expect(receiver.received.length).toBe(before + 1);
  });

  it("keeps an entry whose host does not resolve for a retry: DNS outages pass", async () => {
    const outage: HostResolver = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    const resolving = webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: true, resolve: outage });
    const endpoint = await addEndpoint({ url: "https://hooks.gone.test/in" });
    const entry = stored({ channel: "webhook", target: endpoint.id, eventType: "message.created", payload: "{}", ticketId: null });
    expect(await resolving.deliver(entry)).toEqual({ ok: false, error: "hooks.gone.test does not resolve (ENOTFOUND)" });
  });

  it("refuses a connection the receiver never accepts as a plain failure, to be retried", async () => {
    const endpoint = await addEndpoint({ url: "http://127.0.0.1:1/hooks" });
    const entry = stored({ channel: "webhook", target: endpoint.id, eventType: "message.created", payload: "{}", ticketId: null });
    expect(await channel.deliver(entry)).toMatchObject({ ok: false, error: expect.stringMatching(/^ECONNREFUSED/) });
  });
});
