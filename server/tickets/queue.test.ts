import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AgentTicketListQuerySchema,
  TicketPrioritySchema,
  TicketSortSchema,
  TicketStatusSchema,
  type AgentTicketListQuery,
  type TicketPriority,
  type TicketSort,
} from "../../protocol/index.js";
import { openDatabase, type Database } from "../db/client.js";
import { readCategoryTable } from "../db/reference-cache.js";
import { agents, categories, departments, messages, sites, tickets, visitors } from "../db/schema.js";
import { isWatched, nextDueAt, priorityRank, slaAlarm, slaState, warnAt } from "../domain/sla.js";
import { slaAlarmStatement, ticketsWithSlaAlarms } from "./sla-clock.js";
import { unreadCounts } from "./access.js";
import { presentAgentTickets, presentWithExtras } from "./present.js";
import { queryQueue, queueStatement } from "./queue.js";
import { EVERY_SITE, type SiteScope } from "../domain/site-scope.js";
import type { TicketRow } from "./views.js";

/**
 * The queue's promise at any size: every filter and sort the API offers is read in index
 * order, never sorted in a temp B-tree (which at 1M tickets sorts tens of thousands of rows
 * per page), and the keyset cursors walk every order without gaps or repeats.
 */

let dir: string;
let db: Database;
/** The server's clock for the `sla` filter: some first responses are overdue at it, some at risk, some fine. */
const NOW = 4_150;
const ids = { site: "site-a", otherSite: "site-b", department: "dept-a", category: "cat-a", agent: "agent-a", other: "agent-b" };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-queue-"));
  db = await openDatabase(`file:${join(dir, "queue.db")}`);
  await db.write(async (tx) => {
    await tx.insert(sites).values([
      { id: ids.site, publicKey: "pk_a", name: "A", identitySecret: "a".repeat(64) },
      { id: ids.otherSite, publicKey: "pk_b", name: "B", identitySecret: "b".repeat(64) },
    ]);
    await tx.insert(departments).values({ id: ids.department, name: "Support" });
    await tx.insert(categories).values({ id: ids.category, slug: "billing", name: "Billing", departmentId: ids.department });
    await tx.insert(agents).values([
      { id: ids.agent, email: "a@queue.test", name: "A", passwordHash: "x" },
      { id: ids.other, email: "b@queue.test", name: "B", passwordHash: "x" },
    ]);
    // Few distinct times, so every order meets ties that only the rowid breaks.
    const priorities = TicketPrioritySchema.options;
    const statuses = TicketStatusSchema.options;
    await tx.insert(tickets).values(
      Array.from({ length: 90 }, (_, i) => ({
        id: `t-${String((i * 37) % 90).padStart(3, "0")}`,
        number: `TKT-2026-${String(i + 1).padStart(6, "0")}`,
        siteId: i % 4 === 0 ? ids.otherSite : ids.site,
        subject: i % 5 === 0 ? `Refund request ${i}` : `Question ${i}`,
        description: "text",
        source: "widget" as const,
        priority: priorities[i % priorities.length]!,
        status: statuses[(i * 7) % statuses.length]!,
        categoryId: i % 3 === 0 ? ids.category : null,
        tags: i % 4 === 1 ? ["refund", "vip"] : i % 4 === 2 ? ["refunds"] : [],
        departmentId: i % 2 === 0 ? ids.department : null,
        assigneeId: i % 3 === 1 ? ids.agent : i % 3 === 2 ? ids.other : null,
        resolutionDueAt: i % 6 === 0 ? null : 5_000 + (i % 4) * 100,
        resolutionWarnAt: i % 6 === 0 ? null : 4_800 + (i % 4) * 100,
        firstResponseDueAt: i % 6 === 0 ? null : 4_000 + (i % 5) * 100,
        firstResponseWarnAt: i % 6 === 0 ? null : 3_800 + (i % 5) * 100,
        firstResponseAt: i % 4 < 2 ? 3_000 : null,
        firstResponseWarnedAt: i % 3 === 0 ? 3_900 : null,
        resolutionBreachedAt: i % 11 === 0 ? 4_100 : null,
        slaClock: i % 6 === 0 ? null : ("continuous" as const),
        createdAt: 1_000 + (i % 7) * 10,
        updatedAt: 2_000 + (i % 5) * 10,
      })),
    );
  });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One representative value per filter the API offers; the test below fails when a new one is not listed. */
const filterValues: Record<string, unknown[]> = {
  status: ["open"],
  priority: ["urgent"],
  category: ["billing"],
  assignee: ["none", "me", ids.other],
  department: [ids.department],
  site: [ids.site],
  q: ["refund"],
  sla: ["ok", "at_risk", "breached"],
  tag: ["refund"],
};
const notFilters = new Set(["cursor", "limit", "sort"]);

/** No filter, each filter alone, and every pair of them: the inbox combines a few. */
function filterCombinations(): Record<string, unknown>[] {
  const singles = Object.entries(filterValues).flatMap(([key, values]) => values.map((value) => ({ [key]: value })));
  const pairs = singles.flatMap((a, i) => singles.slice(i + 1).filter((b) => Object.keys(a)[0] !== Object.keys(b)[0]).map((b) => ({ ...a, ...b })));
  return [{}, ...singles, ...pairs];
}

/** An agent of one of the two sites: its queue carries the membership filter. */
const oneSite: SiteScope = { all: false, siteIds: [ids.site] };

async function planOf(query: AgentTicketListQuery, scope: SiteScope = EVERY_SITE): Promise<string[]> {
  const { sql, args } = queueStatement(query, ids.agent, undefined, scope, NOW);
  const plan = await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args as never });
  return plan.rows.map((row) => String(row.detail));
}

/** The order the API promises, computed here from the rows themselves. */
function expectedOrder(rows: TicketRow[], sort: TicketSort, rowids: Map<string, number>): string[] {
  const key = (row: TicketRow): number[] => {
    const rowid = rowids.get(row.id)!;
    switch (sort) {
      case "-created":
        return [-row.createdAt, -rowid];
      case "created":
        return [row.createdAt, rowid];
      case "-updated":
        return [-row.updatedAt, -rowid];
      case "priority":
        return [priorityRank[row.priority], row.createdAt, rowid];
      case "due":
        return [nextDueAt(row) ?? Number.MAX_SAFE_INTEGER, rowid];
    }
  };
  const compare = (a: number[], b: number[]) => a.reduce((found, value, i) => found || value - b[i]!, 0);
  return [...rows].sort((a, b) => compare(key(a), key(b))).map((row) => row.id);
}

describe("agent queue", () => {
  it("lists every filter the API offers", () => {
    const offered = Object.keys(AgentTicketListQuerySchema.shape).filter((key) => !notFilters.has(key));
    expect(Object.keys(filterValues).sort()).toEqual(offered.sort());
  });

  it("ranks priorities in the stored column as the domain does", async () => {
    const rows = await db.orm.select({ priority: tickets.priority, rank: tickets.priorityRank }).from(tickets);
    for (const row of rows) expect(row.rank).toBe(priorityRank[row.priority as TicketPriority]);
  });

  it("derives the SLA columns in SQL exactly as the domain rules do", async () => {
    const all = await db.orm.select().from(tickets);
    const targets = new Set(all.map((row) => (nextDueAt(row) === null ? "none" : row.firstResponseAt === null ? "first" : "resolution")));
    expect(targets).toEqual(new Set(["none", "first", "resolution"]));
    for (const row of all) {
      expect(row.slaDueAt, row.id).toBe(nextDueAt(row) ?? 9_000_000_000_000_000);
      expect(row.slaWarnAt, row.id).toBe(warnAt(row) ?? 9_000_000_000_000_000);
      expect(row.slaAlarmAt, row.id).toBe(slaAlarm(row)?.at ?? null);
      expect(row.slaWatched, row.id).toBe(isWatched(row) ? 1 : null);
      // Only a watched ticket can be at risk.
      if (slaState(row, NOW) === "at_risk") expect(isWatched(row), row.id).toBe(true);
    }
    const states = new Set(all.map((row) => slaState(row, NOW)));
    expect(states).toEqual(new Set(["ok", "at_risk", "breached", "paused", "met"]));
  });

  it("finds the tickets the SLA monitor must act on by a range read of the alarm index", async () => {
    const all = await db.orm.select().from(tickets);
    const due = all.filter((row) => (slaAlarm(row)?.at ?? Infinity) <= NOW).map((row) => row.id);
    expect(due.length).toBeGreaterThan(0);
    const found = await ticketsWithSlaAlarms(db.orm, NOW, 1_000);
    expect(found.map((row) => row.id).sort()).toEqual(due.sort());
    const alarms = found.map((row) => slaAlarm(row)!.at);
    expect(alarms).toEqual([...alarms].sort((a, b) => a - b));
    const { sql, args } = slaAlarmStatement(NOW, 50);
    const plan = (await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args as never })).rows.map((row) => String(row.detail));
    expect(plan.join(" | ")).toMatch(/SEARCH tickets USING INDEX tickets_sla_alarm_idx \(sla_alarm_at<\?\)/);
    expect(plan.join(" | ")).not.toMatch(/TEMP B-TREE/);
  });

  it("reads every filter × sort in index order, first page and after a cursor, with no temp B-tree, for every site and for one", async () => {
    const sorted: string[] = [];
    let checked = 0;
    for (const scope of [EVERY_SITE, oneSite]) {
      for (const filter of filterCombinations()) {
        for (const sort of TicketSortSchema.options) {
          const query = AgentTicketListQuerySchema.parse({ ...filter, sort, limit: 2 });
          const { nextCursor } = await queryQueue(db.orm, query, ids.agent, scope, NOW);
          const variants = nextCursor ? [query, { ...query, cursor: nextCursor }] : [query];
          for (const variant of variants) {
            const plan = await planOf(variant, scope);
            checked++;
            const label = `${scope.all ? "all sites" : "one site"} ${JSON.stringify(filter)} sort=${sort}${variant.cursor ? " after cursor" : ""}`;
            if (plan.some((line) => /TEMP B-TREE/.test(line))) sorted.push(`${label}: ${plan.join(" | ")}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(600);
    expect(sorted).toEqual([]);
  }, 120_000);

  it("reads the at-risk filter as a range of the watched tickets' index of each order, whatever else is asked", async () => {
    const plans: string[] = [];
    for (const scope of [EVERY_SITE, oneSite]) {
      for (const filter of [{}, { status: "open" }, { assignee: "me" }, { assignee: "none", status: "in_progress" }, { priority: "urgent" }, { site: ids.site }]) {
        for (const sort of TicketSortSchema.options) {
          const query = AgentTicketListQuerySchema.parse({ ...filter, sla: "at_risk", sort, limit: 1 });
          const { nextCursor } = await queryQueue(db.orm, query, ids.agent, scope, NOW);
          for (const variant of nextCursor ? [query, { ...query, cursor: nextCursor }] : [query]) {
            const plan = (await planOf(variant, scope)).join(" | ");
            const index = { "-created": "created", created: "created", "-updated": "updated", priority: "priority", due: "due" }[sort];
            const label = `${JSON.stringify(filter)} sort=${sort}${variant.cursor ? " after cursor" : ""}`;
            if (!new RegExp(`SEARCH tickets USING INDEX tickets_watched_${index}_idx \\(sla_watched=\\?`).test(plan) || /TEMP B-TREE/.test(plan)) plans.push(`${label}: ${plan}`);
          }
        }
      }
    }
    expect(plans).toEqual([]);
  });

  it("spots a sort no index serves", async () => {
    // The witness that the check above can fail: the same table sorted on an unindexed column.
    const plan = await db.client.execute("EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE status = 'open' ORDER BY subject LIMIT 3");
    expect(plan.rows.some((row) => /TEMP B-TREE/.test(String(row.detail)))).toBe(true);
  });

  it("pages through every order without gaps or repeats, ties included", async () => {
    const all = await db.orm.select().from(tickets);
    const rowidRows = await db.client.execute("SELECT id, rowid FROM tickets");
    const rowids = new Map(rowidRows.rows.map((row) => [String(row.id), Number(row.rowid)]));
    const cases: [Record<string, unknown>, SiteScope][] = [
      [{}, EVERY_SITE],
      [{ status: "open" }, EVERY_SITE],
      [{ assignee: "none" }, EVERY_SITE],
      [{ assignee: "me", status: "open" }, EVERY_SITE],
      [{ priority: "high" }, EVERY_SITE],
      [{ site: ids.site, category: "billing" }, EVERY_SITE],
      [{}, oneSite],
      [{ status: "open" }, oneSite],
      [{ site: ids.otherSite }, oneSite],
      [{}, { all: false, siteIds: [ids.site, ids.otherSite] }],
      [{ sla: "ok" }, EVERY_SITE],
      [{ sla: "at_risk" }, EVERY_SITE],
      [{ sla: "breached" }, EVERY_SITE],
      [{ sla: "breached", status: "in_progress" }, EVERY_SITE],
      [{ sla: "at_risk", assignee: "none" }, oneSite],
    ];
    for (const [filter, scope] of cases) {
      for (const sort of TicketSortSchema.options) {
        const matching = all.filter((row) => {
          const wants = filter as Partial<Record<string, string>>;
          if (!scope.all && !scope.siteIds.includes(row.siteId)) return false;
          if (wants.status && row.status !== wants.status) return false;
          if (wants.priority && row.priority !== wants.priority) return false;
          if (wants.site && row.siteId !== wants.site) return false;
          if (wants.category && row.categoryId !== ids.category) return false;
          if (wants.assignee === "none" && row.assigneeId !== null) return false;
          if (wants.assignee === "me" && row.assigneeId !== ids.agent) return false;
          if (wants.sla && slaState(row, NOW) !== wants.sla) return false;
          return true;
        });
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await queryQueue(db.orm, AgentTicketListQuerySchema.parse({ ...filter, sort, limit: 7, cursor }), ids.agent, scope, NOW);
          seen.push(...page.rows.map((row) => row.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen, `${JSON.stringify(filter)} ${JSON.stringify(scope)} sort=${sort}`).toEqual(expectedOrder(matching, sort, rowids));
      }
    }
  }, 60_000);

  it("adds no site filter for every site, one for some sites, and reads nothing for none", async () => {
    const query = AgentTicketListQuerySchema.parse({ limit: 5 });
    expect(queueStatement(query, ids.agent, undefined, EVERY_SITE).sql).not.toContain("json_each");
    expect(queueStatement(query, ids.agent, undefined, oneSite).sql).toMatch(/\+"tickets"\."site_id" in \(select value from json_each\(\?\)\)/);
    expect(await queryQueue(db.orm, query, ids.agent, { all: false, siteIds: [] })).toEqual({ rows: [], extras: [], nextCursor: null });
  });

  it("refuses a cursor of another order's shape", async () => {
    const { nextCursor } = await queryQueue(db.orm, AgentTicketListQuerySchema.parse({ sort: "priority", limit: 2 }), ids.agent, EVERY_SITE);
    await expect(queryQueue(db.orm, AgentTicketListQuerySchema.parse({ sort: "-created", cursor: nextCursor! }), ids.agent, EVERY_SITE)).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("presents a page with each ticket's own unread count and identity", async () => {
    await db.write(async (tx) => {
      await tx.insert(visitors).values({ id: "v-1", siteId: ids.site, verified: true });
      await tx.update(tickets).set({ visitorId: "v-1", agentReadSeq: 1, lastSeq: 4 }).where(eq(tickets.id, "t-000"));
      await tx.insert(messages).values(
        (["customer", "customer", "agent", "customer"] as const).map((senderType, i) => ({
          id: `m-${i}`,
          ticketId: "t-000",
          seq: i + 1,
          clientId: `c-${i}`,
          senderType,
          body: "hello",
          // An internal note never counts, whoever wrote it.
          internal: i === 1,
        })),
      );
    });
    const now = Date.now();
    const { rows, extras } = await queryQueue(db.orm, AgentTicketListQuerySchema.parse({ limit: 100 }), ids.agent, EVERY_SITE, now);
    const presented = await presentAgentTickets(db.orm, rows, now);
    // The queue reads the same extras in its own statement: both ways present the same tickets.
    expect(presentWithExtras(rows, extras, await readCategoryTable(db.orm), now)).toEqual(presented);
    const expected = await unreadCounts(db.orm, rows, "agent");
    expect(presented.find((ticket) => ticket.id === "t-000")).toMatchObject({ unreadCount: 1, customer: { visitorId: "v-1", verified: true } });
    for (const ticket of presented) expect(ticket.unreadCount).toBe(expected.get(ticket.id) ?? 0);
    expect(presented.filter((ticket) => ticket.customer.verified).map((ticket) => ticket.id)).toEqual(["t-000"]);
  });
});
