/**
 * One message write in-process, as a route makes it: the postMessage command on a real
 * libSQL file (the message, the ticket update, its history row, and every channel's outbox
 * entries written in one transaction), one write at a time. Two variants, interleaved round
 * by round so the machine's load falls on both alike: the site's webhook endpoints read from
 * the table in every transaction, and the in-process copy checked against the table's stamp
 * (webhook-endpoint-cache.ts). The site has no endpoint, as most have. Prints µs per write;
 * never judges them.
 *
 *   npx tsx bench/message-write.ts [--writes <per round>] [--rounds <n>]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { CommandContext } from "../server/commands/command.js";
import { postMessage } from "../server/commands/ticket-messages.js";
import { openTicket } from "../server/commands/open-ticket.js";
import { openDatabase } from "../server/db/client.js";
import { sites } from "../server/db/schema.js";
import { seedDemo } from "../server/db/seed/seed.js";
import { createWebhookEndpointCache } from "../server/db/webhook-endpoint-cache.js";
import { formatTable, machineLine, percentile } from "./support.js";

const { values } = parseArgs({ options: { writes: { type: "string", default: "500" }, rounds: { type: "string", default: "6" } } });
const writes = Number(values.writes);
const rounds = Number(values.rounds);

const dir = mkdtempSync(join(tmpdir(), "parley-bench-message-write-"));
const db = await openDatabase(`file:${join(dir, "bench.db")}`);
await seedDemo(db, { adminEmail: "admin@parley.test", adminPassword: "bench-admin-password", passwordIterations: 1_000, demoOrigins: [] });
const [site] = await db.orm.select().from(sites).limit(1);

// Every entry is written (rooms included) and nothing is delivered: the write is what is measured.
const outbox: CommandContext["outbox"] = { accepts: () => true, handOver: null, wake: () => undefined };
const variants: { label: string; context: CommandContext }[] = [
  { label: "endpoints read from the table", context: { db, now: Date.now, outbox } },
  { label: "endpoints from the in-process copy", context: { db, now: Date.now, outbox, webhookEndpoints: createWebhookEndpointCache() } },
];

const ticket = await openTicket(variants[0]!.context, {
  siteId: site!.id,
  visitorId: null,
  customerName: "Bench",
  customerEmail: null,
  subject: "Bench",
  description: "Bench",
  source: "api",
}, { type: "customer", id: null });
let sequence = 0;
const write = (context: CommandContext) =>
  postMessage(context, {
    ticket: { number: ticket.ticket.number },
    clientId: `bench-${sequence++}`,
    body: "Hello, my sync stopped again.",
    sender: { type: "customer", id: null, name: "Bench" },
    internal: false,
    attachments: [],
  });

const samples = new Map<string, number[]>(variants.map((variant) => [variant.label, []]));
for (const variant of variants) for (let i = 0; i < 100; i++) await write(variant.context); // warm up the statement paths
for (let round = 0; round < rounds; round++) {
  for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
    const list = samples.get(variant.label)!;
    for (let i = 0; i < writes; i++) {
      const start = performance.now();
      await write(variant.context);
      list.push(performance.now() - start);
    }
  }
}

const µs = (ms: number) => `${Math.round(ms * 1000)} µs`;
const rows = variants.map(({ label }) => {
  const sorted = [...samples.get(label)!].sort((a, b) => a - b);
  return { label, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
});
console.log(machineLine("node").replace(/; API on .*/, ""));
console.log(`${rounds} rounds × ${writes} message writes per variant, interleaved, on a libSQL file (WAL); the site has no webhook endpoint`);
console.log(formatTable(["variant", "p50", "p99", "mean"], rows.map((row) => [row.label, µs(row.p50), µs(row.p99), µs(row.mean)])));
console.log(`copy ÷ table: p50 ${(rows[1]!.p50 / rows[0]!.p50).toFixed(2)}, mean ${(rows[1]!.mean / rows[0]!.mean).toFixed(2)}`);
db.close();
rmSync(dir, { recursive: true, force: true });
