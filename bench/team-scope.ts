/**
 * What team scoping costs the agent queue: the first page (page query + presenter, as
 * `GET /v1/agent/tickets` runs them, in process) for an agent of every site (no site filter:
 * the statement the queue ran before scoping existed) and for agents of some sites (the
 * membership filter, checked along the order's index), and the agent lookup every agent
 * request makes, without and with the membership columns folded into it. Uses the
 * bench/scale.ts data (three sites holding 70 %, 25 % and 5 % of the tickets). Prints µs per
 * call and never judges them.
 *
 *   npx tsx bench/team-scope.ts                               50,000 tickets
 *   npx tsx bench/team-scope.ts --tickets 200000 --messages 400000 --iterations 500
 */
import { mkdirSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { AgentTicketListQuerySchema } from "../protocol/index.js";
import { executorOf, openDatabase } from "../server/db/client.js";
import { agents } from "../server/db/schema.js";
import { compile, compiler, rowReader } from "../server/db/statement.js";
import { EVERY_SITE, type SiteScope } from "../server/domain/site-scope.js";
import { readCategoryTable } from "../server/db/reference-cache.js";
import { presentWithExtras } from "../server/tickets/present.js";
import { queryQueue } from "../server/tickets/queue.js";
import { scopeColumns, scopeFromColumns } from "../server/tickets/scope.js";
import { formatTable, timed } from "./support.js";
import { generate } from "./scale-data.js";

const { values: args } = parseArgs({
  options: {
    tickets: { type: "string", default: "50000" },
    messages: { type: "string", default: "100000" },
    db: { type: "string" },
    iterations: { type: "string", default: "400" },
  },
});
const size = { tickets: Number(args.tickets), messages: Number(args.messages), articles: 0 };
const iterations = Number(args.iterations);
const file = resolve(args.db ?? `data/bench/team-scope-${size.tickets}.db`);
mkdirSync(dirname(file), { recursive: true });

console.log(`${cpus()[0]?.model ?? "cpu"} × ${availableParallelism()}, Node ${process.version}; ${size.tickets} tickets, ${iterations} runs per case`);
const db = await openDatabase(`file:${file}`);
await generate(db, size, (line) => console.error(line));

/** Median and p99 of `count` runs after 20 warm-up runs, in µs. */
async function timedMicros(count: number, work: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const { p50, p99 } = await timed(count, work, 20);
  return { p50: p50 * 1000, p99: p99 * 1000 };
}

const bySize = (await db.client.execute("SELECT site_id AS id, count(*) AS n FROM tickets GROUP BY site_id ORDER BY n DESC")).rows.map((row) => ({ id: String(row.id), n: Number(row.n) }));
const [big, mid, small] = bySize;
const share = (n: number) => `${Math.round((100 * n) / size.tickets)} %`;
const agentId = String((await db.client.execute("SELECT id FROM agents LIMIT 1")).rows[0]!.id);

const scopes: [string, SiteScope][] = [
  ["every site (no filter, as before)", EVERY_SITE],
  [`largest site (${share(big!.n)})`, { all: false, siteIds: [big!.id] }],
  [`two sites (${share(big!.n + mid!.n)})`, { all: false, siteIds: [big!.id, mid!.id] }],
  [`middle site (${share(mid!.n)})`, { all: false, siteIds: [mid!.id] }],
  [`smallest site (${share(small!.n)})`, { all: false, siteIds: [small!.id] }],
];
const queries: [string, Record<string, string>][] = [
  ["-created", {}],
  ["status=open, priority", { status: "open", sort: "priority" }],
  ["assignee=none, due", { assignee: "none", sort: "due" }],
  ["-updated", { sort: "-updated" }],
];

const rows: string[][] = [];
const categoryTable = await readCategoryTable(db.orm);
for (const [queryLabel, filter] of queries) {
  const query = AgentTicketListQuerySchema.parse(filter);
  let baseline = 0;
  for (const [scopeLabel, scope] of scopes) {
    const figures = await timedMicros(iterations, async () => {
      const { rows, extras } = await queryQueue(db.orm, query, agentId, scope);
      return presentWithExtras(rows, extras, categoryTable, Date.now());
    });
    if (scope.all) baseline = figures.p50;
    rows.push([queryLabel, scopeLabel, figures.p50.toFixed(0), figures.p99.toFixed(0), (figures.p50 / baseline).toFixed(2)]);
  }
}
console.log("\nQueue first page (page query + presenter, 25 tickets), µs");
console.log(formatTable(["query", "agent works on", "p50 µs", "p99 µs", "× every site"], rows));

// The agent lookup of every agent request: the statement before scoping, and the one now.
const agentRow = rowReader(agents);
const plain = compile<{ id: string }>(compiler.select(agentRow.columns).from(agents).where(eq(agents.id, sql.placeholder("id"))).limit(1));
const scoped = compile<{ id: string }>(compiler.select({ ...agentRow.columns, ...scopeColumns }).from(agents).where(eq(agents.id, sql.placeholder("id"))).limit(1));
await db.write(async (tx) => {
  await tx.run(sql`insert or ignore into agent_sites (agent_id, site_id) values (${agentId}, ${big!.id}), (${agentId}, ${mid!.id})`);
});
const executor = executorOf(db.orm);
const before = await timedMicros(iterations * 5, async () => agentRow.read((await plain.first(executor, { id: agentId }))!));
const after = await timedMicros(iterations * 5, async () => {
  const row = (await scoped.first(executor, { id: agentId }))!;
  return scopeFromColumns(agentRow.read(row), row, agentRow.width);
});
console.log("\nAgent lookup per request (an agent of two sites), µs");
console.log(
  formatTable(
    ["statement", "p50 µs", "p99 µs"],
    [
      ["agent row (before)", before.p50.toFixed(1), before.p99.toFixed(1)],
      ["agent row + its sites + site count (now)", after.p50.toFixed(1), after.p99.toFixed(1)],
    ],
  ),
);
db.close();
