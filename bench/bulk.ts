/**
 * A bulk status change over 500 tickets on a fresh libSQL file, through the same code the
 * route runs (runBulkAction: one command, one transaction per ticket, announcements in the
 * outbox and a real dispatcher delivering them to rooms that count what they hear). For a
 * few settings of how many tickets are in the write queue at once it prints the bulk's
 * p50/p99, and the p50/p99 of single ticket changes made one after another by someone else
 * while the bulk runs: what a colleague's write waits behind it.
 * Prints figures and never judges them; on a shared machine only the ratios mean much.
 *
 *   npm run bench:bulk -- [--tickets 500] [--runs 12] [--in-flight 1,16,500]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { BulkActionBody } from "../protocol/index.js";
import { BULK_WRITES_IN_FLIGHT, runBulkAction } from "../server/commands/bulk-actions.js";
import type { CommandContext } from "../server/commands/command.js";
import { openTicket } from "../server/commands/open-ticket.js";
import { changeTicket } from "../server/commands/ticket-actions.js";
import { openDatabase } from "../server/db/client.js";
import { createReferenceCache } from "../server/db/reference-cache.js";
import type { SiteRow } from "../server/db/rows.js";
import { sites } from "../server/db/schema.js";
import { seedDemo } from "../server/db/seed/seed.js";
import { createDeliveryRuntime } from "../server/delivery/delivery-runtime.js";
import { formatTable, percentile } from "./support.js";

const { values } = parseArgs({
  options: { tickets: { type: "string", default: "500" }, runs: { type: "string", default: "12" }, "in-flight": { type: "string", default: `1,${BULK_WRITES_IN_FLIGHT},500` } },
});
const ticketCount = Number(values.tickets);
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "parley-bench-bulk-"));

const p50p99 = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return [percentile(sorted, 50), percentile(sorted, 99)].map((ms) => ms.toFixed(1));
};

const db = await openDatabase(`file:${join(dir, "bulk.db")}`);
await seedDemo(db, { adminEmail: "admin@parley.test", adminPassword: "admin-password-1", passwordIterations: 1_000, demoOrigins: [] });
const reference = createReferenceCache(db.orm);
let heard = 0;
const runtime = createDeliveryRuntime({
  db,
  rooms: { reachable: () => true, deliver: async () => void heard++ },
  categories: () => reference.categories(),
  log: (message, error) => console.error(message, error),
});
await runtime.start();
const context: CommandContext & { log: (message: string, error?: unknown) => void } = { db, now: Date.now, outbox: runtime, log: (message, error) => console.error(message, error) };
const [site] = (await db.orm.select().from(sites)) as [SiteRow];
const actor = { type: "agent" as const, id: null };

const open = async (subject: string) =>
  (await openTicket(context, { siteId: site.id, visitorId: null, customerName: "Vera", customerEmail: null, subject, description: "bench", source: "api" }, { type: "customer", id: null })).ticket.number;
const numbers: string[] = [];
for (let i = 0; i < ticketCount; i++) numbers.push(await open(`Bulk bench ${i}`));
const bystander = await open("Someone else's ticket");

const rows: string[][] = [];
for (const inFlight of values["in-flight"].split(",").map(Number)) {
  const bulkMs: number[] = [];
  const singleMs: number[] = [];
  for (let run = 0; run < runs + 2; run++) {
    // Back and forth between two states that are legal from each other, so every run changes every ticket.
    const body: BulkActionBody = { action: "status", status: run % 2 === 0 ? "in_progress" : "pending_customer", numbers };
    let done = false;
    const started = performance.now();
    const bulk = runBulkAction(context, { body, actor, ticketRef: (number) => ({ number }), inFlight }).then((outcomes) => {
      done = true;
      const failed = outcomes.filter((outcome) => !outcome.ok);
      if (failed.length > 0) throw new Error(`${failed.length} tickets failed: ${JSON.stringify(failed[0])}`);
      return performance.now() - started;
    });
    let priority: "high" | "low" = "high";
    const singles: number[] = [];
    while (!done) {
      const at = performance.now();
      await changeTicket(context, { ticket: { number: bystander }, change: { priority }, actor });
      singles.push(performance.now() - at);
      priority = priority === "high" ? "low" : "high";
    }
    const elapsed = await bulk;
    if (run >= 2) {
      // the first two warm up
      bulkMs.push(elapsed);
      singleMs.push(...singles);
    }
  }
  rows.push([`${inFlight} in flight${inFlight === BULK_WRITES_IN_FLIGHT ? " (the route's)" : ""}`, ...p50p99(bulkMs), ...p50p99(singleMs), String(singleMs.length)]);
}

await runtime.idle();
await runtime.stop();
db.close();
rmSync(dir, { recursive: true, force: true });

console.log(`bulk status change over ${ticketCount} tickets, ${runs} runs each, fresh libSQL file; ${cpus().length} CPUs, Node ${process.version}`);
console.log(formatTable(["tickets in the write queue", "bulk p50 ms", "bulk p99 ms", "other write p50 ms", "other write p99 ms", "other writes"], rows));
console.log(`room notifications delivered: ${heard}`);
