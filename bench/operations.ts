/**
 * Support operations at desk scale, through the server's own functions on a filled libSQL file
 * (bench/scale-data.ts, with the SLA columns as the monitor leaves them): the stats endpoint's
 * query (computed live, then read from the daily rollup after a backfill), the queue's first
 * page under the SLA sort and filters, and a bulk action over 500 tickets. Prints p50/p99 per
 * case and never judges them; on a shared machine only the ratios mean much.
 *
 *   npm run bench:operations                 100,000 tickets / 1,000,000 messages
 *   npm run bench:operations -- --full       1,000,000 / 10,000,000
 *   npm run bench:operations -- --tickets 20000 --iterations 50 --bulk-runs 4
 *
 * The file (default data/bench/operations-<tickets>.db) is kept: a rerun measures at once (the
 * rollup is then already there, and the live figures are taken with it set aside).
 */
import { mkdirSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AgentTicketListQuerySchema, type BulkActionBody } from "../protocol/index.js";
import { runBulkAction } from "../server/commands/bulk-actions.js";
import { openDatabase } from "../server/db/client.js";
import { createReferenceCache, readCategoryTable } from "../server/db/reference-cache.js";
import { statsDays } from "../server/db/schema.js";
import { createDeliveryRuntime } from "../server/delivery/delivery-runtime.js";
import { EVERY_SITE } from "../server/domain/site-scope.js";
import { DAY_MS, dayOf, dayStart, daysBetween } from "../server/domain/stats.js";
import { presentWithExtras } from "../server/tickets/present.js";
import { queryQueue } from "../server/tickets/queue.js";
import { firstTicketDay, writeRollup } from "../server/tickets/stats.js";
import { queryStats, statsRange } from "../server/tickets/stats-report.js";
import { generate, type ScaleSize } from "./scale-data.js";
import { formatTable, timed } from "./support.js";

const { values: args } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    tickets: { type: "string" },
    messages: { type: "string" },
    db: { type: "string" },
    iterations: { type: "string", default: "40" },
    "bulk-runs": { type: "string", default: "6" },
  },
});
const tickets = Number(args.tickets ?? (args.full ? 1_000_000 : 100_000));
const size: ScaleSize = { tickets, messages: Number(args.messages ?? tickets * 10), articles: 0 };
const iterations = Number(args.iterations);
const bulkRuns = Number(args["bulk-runs"]);
const file = resolve(args.db ?? `data/bench/operations-${size.tickets}.db`);
mkdirSync(dirname(file), { recursive: true });
// The generated history ends on 2026-11-30 (scale-data.ts): "now" is noon of that day, so today has live work.
const NOW = Date.UTC(2026, 10, 30, 12);

const timedRuns = (count: number, work: (i: number) => Promise<unknown>) => timed(count, work, Math.min(5, count));
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);

console.log(`${cpus()[0]?.model ?? "cpu"} × ${availableParallelism()}, Node ${process.version}`);
console.log(`size: ${size.tickets} tickets, ${size.messages} messages; ${iterations} iterations per read case, ${bulkRuns} bulk runs\n`);

const db = await openDatabase(`file:${file}`);
try {
  const fill = await generate(db, size, (line) => console.error(line));
  if (fill.resumedAt < size.tickets) console.log(`generated in ${fill.seconds.toFixed(0)} s\n`);
  const rows = async (sql: string) => (await db.client.execute(sql)).rows;
  const siteIds = (await rows("SELECT id FROM sites ORDER BY id")).map((row) => String(row.id));
  const [department] = await rows("SELECT department_id AS id, count(*) AS n FROM tickets WHERE department_id IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 1");
  const [busiest] = await rows("SELECT assignee_id AS id, count(*) AS n FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 1");
  const agentId = String(busiest!.id);

  // --- stats -----------------------------------------------------------------------------------
  const cases: [string, { from?: string; site?: string; department?: string; agent?: string }][] = [
    ["30 days, every site", {}],
    ["30 days, busiest agent", { agent: agentId }],
    ["366 days, every site", { from: dayOf(NOW - 365 * DAY_MS) }],
    ["366 days, one site + largest department", { from: dayOf(NOW - 365 * DAY_MS), site: siteIds[0], department: String(department!.id) }],
  ];
  const statsOnce = (query: (typeof cases)[number][1]) => {
    const range = statsRange({ from: query.from }, NOW, 366);
    const sites = query.site ? [query.site] : siteIds;
    return queryStats(db.orm, { siteIds: sites, departmentId: query.department, agentId: query.agent }, range, NOW);
  };
  // Live: the rollup set aside (kept rows restored after).
  const kept = await db.orm.select().from(statsDays);
  await db.orm.delete(statsDays);
  const live = new Map<string, { p50: number; p99: number }>();
  for (const [label, query] of cases) {
    live.set(label, await timedRuns(Math.max(3, Math.ceil(iterations / 8)), () => statsOnce(query)));
    console.error(`stats live ${label}: p50 ${ms(live.get(label)!.p50)} ms`);
  }
  let rollupSeconds: number | null = null;
  if (kept.length > 0) {
    for (let i = 0; i < kept.length; i += 500) await db.orm.insert(statsDays).values(kept.slice(i, i + 500));
  } else {
    // The job's first run: every site's closed days (up to 400) in 31-day writes.
    const began = performance.now();
    const yesterday = dayOf(NOW - DAY_MS);
    for (const siteId of siteIds) {
      const first = await firstTicketDay(db.orm, siteId);
      if (!first) continue;
      const earliest = dayOf(dayStart(yesterday) - 399 * DAY_MS);
      const days = daysBetween(first < earliest ? earliest : first, yesterday);
      for (let i = 0; i < days.length; i += 31) await writeRollup(db, siteId, days.slice(i, i + 31), NOW);
    }
    rollupSeconds = (performance.now() - began) / 1000;
  }
  const statsRows: string[][] = [];
  for (const [label, query] of cases) {
    const rolled = await timedRuns(iterations, () => statsOnce(query));
    const before = live.get(label)!;
    statsRows.push([label, ms(before.p50), ms(before.p99), ms(rolled.p50), ms(rolled.p99), `${(before.p50 / rolled.p50).toFixed(1)}×`]);
  }
  console.log("stats (queryStats, as GET /v1/agent/stats; today live in both)");
  console.log(formatTable(["range", "live p50 ms", "live p99 ms", "rollup p50 ms", "rollup p99 ms", "live / rollup"], statsRows));
  const [rollupRows] = await rows("SELECT count(*) AS n FROM stats_daily");
  console.log(`rollup: ${rollupRows!.n} stats_daily rows${rollupSeconds !== null ? `, backfilled in ${rollupSeconds.toFixed(1)} s (400 days, every site)` : " (from an earlier run)"}\n`);

  // --- queue -----------------------------------------------------------------------------------
  const categoryTable = await readCategoryTable(db.orm);
  const queueCases: [string, Record<string, string>][] = [
    ["sort=due", { sort: "due" }],
    ["sla=at_risk", { sla: "at_risk" }],
    ["sla=breached", { sla: "breached" }],
    ["sla=at_risk&sort=due", { sla: "at_risk", sort: "due" }],
    ["sla=breached&sort=due", { sla: "breached", sort: "due" }],
    ["status=open&sort=due", { status: "open", sort: "due" }],
    ["assignee=me&sort=due (busiest)", { assignee: "me", sort: "due" }],
  ];
  const queueRows: string[][] = [];
  for (const [label, filter] of queueCases) {
    const query = AgentTicketListQuerySchema.parse(filter);
    const first = await queryQueue(db.orm, query, agentId, EVERY_SITE, NOW);
    const figures = await timedRuns(iterations, async () => {
      const { rows: page, extras } = await queryQueue(db.orm, query, agentId, EVERY_SITE, NOW);
      return presentWithExtras(page, extras, categoryTable, NOW);
    });
    queueRows.push([label, String(first.rows.length), ms(figures.p50), ms(figures.p99)]);
  }
  console.log("agent queue, first page (queryQueue + presentWithExtras, as the route, 25 per page)");
  console.log(formatTable(["query", "rows", "p50 ms", "p99 ms"], queueRows));
  console.log();

  // --- bulk ------------------------------------------------------------------------------------
  const reference = createReferenceCache(db.orm);
  let heard = 0;
  const runtime = createDeliveryRuntime({ db, rooms: { reachable: () => true, deliver: async () => void heard++ }, categories: () => reference.categories(), log: (message, error) => console.error(message, error) });
  await runtime.start();
  const context = { db, now: Date.now, outbox: runtime, log: (message: string, error?: unknown) => console.error(message, error) };
  const numbers = (await rows("SELECT number FROM tickets WHERE status = 'in_progress' ORDER BY created_at DESC LIMIT 500")).map((row) => String(row.number));
  const bulkMs: number[] = [];
  for (let run = 0; run < bulkRuns + 1; run++) {
    // Back and forth between two states legal from each other, so every run changes every ticket.
    const body: BulkActionBody = { action: "status", status: run % 2 === 0 ? "pending_customer" : "in_progress", numbers };
    const began = performance.now();
    const outcomes = await runBulkAction(context, { body, actor: { type: "agent", id: agentId }, ticketRef: (number) => ({ number, scope: EVERY_SITE }) });
    const elapsed = performance.now() - began;
    const failed = outcomes.filter((outcome) => !outcome.ok);
    if (failed.length > 0) throw new Error(`${failed.length} tickets failed: ${JSON.stringify(failed[0])}`);
    if (run > 0) bulkMs.push(elapsed); // the first warms up
  }
  // Leave the tickets as they were (an odd number of changes otherwise leaves them pending).
  if ((bulkRuns + 1) % 2 === 1) await runBulkAction(context, { body: { action: "status", status: "in_progress", numbers }, actor: { type: "agent", id: agentId }, ticketRef: (number) => ({ number, scope: EVERY_SITE }) });
  await runtime.idle();
  await runtime.stop();
  bulkMs.sort((a, b) => a - b);
  const pct = (q: number) => bulkMs[Math.min(bulkMs.length - 1, Math.floor(q * bulkMs.length))]!;
  console.log(`bulk status change over ${numbers.length} tickets (runBulkAction, as the route), ${bulkMs.length} runs (p99 of so few is their maximum)`);
  console.log(formatTable(["action", "p50 ms", "p99 ms", "per ticket p50 ms"], [["status in_progress ⇄ pending_customer", ms(pct(0.5)), ms(pct(0.99)), ms(pct(0.5) / numbers.length)]]));
  console.log(`room notifications delivered: ${heard}`);
} finally {
  db.close();
}
