/**
 * What addressing an event to a site's webhooks adds to a command's transaction. Each
 * transaction stands in for a message write (a ticket_events row and a ticket update on a
 * real libSQL file); the variants add `webhookEntries` for a site with no endpoints and for
 * one with three (two subscribed to the event), read from the table or from the in-process
 * copy (webhook-endpoint-cache.ts: one stamp read). Prints p50/p99 per transaction and the
 * lookup alone; never judges them.
 *
 *   npx tsx bench/webhook-entries.ts [--transactions <n>]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { webhookEntries } from "../server/commands/outbox/webhook-entries.js";
import { openDatabase, type Tx } from "../server/db/client.js";
import { sites, ticketEvents, tickets, webhookEndpoints } from "../server/db/schema.js";
import { createWebhookEndpointCache } from "../server/db/webhook-endpoint-cache.js";
import type { DomainEvent, TicketSnapshot } from "../server/domain/events.js";
import { ticketSnapshot } from "../server/domain/snapshot-fixture.js";
import { formatTable, machineLine, percentile } from "./support.js";

const { values } = parseArgs({ options: { transactions: { type: "string", default: "2000" } } });
const transactions = Number(values.transactions);

const dir = mkdtempSync(join(tmpdir(), "parley-bench-webhooks-"));
const db = await openDatabase(`file:${join(dir, "bench.db")}`);

const at = Date.now();
async function siteWithTicket(name: string) {
  const siteId = crypto.randomUUID();
  const ticketId = crypto.randomUUID();
  await db.write(async (tx) => {
    await tx.insert(sites).values({ id: siteId, publicKey: `pk_${name}`, name, identitySecret: "x" });
    await tx.insert(tickets).values({ id: ticketId, number: `TKT-2026-${name === "quiet" ? "000001" : "000002"}`, siteId, subject: "Bench", description: "Bench", source: "api" });
  });
  const snapshot = ticketSnapshot({ id: ticketId, number: "TKT-2026-000001", siteId, subject: "Bench", source: "api", customerName: null, customerEmail: null, createdAt: at, updatedAt: at });
  return { siteId, ticketId, snapshot };
}

const quiet = await siteWithTicket("quiet");
const busy = await siteWithTicket("busy");
await db.write(async (tx) => {
  for (const events of [["message.created"], ["message.created", "ticket.created"], ["ticket.closed"]] as const) {
    await tx.insert(webhookEndpoints).values({ id: crypto.randomUUID(), siteId: busy.siteId, url: "https://example.com/hook", events: [...events], secret: "whsec_x" });
  }
});

const eventFor = (snapshot: TicketSnapshot, seq: number): DomainEvent => ({
  type: "message.created",
  ticket: snapshot,
  senderType: "customer",
  visibleSeq: seq,
  message: { id: `m${seq}`, seq, clientId: null, senderType: "customer", senderName: null, body: "Hello, my sync stopped.", internal: false, attachments: [], createdAt: new Date(at).toISOString() },
});

async function messageWrite(tx: Tx, ticketId: string, seq: number) {
  await tx.insert(ticketEvents).values({ id: crypto.randomUUID(), ticketId, type: "message", actorType: "customer", actorId: null, data: { seq }, createdAt: at });
  await tx.update(tickets).set({ lastSeq: seq, updatedAt: at }).where(eq(tickets.id, ticketId));
}

const microseconds = (ms: number) => `${Math.round(ms * 1000)} µs`;

async function timed(label: string, run: (seq: number) => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await run(-i - 1); // warm up the statement paths
  const samples: number[] = [];
  for (let i = 0; i < transactions; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { label, p50: percentile(samples, 50), p99: percentile(samples, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

let entries = 0;
const copy = createWebhookEndpointCache();
const rows = [
  await timed("message write, no webhook lookup", (seq) => db.write((tx) => messageWrite(tx, quiet.ticketId, seq))),
  await timed("+ webhookEntries, site without endpoints", (seq) =>
    db.write(async (tx) => {
      await messageWrite(tx, quiet.ticketId, seq);
      entries += (await webhookEntries(tx, eventFor(quiet.snapshot, seq), at)).length;
    }),
  ),
  await timed("+ webhookEntries, site with 3 endpoints", (seq) =>
    db.write(async (tx) => {
      await messageWrite(tx, busy.ticketId, seq);
      entries += (await webhookEntries(tx, eventFor(busy.snapshot, seq), at)).length;
    }),
  ),
  await timed("+ webhookEntries from the in-process copy, no endpoints", (seq) =>
    db.write(async (tx) => {
      await messageWrite(tx, quiet.ticketId, seq);
      entries += (await webhookEntries(tx, eventFor(quiet.snapshot, seq), at, copy)).length;
    }),
  ),
  await timed("+ webhookEntries from the in-process copy, 3 endpoints", (seq) =>
    db.write(async (tx) => {
      await messageWrite(tx, busy.ticketId, seq);
      entries += (await webhookEntries(tx, eventFor(busy.snapshot, seq), at, copy)).length;
    }),
  ),
  await timed("webhookEntries alone, no endpoints (read)", (seq) => webhookEntries(db.orm, eventFor(quiet.snapshot, seq), at)),
  await timed("webhookEntries alone, no endpoints (copy: stamp read)", (seq) => webhookEntries(db.orm, eventFor(quiet.snapshot, seq), at, copy)),
  await timed("webhookEntries alone, 3 endpoints (read)", (seq) => webhookEntries(db.orm, eventFor(busy.snapshot, seq), at)),
  await timed("webhookEntries alone, 3 endpoints (copy: stamp read)", (seq) => webhookEntries(db.orm, eventFor(busy.snapshot, seq), at, copy)),
  await timed("webhookEntries alone, internal note", (seq) => {
    const event = eventFor(quiet.snapshot, seq);
    if (event.type === "message.created") event.message.internal = true;
    return webhookEntries(db.orm, event, at);
  }),
];

console.log(machineLine("node").replace(/; API on .*/, ""));
console.log(`${transactions} transactions per row on a libSQL file (WAL); ${entries} webhook entries built in all`);
console.log(formatTable(["variant", "p50", "p99", "mean"], rows.map((row) => [row.label, microseconds(row.p50), microseconds(row.p99), microseconds(row.mean)])));
db.close();
rmSync(dir, { recursive: true, force: true });
