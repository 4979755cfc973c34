/**
 * The outbox on the message-write path, on a real libSQL file:
 *  1. what writing a message's outbox entries adds to its transaction (no entries; one
 *     multi-row INSERT; with the hand-over's SELECT; drizzle's insert builder for reference);
 *  2. commit → channel latency: handed over in memory after the commit, versus a bare wake()
 *     that makes the dispatcher claim the entries in a transaction of its own.
 * Prints figures (p50/p99) and never judges them.
 *
 *   npm run bench:outbox -- [--writes <n>]
 */
import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase, type Database, type Tx } from "../server/db/client.js";
import { writeOutbox } from "../server/db/outbox.js";
import { outbox } from "../server/db/schema.js";
import type { Channel, NewOutboxEntry, OutboxEntry } from "../server/delivery/channel.js";
import { createDispatcher } from "../server/delivery/dispatcher.js";
import { formatTable, machineLine, percentile } from "./support.js";

const { values } = parseArgs({ options: { writes: { type: "string", default: "2000" } } });
const writes = Number(values.writes);
const dir = mkdtempSync(join(tmpdir(), "parley-bench-outbox-"));

const figures = (samples: number[], unit: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return [percentile(sorted, 50) * unit, percentile(sorted, 99) * unit].map((v) => v.toFixed(unit === 1000 ? 0 : 2));
};

/** What a message write announces: its ticket room, the site room, one webhook endpoint. */
const entriesFor = (n: number): NewOutboxEntry[] => [
  { channel: "room", target: `ticket:${n % 50}`, eventType: "message.created", payload: { type: "message.created", seq: n, body: "Hello, my order has not arrived yet." }, ticketId: `t${n % 50}` },
  { channel: "room", target: "site:demo", eventType: "ticket.updated", payload: { type: "ticket.updated", number: `TKT-2026-${n}` }, ticketId: `t${n % 50}` },
  { channel: "webhook", target: "endpoint-1", eventType: "message.created", payload: { type: "message.created", seq: n }, ticketId: `t${n % 50}` },
];

/** Stands for the message insert the outbox rides along with. */
const insertMessage = (tx: Tx, n: number) =>
  tx.run(sql`INSERT INTO bench_messages (ticket_id, seq, body, created_at) VALUES (${`t${n % 50}`}, ${n}, ${"Hello, my order has not arrived yet."}, ${Date.now()})`);

async function freshDatabase(name: string): Promise<Database> {
  const db = await openDatabase(`file:${join(dir, `${name}.db`)}`);
  await db.client.execute("CREATE TABLE bench_messages (id INTEGER PRIMARY KEY, ticket_id TEXT, seq INTEGER, body TEXT, created_at INTEGER)");
  return db;
}

async function timeWrites(name: string, write: (tx: Tx, n: number, db: Database) => Promise<unknown>): Promise<number[]> {
  const db = await freshDatabase(name);
  const samples: number[] = [];
  for (let n = 0; n < writes + 100; n++) {
    const started = performance.now();
    await db.write((tx) => write(tx, n, db));
    if (n >= 100) samples.push(performance.now() - started); // the first hundred warm up
    // As the dispatcher would, untimed: delivered entries leave the pending queues, which
    // therefore stay as short as they are in service.
    await db.client.execute("UPDATE outbox SET status = 'delivered', lease_until = NULL, claimed_by = NULL WHERE status = 'pending'");
  }
  db.close();
  return samples;
}

const handOverOf = (owner: string) => ({ owner, leaseMs: 60_000, channels: ["room" as const], now: Date.now });

const writeRows: string[][] = [];
const baseline = await timeWrites("baseline", (tx, n) => insertMessage(tx, n));
writeRows.push(["message only", ...figures(baseline, 1000)]);
const plain = await timeWrites("multi-row", async (tx, n) => {
  await insertMessage(tx, n);
  await writeOutbox(tx, entriesFor(n));
});
writeRows.push(["+ writeOutbox, 3 entries (one INSERT)", ...figures(plain, 1000)]);
const handedOver = await timeWrites("hand-over", async (tx, n) => {
  await insertMessage(tx, n);
  await writeOutbox(tx, entriesFor(n), { handOver: handOverOf("bench") });
});
writeRows.push(["+ writeOutbox with hand-over (SELECT + INSERT)", ...figures(handedOver, 1000)]);
const builder = await timeWrites("builder", async (tx, n) => {
  await insertMessage(tx, n);
  const at = Date.now();
  await tx
    .insert(outbox)
    .values(entriesFor(n).map((e) => ({ channel: e.channel, target: e.target, eventType: e.eventType, payload: JSON.stringify(e.payload), ticketId: e.ticketId, nextAttemptAt: at, createdAt: at })))
    .returning({ id: outbox.id });
});
writeRows.push(["(reference) drizzle insert builder, 3 rows", ...figures(builder, 1000)]);

/** Commit → the room channel has the entry, over `writes` sequential message writes. */
async function timeDelivery(mode: "hand-over" | "claim"): Promise<{ samples: number[]; transactions: number }> {
  const db = await freshDatabase(`latency-${mode}`);
  const arrived = new Map<number, () => void>();
  const room: Channel = {
    name: "room",
    async deliver(entry: OutboxEntry) {
      arrived.get(entry.id)?.();
      return { ok: true };
    },
  };
  const dispatcher = createDispatcher({ db, channels: { room }, pollMs: 1_000 });
  await dispatcher.start();
  let transactions = 0;
  const write = db.write.bind(db);
  db.write = (work) => ((transactions += 1), write(work));
  const samples: number[] = [];
  for (let n = 0; n < writes; n++) {
    const entries = entriesFor(n).filter((e) => e.channel === "room");
    const stored = await db.write(async (tx) => {
      await insertMessage(tx, n);
      return writeOutbox(tx, entries, { handOver: mode === "hand-over" ? dispatcher.handOver : null });
    });
    const committed = performance.now();
    const first = new Promise<void>((resolve) => arrived.set(stored[0]!.id, resolve));
    dispatcher.wake(mode === "hand-over" ? stored : undefined);
    await first;
    samples.push(performance.now() - committed);
    // A server yields to the event loop between requests (the driver's awaits alone do not).
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The last site-room entry may still wait for its queue: let it out, then stop.
  await dispatcher.idle();
  await dispatcher.drainOnce();
  await dispatcher.stop();
  const left = await db.client.execute("SELECT count(*) AS n FROM outbox WHERE status <> 'delivered'");
  if (Number(left.rows[0]!.n) !== 0) throw new Error(`${mode}: ${String(left.rows[0]!.n)} entries were not marked delivered`);
  db.close();
  return { samples, transactions };
}

const latencyRows: string[][] = [];
for (const mode of ["hand-over", "claim"] as const) {
  const { samples, transactions } = await timeDelivery(mode);
  latencyRows.push([mode === "hand-over" ? "handed over in memory" : "bare wake(), claimed", ...figures(samples, 1), String(writes), String(transactions - writes)]);
}

console.log(machineLine("node"));
console.log(`\nWrite transaction with the outbox (${writes} sequential writes, µs)`);
console.log(formatTable(["transaction", "p50 µs", "p99 µs"], writeRows));
console.log(`\nCommit → room channel (${writes} sequential message writes, 2 room entries each)`);
console.log(formatTable(["path", "p50 ms", "p99 ms", "message txns", "dispatcher txns"], latencyRows));
rmSync(dir, { recursive: true, force: true });
