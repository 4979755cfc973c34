import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { webhookEntries } from "../server/commands/outbox/webhook-entries.js";
import { openDatabase, type Database } from "../server/db/client.js";
import { outboxEntry, writeOutbox, type StoredOutboxEntry } from "../server/db/outbox.js";
import { sites, webhookEndpoints } from "../server/db/schema.js";
import { deliveriesOfEntry } from "../server/delivery/delivery-log.js";
import { createDispatcher, type Dispatcher } from "../server/delivery/dispatcher.js";
import { backoffDelay, retryPolicies, type RetryPolicy } from "../server/delivery/retry-policy.js";
import { endpointDeliveries, replayEndpointDelivery } from "../server/delivery/webhooks/endpoint-log.js";
import { newWebhookSecret } from "../server/delivery/webhooks/sign.js";
import { webhookChannel } from "../server/delivery/webhooks/webhook-channel.js";
import type { DomainEvent, TicketSnapshot } from "../server/domain/events.js";
import { ticketSnapshot } from "../server/domain/snapshot-fixture.js";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * The webhook channel as the outbox dispatcher drives it, on a real libSQL file and a real
 * receiver on loopback that verifies every request with standardwebhooks' `Webhook.verify`:
 * entries built by webhookEntries() from a domain event and stored by writeOutbox(), then
 * retries, backoff, the delivery log, the dead state and replay — all the dispatcher's.
 *
 * The dispatcher's clock is the test's (drainOnce rounds, no timers), kept within seconds of
 * the real one because receivers refuse signatures older than five minutes.
 */
let dir: string;
let db: Database;
let receiver: WebhookReceiver;
const siteId = "site-outbox-hooks";
let clock = Date.now();
const now = () => clock;
const random = () => 0.5;
const policy: Partial<RetryPolicy> = { maxAttempts: 4, baseMs: 1_000, factor: 2, capMs: 60_000, timeoutMs: 10_000 };
const webhookPolicy = retryPolicies({ webhook: policy }).webhook;

const dispatcherWith = (allowPrivate: boolean): Dispatcher =>
  createDispatcher({ db, channels: { webhook: webhookChannel({ orm: db.orm, now, allowPrivate }) }, policies: { webhook: policy }, now, random, log: () => {} });

const snapshot = (): TicketSnapshot =>
  ticketSnapshot({ id: "ticket-outbox-1", number: "TKT-2026-000314", siteId, subject: "Export fails", customerName: "Ines", customerEmail: "ines@example.com", createdAt: clock, updatedAt: clock });

async function addEndpoint(fields: Partial<typeof webhookEndpoints.$inferInsert> = {}) {
  const [row] = await db.write((tx) =>
    tx
      .insert(webhookEndpoints)
      .values({ id: crypto.randomUUID(), siteId, url: `${receiver.url}/hooks`, events: ["ticket.created"], secret: newWebhookSecret(), ...fields })
      .returning(),
  );
  return row!;
}

/** What a command does: the event's webhook entries, written in the same transaction. */
async function announce(event: DomainEvent): Promise<StoredOutboxEntry[]> {
  return db.write(async (tx) => writeOutbox(tx, await webhookEntries(tx, event, clock), { now: clock }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-webhook-outbox-"));
  db = await openDatabase(`file:${join(dir, "parley.db")}`);
  await db.write((tx) => tx.insert(sites).values({ id: siteId, publicKey: "pk_outbox_hooks", name: "Outbox hooks", identitySecret: "x" }));
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.stop();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.write(async (tx) => {
    await tx.run(sql`DELETE FROM deliveries`);
    await tx.run(sql`DELETE FROM outbox`);
    await tx.delete(webhookEndpoints);
  });
});

describe("webhooks delivered by the outbox dispatcher", () => {
  it("a receiver that fails three times then succeeds gets the event once, each attempt signed and logged, after the backoff", async () => {
    const endpoint = await addEndpoint();
    receiver.useSecret(endpoint.secret);
    receiver.reply({ status: 500, body: "down" }, { status: 500, body: "down" }, { status: 503 });
    const [entry] = await announce({ type: "ticket.created", ticket: snapshot() });
    expect(entry).toMatchObject({ channel: "webhook", target: endpoint.id, eventType: "ticket.created" });
    const dispatcher = dispatcherWith(true);
    const before = receiver.received.length;

    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 1, retried: 1 });
      const waiting = (await outboxEntry(db.orm, entry!.id))!;
      expect(waiting).toMatchObject({ status: "pending", attempts: attempt, nextAttemptAt: clock + backoffDelay(webhookPolicy, attempt, random) });
      // Not due yet: the backoff holds it.
      expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 0 });
      clock = waiting.nextAttemptAt;
    }
    expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 1, delivered: 1 });

    const requests = receiver.received.slice(before);
    expect(requests).toHaveLength(4);
    for (const request of requests) {
      expect(request.verifyError).toBeNull();
      expect(request.id).toBe(`msg_${entry!.id}`);
      expect(request.body).toBe(entry!.payload);
    }
    expect(requests[0]!.verified).toMatchObject({ type: "ticket.created", data: { ticket: { number: "TKT-2026-000314" } } });
    // A receiver processes by webhook-id: one event, however many attempts it took.
    expect(new Set(requests.map((r) => r.id)).size).toBe(1);

    const log = await deliveriesOfEntry(db.orm, entry!.id);
    expect(log.map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [1, "retry", 500],
      [2, "retry", 500],
      [3, "retry", 503],
      [4, "delivered", 204],
    ]);
    expect(log[0]!.error).toBe("answered 500: down");
    expect((await outboxEntry(db.orm, entry!.id))!).toMatchObject({ status: "delivered", attempts: 4, lastError: null });
  });

  it("is dead after the last attempt; a replay of a logged attempt sends the same id and bytes again through the dispatcher", async () => {
    const endpoint = await addEndpoint();
    receiver.useSecret(endpoint.secret);
    receiver.reply(...Array.from({ length: 4 }, () => ({ status: 500, body: "broken" })));
    const [entry] = await announce({ type: "ticket.created", ticket: snapshot() });
    const dispatcher = dispatcherWith(true);
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 1, ...(attempt < 4 ? { retried: 1 } : { dead: 1 }) });
      clock = (await outboxEntry(db.orm, entry!.id))!.nextAttemptAt;
    }
    expect((await outboxEntry(db.orm, entry!.id))!).toMatchObject({ status: "dead", attempts: 4, lastError: "answered 500: broken" });
    const page = await endpointDeliveries(db.orm, endpoint.id, { limit: 10 });
    expect(page.items.map((d) => [d.attempt, d.outcome, d.entryStatus, d.eventType])).toEqual([
      [4, "dead", "dead", "ticket.created"],
      [3, "retry", "dead", "ticket.created"],
      [2, "retry", "dead", "ticket.created"],
      [1, "retry", "dead", "ticket.created"],
    ]);

    // Another endpoint's attempt is not this one's to replay.
    const other = await addEndpoint();
    expect(await replayEndpointDelivery(db, other.id, page.items[0]!.id, clock)).toEqual({ status: "unknown" });

    const before = receiver.received.length;
    const replay = await replayEndpointDelivery(db, endpoint.id, page.items[0]!.id, clock);
    expect(replay).toMatchObject({ status: "queued", entry: { id: entry!.id, status: "pending", attempts: 0 } });
    expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    const [again] = receiver.received.slice(before);
    expect(again!.verifyError).toBeNull();
    expect(again!.id).toBe(`msg_${entry!.id}`);
    expect(again!.body).toBe(entry!.payload);
    const after = await endpointDeliveries(db.orm, endpoint.id, { limit: 1 });
    // The log keeps the earlier attempts; the replay counts afresh.
    expect(after.items.map((d) => [d.attempt, d.outcome, d.statusCode, d.entryStatus])).toEqual([[1, "delivered", 204, "delivered"]]);
    expect(after.nextCursor).not.toBeNull();

    // Replaying an entry that is pending already changes nothing.
    receiver.reply({ status: 500 });
    const [next] = await announce({ type: "ticket.created", ticket: snapshot() });
    expect(await dispatcher.drainOnce()).toMatchObject({ retried: 1 });
    const [failed] = await deliveriesOfEntry(db.orm, next!.id);
    expect(await replayEndpointDelivery(db, endpoint.id, failed!.id, clock)).toMatchObject({ status: "pending", entry: { attempts: 1 } });
  });

  it("refuses loopback, private and metadata targets at delivery: dead at once, nothing sent", async () => {
    const loopback = await addEndpoint({ url: `${receiver.url}/hooks` });
    const named = await addEndpoint({ url: `http://localhost:${receiver.port}/hooks` });
    const mapped = await addEndpoint({ url: `http://[::ffff:127.0.0.1]:${receiver.port}/hooks` });
    const privateNet = await addEndpoint({ url: "http://10.0.0.1/hooks" });
    const metadata = await addEndpoint({ url: "http://169.254.169.254/latest/meta-data/" });
    const entries = await announce({ type: "ticket.created", ticket: snapshot() });
    expect(entries).toHaveLength(5);
    const before = receiver.received.length;

    // A server without the development switch.
    expect(await dispatcherWith(false).drainOnce()).toMatchObject({ claimed: 5, dead: 5 });
    expect(receiver.received.length).toBe(before);
    const errorOf = async (endpointId: string) => (await outboxEntry(db.orm, entries.find((e) => e.target === endpointId)!.id))!.lastError;
    expect(await errorOf(loopback.id)).toBe("refused: 127.0.0.1 is a loopback address");
    expect(await errorOf(named.id)).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/);
    expect(await errorOf(mapped.id)).toMatch(/^refused: .*loopback/);
    expect(await errorOf(privateNet.id)).toMatch(/^refused: 10\.0\.0\.1 is a private address/);
    expect(await errorOf(metadata.id)).toMatch(/^refused: .*metadata/);

    // With the switch, loopback passes; link-local and metadata never do.
    await db.write((tx) => tx.run(sql`DELETE FROM outbox`));
    receiver.useSecret(loopback.secret);
    await db.write((tx) => tx.run(sql`DELETE FROM webhook_endpoints WHERE id NOT IN (${loopback.id}, ${metadata.id})`));
    const allowed = await announce({ type: "ticket.created", ticket: snapshot() });
    expect(await dispatcherWith(true).drainOnce()).toMatchObject({ claimed: 2, delivered: 1, dead: 1 });
    expect((await outboxEntry(db.orm, allowed.find((e) => e.target === metadata.id)!.id))!.lastError).toMatch(/^refused: .*metadata/);
    expect(receiver.received.slice(before).map((r) => [r.id, r.verifyError])).toEqual([[`msg_${allowed.find((e) => e.target === loopback.id)!.id}`, null]]);
  });

  it("an endpoint deleted or disabled after the event is a permanent failure; one with no endpoints costs no entry", async () => {
    const disabled = await addEndpoint();
    const deleted = await addEndpoint();
    const entries = await announce({ type: "ticket.created", ticket: snapshot() });
    await db.write(async (tx) => {
      await tx.run(sql`UPDATE webhook_endpoints SET enabled = 0 WHERE id = ${disabled.id}`);
      await tx.run(sql`DELETE FROM webhook_endpoints WHERE id = ${deleted.id}`);
    });
    expect(await dispatcherWith(true).drainOnce()).toMatchObject({ claimed: 2, dead: 2 });
    const errors = await Promise.all(entries.map(async (e) => [e.target, (await outboxEntry(db.orm, e.id))!.lastError]));
    expect(Object.fromEntries(errors)).toEqual({ [disabled.id]: "the endpoint is disabled", [deleted.id]: "the endpoint was deleted" });

    await db.write((tx) => tx.delete(webhookEndpoints));
    expect(await announce({ type: "ticket.created", ticket: snapshot() })).toEqual([]);
  });
});
