/**
 * Ticket creation in-process, as the route makes it (the openTicket command on a real libSQL
 * file, one at a time), on a manual site (routing costs one primary-key read of the site's
 * setting) and on an automatic one (the members' loads counted from the (assignee, status)
 * index, the pointer read and moved, the assignment written and announced). On the automatic
 * site the seeded agents are available with capacity 10, and the ticket created 30 creations
 * earlier is resolved after each one (not timed), so the team carries a steady load of about
 * 30 active tickets. Variants interleave round by round so the machine's load falls on all
 * alike. Prints µs per creation; never judges them.
 *
 * A third variant, for comparison, makes a manual site's ticket and then the same assignment by
 * hand (the assign command).
 *
 *   npx tsx bench/routing.ts [--creations <per round>] [--rounds <n>] [--variants manual,automatic,assign]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import type { CommandContext } from "../server/commands/command.js";
import { openTicket } from "../server/commands/open-ticket.js";
import { assign, resolve } from "../server/commands/ticket-actions.js";
import { openDatabase } from "../server/db/client.js";
import { agentSites, sites } from "../server/db/schema.js";
import { seedDemo } from "../server/db/seed/seed.js";
import { createWebhookEndpointCache } from "../server/db/webhook-endpoint-cache.js";
import { formatTable, machineLine, percentile } from "./support.js";

const { values } = parseArgs({
  options: { creations: { type: "string", default: "300" }, rounds: { type: "string", default: "6" }, variants: { type: "string", default: "manual,automatic,assign" } },
});
const creations = Number(values.creations);
const rounds = Number(values.rounds);
const wanted = values.variants.split(",");

const dir = mkdtempSync(join(tmpdir(), "parley-bench-routing-"));
const db = await openDatabase(`file:${join(dir, "bench.db")}`);
await seedDemo(db, { adminEmail: "admin@parley.test", adminPassword: "bench-admin-password", passwordIterations: 1_000, demoOrigins: [] });
const [demo] = await db.orm.select().from(sites).limit(1);
const outbox: CommandContext["outbox"] = { accepts: () => true, handOver: null, wake: () => undefined };
const context: CommandContext = { db, now: Date.now, outbox, webhookEndpoints: createWebhookEndpointCache() };

const variants: { label: string; siteId: string; open: string[]; assignTo?: string }[] = [];
if (wanted.includes("manual")) variants.push({ label: "manual site", siteId: demo!.id, open: [] });
if (wanted.includes("assign")) {
  // For comparison: a manual site's ticket and then the same assignment made by hand (two commands).
  const [member] = await db.orm.select().from(agentSites).where(eq(agentSites.siteId, demo!.id)).limit(1);
  variants.push({ label: "manual + assign", siteId: demo!.id, open: [], assignTo: member!.agentId });
}
if (wanted.includes("automatic")) {
  // A copy of the demo site that routes automatically, with the same team.
  const id = "bench-automatic";
  await db.write(async (tx) => {
    await tx.run(sql`insert into sites (id, public_key, name, identity_secret, routing, created_at) values (${id}, 'pk_bench_auto', 'Automatic', 'x', 'automatic', 0)`);
    await tx.run(sql`insert into agent_sites (agent_id, site_id, created_at) select agent_id, ${id}, 0 from agent_sites where site_id = ${demo!.id}`);
    await tx.run(sql`update agents set status = 'available', capacity = 10, tier = 1`);
  });
  variants.push({ label: "automatic site", siteId: id, open: [] });
}

const create = async (variant: (typeof variants)[number]) => {
  const start = performance.now();
  const { ticket } = await openTicket(context, { siteId: variant.siteId, visitorId: null, customerName: "Bench", customerEmail: null, subject: "Bench", description: "Bench", source: "api" }, { type: "customer", id: null });
  if (variant.assignTo) await assign(context, { ticket: { number: ticket.number }, agentId: variant.assignTo, actor: { type: "system", id: null } });
  const took = performance.now() - start;
  if (ticket.assigneeId === null && variant.label === "automatic site") throw new Error("the automatic site left a ticket unrouted; the bench's steady load is wrong");
  variant.open.push(ticket.number);
  if (variant.open.length > 30) await resolve(context, { ticket: { number: variant.open.shift()! }, actor: { type: "system", id: null } });
  return took;
};

const samples = new Map<string, number[]>(variants.map((variant) => [variant.label, []]));
for (const variant of variants) for (let i = 0; i < 100; i++) await create(variant); // warm up
for (let round = 0; round < rounds; round++) {
  for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
    const list = samples.get(variant.label)!;
    for (let i = 0; i < creations; i++) list.push(await create(variant));
  }
}

const µs = (ms: number) => `${Math.round(ms * 1000)} µs`;
const rows = variants.map(({ label }) => {
  const sorted = [...samples.get(label)!].sort((a, b) => a - b);
  return { label, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
});
console.log(machineLine("node").replace(/; API on .*/, ""));
console.log(`${rounds} rounds × ${creations} ticket creations per variant, interleaved, on a libSQL file (WAL)`);
console.log(formatTable(["variant", "p50", "p99", "mean"], rows.map((row) => [row.label, µs(row.p50), µs(row.p99), µs(row.mean)])));
db.close();
rmSync(dir, { recursive: true, force: true });
