import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/client.js";
import { outboxEntry, writeOutbox, type StoredOutboxEntry } from "../db/outbox.js";
import type { Channel, DeliveryOutcome, NewOutboxEntry, OutboxChannel, OutboxEntry } from "./channel.js";
import { deliveriesOfEntry, deliveriesOfTarget, redeliver } from "./delivery-log.js";
import { createDispatcher, type DispatcherOptions } from "./dispatcher.js";

const dir = mkdtempSync(join(tmpdir(), "parley-outbox-"));
const opened: Database[] = [];
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});
let files = 0;
async function freshDatabase(): Promise<Database> {
  const db = await openDatabase(`file:${join(dir, `outbox-${++files}.db`)}`);
  opened.push(db);
  return db;
}

/**
 * A channel that receives for real: it records every delivery, answers as its script says
 * (default: success), and lets a test wait until given entries have arrived.
 */
class RecordingChannel implements Channel {
  readonly received: OutboxEntry[] = [];
  private waiters: { done: (entries: OutboxEntry[]) => boolean; resolve: () => void }[] = [];
  constructor(
    readonly name: OutboxChannel,
    private readonly answer: (entry: OutboxEntry, attempt: number) => DeliveryOutcome | Promise<DeliveryOutcome> = () => ({ ok: true, statusCode: 200 }),
  ) {}
  async deliver(entry: OutboxEntry): Promise<DeliveryOutcome> {
    const outcome = await this.answer(entry, entry.attempts + 1);
    this.received.push({ ...entry, attempts: entry.attempts });
    if (outcome.ok) this.delivered.push(entry.id);
    this.waiters = this.waiters.filter((w) => (w.done(this.received) ? (w.resolve(), false) : true));
    return outcome;
  }
  readonly delivered: number[] = [];
  /** Resolves once `ids` have all been delivered successfully. */
  until(ids: number[]): Promise<void> {
    const done = () => ids.every((id) => this.delivered.includes(id));
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done, resolve }));
  }
}

const entry = (target: string, n: number, channel: OutboxChannel = "room"): NewOutboxEntry => ({
  channel,
  target,
  eventType: "message.created",
  payload: { n, text: `message ${n}` },
  ticketId: null,
});

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t, advance: (ms: number) => (c.t += ms) };
  return c;
}

const quick = { room: { baseMs: 1_000, factor: 2, capMs: 8_000, maxAttempts: 4, timeoutMs: 5_000 } };

async function statusOf(db: Database, id: number) {
  return (await outboxEntry(db.orm, id))!;
}

describe("writeOutbox", () => {
  it("stores entries in one insert, in order, with the payload as written", async () => {
    const db = await freshDatabase();
    const stored = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 1), entry("ticket:b", 2), entry("ticket:a", 3)], { now: 5 }));
    expect(stored.map((s) => s.id)).toEqual([1, 2, 3]);
    expect(stored.every((s) => s.claimedBy === null && s.leaseUntil === null)).toBe(true);
    const record = await statusOf(db, 3);
    expect(record).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: 5, payloadJson: '{"n":3,"text":"message 3"}', target: "ticket:a" });
  });

  it("hands an entry over only when every earlier pending entry of its queue is the dispatcher's own", async () => {
    const db = await freshDatabase();
    const c = clock();
    const mine = { owner: "me", leaseMs: 60_000, channels: ["room"] as OutboxChannel[], now: c.now };
    const theirs = { ...mine, owner: "them" };
    const [a1] = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 1)], { handOver: mine }));
    const [a2, b1] = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 2), entry("ticket:b", 1)], { handOver: mine }));
    expect(a1).toMatchObject({ claimedBy: "me", after: null, leaseUntil: c.t + 60_000 });
    expect(a2).toMatchObject({ claimedBy: "me", after: a1!.id });
    expect(b1).toMatchObject({ claimedBy: "me", after: null });
    // Another server's write to the same queue waits behind ours; ours then waits behind theirs.
    const [a3] = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 3)], { handOver: theirs }));
    expect(a3).toMatchObject({ claimedBy: null });
    const [a4] = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 4)], { handOver: mine }));
    expect(a4).toMatchObject({ claimedBy: null });
    // Webhook entries are never handed over; a lease that lapsed is nobody's.
    const [w] = await db.write((tx) => writeOutbox(tx, [entry("endpoint-1", 1, "webhook")], { handOver: mine }));
    expect(w).toMatchObject({ claimedBy: null });
    c.advance(61_000);
    const [b2] = await db.write((tx) => writeOutbox(tx, [entry("ticket:b", 2)], { handOver: mine }));
    expect(b2).toMatchObject({ claimedBy: null });
  });
});

describe("the dispatcher", () => {
  it("delivers a handed-over entry from memory at once, then marks it and logs the attempt", async () => {
    const db = await freshDatabase();
    const room = new RecordingChannel("room");
    const dispatcher = createDispatcher({ db, channels: { room } });
    const stored = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 1), entry("site:s", 1)], { handOver: dispatcher.handOver }));
    dispatcher.wake(stored);
    await room.until(stored.map((s) => s.id));
    await dispatcher.idle();
    for (const s of stored) {
      expect(await statusOf(db, s.id)).toMatchObject({ status: "delivered", attempts: 1, claimedBy: null, leaseUntil: null });
      expect(await deliveriesOfEntry(db.orm, s.id)).toMatchObject([{ attempt: 1, outcome: "delivered", statusCode: 200, channel: "room", target: s.target }]);
    }
    expect(room.received.map((r) => r.payload)).toEqual([{ n: 1, text: "message 1" }, { n: 1, text: "message 1" }]);
  });

  it("retries with backoff, logging every attempt, until the channel takes it", async () => {
    const db = await freshDatabase();
    const c = clock();
    const webhook = new RecordingChannel("webhook", (_, attempt) => (attempt <= 3 ? { ok: false, statusCode: 503, error: `busy ${attempt}` } : { ok: true, statusCode: 204 }));
    const policies = { webhook: { baseMs: 1_000, factor: 2, capMs: 60_000, maxAttempts: 8, timeoutMs: 5_000 } };
    const dispatcher = createDispatcher({ db, channels: { webhook }, policies, now: c.now, random: () => 0.5 });
    const [stored] = await db.write((tx) => writeOutbox(tx, [entry("endpoint-1", 1, "webhook")], { now: c.t }));

    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await dispatcher.drainOnce()).toEqual({ claimed: 1, delivered: 0, retried: 1, dead: 0 });
      const record = await statusOf(db, stored!.id);
      expect(record).toMatchObject({ status: "pending", attempts: attempt, lastError: `busy ${attempt}`, claimedBy: null });
      waits.push(record.nextAttemptAt - c.t);
      c.advance(record.nextAttemptAt - c.t - 1);
      expect((await dispatcher.drainOnce()).claimed).toBe(0); // not due yet
      c.advance(1);
    }
    expect(waits).toEqual([750, 1_500, 3_000]); // base·factor^(n-1), half of it jittered at 0.5
    expect(await dispatcher.drainOnce()).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 });
    expect(await statusOf(db, stored!.id)).toMatchObject({ status: "delivered", attempts: 4, deliveredAt: c.t, lastError: null });
    const log = await deliveriesOfEntry(db.orm, stored!.id);
    expect(log.map((d) => [d.attempt, d.outcome, d.statusCode, d.error])).toEqual([
      [1, "retry", 503, "busy 1"],
      [2, "retry", 503, "busy 2"],
      [3, "retry", 503, "busy 3"],
      [4, "delivered", 204, null],
    ]);
    expect(log.every((d) => d.latencyMs >= 0 && d.target === "endpoint-1")).toBe(true);
    expect((await deliveriesOfTarget(db.orm, { channel: "webhook", target: "endpoint-1", limit: 3 })).items.map((d) => d.attempt)).toEqual([4, 3, 2]);
  });

  it("holds the rest of a queue while its head waits for a retry, and moves on once the head is dead", async () => {
    const db = await freshDatabase();
    const c = clock();
    const room = new RecordingChannel("room", (e) => ((e.payload as { n: number }).n === 1 ? { ok: false, error: "room unreachable" } : { ok: true }));
    const dispatcher = createDispatcher({ db, channels: { room }, policies: { room: { ...quick.room, maxAttempts: 3 } }, now: c.now, random: () => 0 });
    const stored = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 1), entry("ticket:a", 2), entry("ticket:b", 3)], { now: c.t }));

    expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 3, delivered: 1, retried: 1 });
    expect(room.delivered).toEqual([stored[2]!.id]); // ticket:b is its own queue; ticket:a's second waits
    expect(await statusOf(db, stored[1]!.id)).toMatchObject({ status: "pending", attempts: 0, claimedBy: null });
    for (let i = 0; i < 2; i++) {
      c.advance(10_000);
      await dispatcher.drainOnce();
    }
    expect(await statusOf(db, stored[0]!.id)).toMatchObject({ status: "dead", attempts: 3, lastError: "room unreachable" });
    expect(room.delivered).toEqual([stored[2]!.id, stored[1]!.id]);
    expect((await deliveriesOfEntry(db.orm, stored[0]!.id)).map((d) => d.outcome)).toEqual(["retry", "retry", "dead"]);
  });

  it("is dead at once on a permanent failure", async () => {
    const db = await freshDatabase();
    const webhook = new RecordingChannel("webhook", () => ({ ok: false, statusCode: 410, error: "endpoint deleted", permanent: true }));
    const dispatcher = createDispatcher({ db, channels: { webhook } });
    const [stored] = await db.write((tx) => writeOutbox(tx, [entry("endpoint-9", 1, "webhook")]));
    expect(await dispatcher.drainOnce()).toEqual({ claimed: 1, delivered: 0, retried: 0, dead: 1 });
    expect(await statusOf(db, stored!.id)).toMatchObject({ status: "dead", attempts: 1, lastError: "endpoint deleted" });
    expect(await deliveriesOfEntry(db.orm, stored!.id)).toMatchObject([{ attempt: 1, outcome: "dead", statusCode: 410 }]);
  });

  it("counts a thrown error or a hung channel as a failed attempt", async () => {
    const db = await freshDatabase();
    let calls = 0;
    const room = new RecordingChannel("room", () => {
      calls += 1;
      if (calls === 1) throw new Error("socket closed");
      return new Promise<DeliveryOutcome>(() => undefined); // never answers
    });
    const dispatcher = createDispatcher({ db, channels: { room }, policies: { room: { baseMs: 0, capMs: 0, maxAttempts: 2, timeoutMs: 50 } } });
    const [stored] = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 1)]));
    await dispatcher.drainOnce();
    await dispatcher.drainOnce();
    expect(await statusOf(db, stored!.id)).toMatchObject({ status: "dead", attempts: 2, lastError: "no answer within 50 ms" });
    expect((await deliveriesOfEntry(db.orm, stored!.id)).map((d) => d.error)).toEqual(["socket closed", "no answer within 50 ms"]);
  });

  it("keeps per-queue order under concurrent writers and failures, and delivers everything", async () => {
    const db = await freshDatabase();
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const order = new Map<string, number[]>();
    const room = new RecordingChannel("room", (e) => {
      if (random() < 0.1) return { ok: false, error: "flaky" };
      const seen = order.get(e.target) ?? [];
      seen.push(e.id);
      order.set(e.target, seen);
      return { ok: true };
    });
    const dispatcher = createDispatcher({ db, channels: { room }, pollMs: 20, policies: { room: { baseMs: 1, factor: 2, capMs: 4, maxAttempts: 60 } } });
    await dispatcher.start();
    const targets = Array.from({ length: 12 }, (_, i) => (i === 0 ? "site:s" : `ticket:${i}`));
    // 30 writers at once, each a few transactions; most hand over, every fifth only wakes.
    const writes = await Promise.all(
      Array.from({ length: 30 }, async (_, writer) => {
        const mine: StoredOutboxEntry[] = [];
        for (let k = 0; k < 4; k++) {
          const batch = [entry(targets[(writer + k) % 12]!, writer * 10 + k), entry(targets[0]!, writer * 10 + k), entry(targets[(writer * 5 + k) % 12]!, writer * 10 + k)];
          const stored = await db.write((tx) => writeOutbox(tx, batch, { handOver: writer % 10 === 0 ? null : dispatcher.handOver }));
          dispatcher.wake(stored);
          mine.push(...stored);
        }
        return mine;
      }),
    );
    const all = writes.flat();
    // Both paths really ran: entries handed over from memory, and entries left to claim rounds.
    expect(all.filter((s) => s.claimedBy === dispatcher.owner).length).toBeGreaterThan(20);
    expect(all.filter((s) => s.claimedBy === null).length).toBeGreaterThan(20);
    await room.until(all.map((s) => s.id));
    await dispatcher.stop();

    for (const target of targets) {
      const expected = all.filter((s) => s.target === target).map((s) => s.id).sort((a, b) => a - b);
      expect(order.get(target)).toEqual(expected); // each once, in id order
    }
    const left = await db.orm.get<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE status <> 'delivered' OR claimed_by IS NOT NULL`);
    expect(Number(left!.n)).toBe(0);
    expect(room.received.length).toBeGreaterThan(all.length); // the flaky answers really happened
  });

  it("keeps claiming while its hands are full: more entries than one batch all go out", async () => {
    const db = await freshDatabase();
    // A slow room: the round after a full batch finds both still in hand.
    const room = new RecordingChannel("room", () => new Promise<DeliveryOutcome>((resolve) => setTimeout(() => resolve({ ok: true }), 30)));
    const dispatcher = createDispatcher({ db, channels: { room }, batchSize: 2, pollMs: 10 });
    const stored = await db.write((tx) => writeOutbox(tx, Array.from({ length: 7 }, (_, n) => entry(`ticket:${n}`, n))));
    await dispatcher.start();
    await room.until(stored.map((s) => s.id));
    await dispatcher.stop();
  });

  it("never lets a late wake() overtake, nor a lost one hold its queue for longer than the lease", async () => {
    const db = await freshDatabase();
    const c = clock();
    const room = new RecordingChannel("room");
    const dispatcher = createDispatcher({ db, channels: { room }, now: c.now, leaseMs: 60_000 });
    const write = (n: number) => db.write((tx) => writeOutbox(tx, [entry("ticket:a", n)], { handOver: dispatcher.handOver }));
    const first = await write(1);
    const second = await write(2);
    dispatcher.wake(second); // arrives before its predecessor's: it waits
    await new Promise((r) => setImmediate(r));
    expect(room.received).toEqual([]);
    dispatcher.wake(first);
    await room.until([first[0]!.id, second[0]!.id]);
    expect(room.delivered).toEqual([first[0]!.id, second[0]!.id]);

    const lost = await write(3); // its wake() never comes (the command died after the commit)
    const next = await write(4);
    expect(next[0]!.after).toBe(lost[0]!.id);
    dispatcher.wake(next);
    await dispatcher.drainOnce();
    expect(room.delivered).toHaveLength(2);
    c.advance(60_001); // the leases lapse: a claim round sends both, in order
    expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(room.delivered).toEqual([1, 2, 3, 4]);
  });

  it("takes over entries whose lease lapsed, and a restarted owner takes back its own at once", async () => {
    const db = await freshDatabase();
    const c = clock();
    const room = new RecordingChannel("room");
    const options: DispatcherOptions = { db, channels: { room }, now: c.now, leaseMs: 60_000 };
    const crashed = createDispatcher({ ...options, owner: "server-1" });
    // Written and leased for a hand-over that never happens: the process died after the commit.
    const lapsed = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 1)], { handOver: crashed.handOver }));
    const other = createDispatcher({ ...options, owner: "server-2" });
    expect((await other.drainOnce()).claimed).toBe(0);
    c.advance(60_001);
    expect(await other.drainOnce()).toMatchObject({ claimed: 1, delivered: 1 });

    const held = await db.write((tx) => writeOutbox(tx, [entry("ticket:b", 2)], { handOver: crashed.handOver }));
    const restarted = createDispatcher({ ...options, owner: "server-1", pollMs: 10 });
    await restarted.start();
    await room.until([...lapsed, ...held].map((s) => s.id));
    await restarted.stop();
    expect(await statusOf(db, held[0]!.id)).toMatchObject({ status: "delivered" });
  });

  it("replays an entry under its own id with the bytes it was stored with", async () => {
    const db = await freshDatabase();
    const webhook = new RecordingChannel("webhook");
    const dispatcher = createDispatcher({ db, channels: { webhook } });
    const [stored] = await db.write((tx) => writeOutbox(tx, [{ ...entry("endpoint-1", 1, "webhook"), payload: { b: 1, a: [2, "é"] } }]));
    await dispatcher.drainOnce();
    const before = await statusOf(db, stored!.id);
    expect(await redeliver(db, stored!.id)).toMatchObject({ status: "queued", entry: { id: stored!.id, status: "pending", attempts: 0 } });
    expect(await redeliver(db, stored!.id)).toMatchObject({ status: "pending" });
    expect(await redeliver(db, 999)).toEqual({ status: "unknown" });
    await dispatcher.drainOnce();
    expect(webhook.received.map((r) => [r.id, r.payload])).toEqual([
      [stored!.id, { b: 1, a: [2, "é"] }],
      [stored!.id, { b: 1, a: [2, "é"] }],
    ]);
    expect((await statusOf(db, stored!.id)).payloadJson).toBe(before.payloadJson);
    expect((await deliveriesOfEntry(db.orm, stored!.id)).map((d) => d.outcome)).toEqual(["delivered", "delivered"]);
  });

  it("stop() lets what is in flight finish and marks it", async () => {
    const db = await freshDatabase();
    let answer!: (outcome: DeliveryOutcome) => void;
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    const room = new RecordingChannel("room", () => {
      started();
      return new Promise<DeliveryOutcome>((r) => (answer = r));
    });
    const dispatcher = createDispatcher({ db, channels: { room } });
    await dispatcher.start();
    const stored = await db.write((tx) => writeOutbox(tx, [entry("ticket:a", 1)], { handOver: dispatcher.handOver }));
    dispatcher.wake(stored);
    await inFlight;
    let stoppedYet = false;
    const stopping = dispatcher.stop().then(() => (stoppedYet = true));
    await new Promise((r) => setImmediate(r));
    expect(stoppedYet).toBe(false);
    answer({ ok: true });
    await stopping;
    expect(await statusOf(db, stored[0]!.id)).toMatchObject({ status: "delivered", claimedBy: null });
  });
});
