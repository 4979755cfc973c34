/**
 * The read paths at support-desk scale: fills a migrated database (bench/scale-data.ts) and
 * times the code the API runs — the agent queue's first and second page under every filter
 * and sort it offers, a ticket detail, messages after a seq, help-centre search — through
 * the server's own functions. Prints p50/p99 per case, each queue plan's temp-B-tree verdict
 * and the database's size. Prints figures and never judges them.
 *
 *   npm run bench:scale                 50,000 tickets / 500,000 messages / 2,000 articles
 *   npm run bench:scale -- --full       1,000,000 / 10,000,000 / 10,000
 *   npm run bench:scale -- --tickets 200000 --messages 2000000 --articles 5000 --iterations 300
 *   npm run bench:scale -- --full --only search          (queue, reads, search: which parts to time)
 *
 * The file (default data/bench/scale-<tickets>.db) is kept and reused: a rerun measures at once,
 * and an interrupted fill resumes after its last committed chunk.
 */
import { mkdirSync, statSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AgentTicketListQuerySchema, FaqListQuerySchema, type AgentTicketListQuery, type TicketSort } from "../protocol/index.js";
import { openDatabase, type Database } from "../server/db/client.js";
import { findFaqs } from "../server/faqs/search.js";
import { messagesAfter, ticketByNumber } from "../server/tickets/access.js";
import { presentAgentTicket, presentWithExtras } from "../server/tickets/present.js";
import { readCategoryTable } from "../server/db/reference-cache.js";
import { queryQueue, queueStatement } from "../server/tickets/queue.js";
import { EVERY_SITE } from "../server/domain/site-scope.js";
import { formatTable, timed } from "./support.js";
import { generate, type Fixture, type ScaleSize } from "./scale-data.js";

const { values: args } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    tickets: { type: "string" },
    messages: { type: "string" },
    articles: { type: "string" },
    db: { type: "string" },
    iterations: { type: "string", default: "200" },
    only: { type: "string", default: "queue,reads,search" },
  },
});

const preset: ScaleSize = args.full ? { tickets: 1_000_000, messages: 10_000_000, articles: 10_000 } : { tickets: 50_000, messages: 500_000, articles: 2_000 };
const size: ScaleSize = {
  tickets: Number(args.tickets ?? preset.tickets),
  messages: Number(args.messages ?? preset.messages),
  articles: Number(args.articles ?? preset.articles),
};
const iterations = Number(args.iterations);
const file = resolve(args.db ?? `data/bench/scale-${size.tickets}.db`);
mkdirSync(dirname(file), { recursive: true });

console.log(`${cpus()[0]?.model ?? "cpu"} × ${availableParallelism()}, Node ${process.version}`);
console.log(`size: ${size.tickets} tickets, ${size.messages} messages, ${size.articles} articles; ${iterations} iterations per case\n`);

// ---------------------------------------------------------------------------------------------

function sizeOf(path: string): string {
  const bytes = (suffix: string) => {
    try {
      return statSync(path + suffix).size;
    } catch {
      return 0;
    }
  };
  const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;
  return `${gb(bytes(""))} on disk (WAL ${gb(bytes("-wal"))})`;
}

async function fixtureOf(db: Database): Promise<Fixture & { busiestAgent: string; typicalAgent: string; smallSite: string; midCategory: string }> {
  const rows = async (sql: string) => (await db.client.execute(sql)).rows;
  const sites = await rows("SELECT site_id AS id, count(*) AS n FROM tickets GROUP BY site_id ORDER BY n");
  const load = await rows("SELECT assignee_id AS id, count(*) AS n FROM tickets WHERE assignee_id IS NOT NULL GROUP BY assignee_id ORDER BY n DESC");
  const byCategory = await rows("SELECT c.id, c.slug, c.department_id AS departmentId, count(*) AS n FROM tickets t JOIN categories c ON c.id = t.category_id GROUP BY c.id ORDER BY n");
  const departments = await rows("SELECT department_id AS id, count(*) AS n FROM tickets WHERE department_id IS NOT NULL GROUP BY 1 ORDER BY n DESC");
  const agents = await rows("SELECT id, department_id AS departmentId FROM agents");
  return {
    siteIds: sites.map((row) => String(row.id)),
    departmentIds: departments.map((row) => String(row.id)),
    categories: byCategory.map((row) => ({ id: String(row.id), slug: String(row.slug), departmentId: String(row.departmentId) })),
    agents: agents.map((row) => ({ id: String(row.id), departmentId: String(row.departmentId) })),
    busiestAgent: String(load[0]!.id),
    typicalAgent: String(load[Math.floor(load.length / 2)]!.id),
    smallSite: String(sites[0]!.id),
    midCategory: String(byCategory[Math.floor(byCategory.length / 2)]!.slug),
  };
}



const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);

async function usesTempSort(db: Database, query: AgentTicketListQuery, agentId: string): Promise<boolean> {
  const { sql, args: values } = queueStatement(query, agentId);
  const plan = await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: values as never });
  return plan.rows.some((row) => /TEMP B-TREE/.test(String(row.detail)));
}

/** The agent queue as `GET /v1/agent/tickets` runs it: the page query, then the presenter. */
async function queueFigures(db: Database, fixture: Awaited<ReturnType<typeof fixtureOf>>) {
  const me = fixture.busiestAgent;
  const filters: [string, Partial<Record<string, string>>][] = [
    ["(none)", {}],
    ["status=open", { status: "open" }],
    ["status=escalated", { status: "escalated" }],
    ["priority=urgent", { priority: "urgent" }],
    [`category=${fixture.midCategory}`, { category: fixture.midCategory }],
    ["assignee=none", { assignee: "none" }],
    ["assignee=me (busiest)", { assignee: "me" }],
    ["assignee=<id> (median)", { assignee: fixture.typicalAgent }],
    ["department=<largest>", { department: fixture.departmentIds[0] }],
    ["site=<smallest>", { site: fixture.smallSite }],
    ["q=refund", { q: "refund" }],
    ["q=<no match>", { q: "zzqx-nothing" }],
    ["status=open&assignee=none", { status: "open", assignee: "none" }],
    ["status=open&assignee=me", { status: "open", assignee: "me" }],
  ];
  const sorts: TicketSort[] = ["-created", "created", "-updated", "priority", "due"];
  const rows: string[][] = [];
  const categoryTable = await readCategoryTable(db.orm);
  for (const [label, filter] of filters) {
    for (const sort of sorts) {
      // A search that matches nothing reads the whole table whatever the order; one sort says so.
      if (label === "q=<no match>" && sort !== "-created") continue;
      const query = AgentTicketListQuerySchema.parse({ ...filter, sort });
      const first = await queryQueue(db.orm, query, me, EVERY_SITE);
      // It reads every ticket: a few runs tell its cost.
      const runs = label === "q=<no match>" ? Math.min(iterations, 5) : iterations;
      // As the route does it: the page and its extras in one statement, the category table from the cache.
      const page = async (pageQuery: typeof query) => {
        const { rows, extras } = await queryQueue(db.orm, pageQuery, me, EVERY_SITE, Date.now());
        return presentWithExtras(rows, extras, categoryTable, Date.now());
      };
      const page1 = await timed(runs, () => page(query));
      const second = first.nextCursor ? { ...query, cursor: first.nextCursor } : null;
      const page2 = second ? await timed(Math.ceil(iterations / 2), () => page(second)) : null;
      const sorted = (await usesTempSort(db, query, me)) || (second !== null && (await usesTempSort(db, second, me)));
      rows.push([label, sort, String(first.rows.length), ms(page1.p50), ms(page1.p99), page2 ? ms(page2.p50) : "-", page2 ? ms(page2.p99) : "-", sorted ? "TEMP B-TREE" : "index"]);
      console.error(`queue ${label} ${sort}: p99 ${ms(page1.p99)} ms`);
    }
  }
  console.log("agent queue (queryQueue + presentWithExtras, as the route, 25 per page)");
  console.log(formatTable(["filter", "sort", "rows", "p1 p50", "p1 p99", "p2 p50", "p2 p99", "order"], rows));
  console.log();
}

async function readFigures(db: Database) {
  const sample = (await db.client.execute({ sql: "SELECT number, last_seq AS lastSeq FROM tickets WHERE rowid % ? = 0 LIMIT 2000", args: [Math.max(1, Math.floor(size.tickets / 2000))] })).rows.map(
    (row) => ({ number: String(row.number), lastSeq: Number(row.lastSeq) }),
  );
  const detail = await timed(iterations, async (i) => presentAgentTicket(db.orm, await ticketByNumber(db.orm, sample[i % sample.length]!.number), Date.now()));
  const after = await timed(iterations, async (i) => {
    const { number, lastSeq } = sample[i % sample.length]!;
    const ticket = await ticketByNumber(db.orm, number);
    return messagesAfter(db.orm, ticket.id, (i * 7) % Math.max(1, lastSeq), 101, "team");
  });
  console.log("ticket reads (random tickets)");
  console.log(
    formatTable(
      ["read", "p50 ms", "p99 ms"],
      [
        ["ticket detail (ticketByNumber + presentAgentTicket)", ms(detail.p50), ms(detail.p99)],
        ["messages after a seq (ticketByNumber + messagesAfter)", ms(after.p50), ms(after.p99)],
      ],
    ),
  );
  console.log();
}

async function searchFigures(db: Database, fixture: Fixture) {
  const site = fixture.siteIds.at(-1)!; // the biggest help centre
  const queries = ["password", "reset password", "invoice refund", "export csv report", "pass", "sso saml login", "kaloven", "zzqx nothing"];
  const rows: string[][] = [];
  for (const q of queries) {
    const query = FaqListQuerySchema.parse({ q, limit: 10 });
    const found = await findFaqs(db.orm, site, query);
    const figures = await timed(iterations, () => findFaqs(db.orm, site, query));
    rows.push([q, String(found.items.length), ms(figures.p50), ms(figures.p99)]);
  }
  console.log(`help-centre search (findFaqs, 10 per page, the largest site's ${size.articles > 0 ? "articles" : "(no articles)"})`);
  console.log(formatTable(["q", "hits", "p50 ms", "p99 ms"], rows));
}

const db = await openDatabase(`file:${file}`);
try {
  const fill = await generate(db, size, (line) => console.error(line));
  if (fill.resumedAt < size.tickets) console.log(`generated in ${fill.seconds.toFixed(0)} s${fill.resumedAt > 0 ? ` (resumed at ${fill.resumedAt} tickets)` : ""}`);
  const fixture = await fixtureOf(db);
  console.log(`database: ${sizeOf(file)}\n`);

  const parts = new Set(args.only.split(","));
  if (parts.has("queue")) await queueFigures(db, fixture);
  if (parts.has("reads")) await readFigures(db);
  if (parts.has("search")) await searchFigures(db, fixture);
} finally {
  db.close();
}
