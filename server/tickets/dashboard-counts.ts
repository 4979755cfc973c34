import { and, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import type { AgentNotifications } from "../../protocol/index.js";
import { executorOf, type Reader } from "../db/client.js";
import { messages, sites, tickets } from "../db/schema.js";
import { compile, compiler } from "../db/statement.js";
import type { SiteScope } from "../domain/site-scope.js";

/**
 * The dashboard counts of `GET /v1/agent/notifications` (defined in protocol/notifications.ts),
 * in two statements: the five ticket counts from one read of `tickets_site_dashboard_idx` (per
 * site and unfinished status; the index holds every column they test), and "my unread" from the
 * caller's own unfinished tickets (the assignee/status index) with one seek each into their
 * messages (messages_ticket_seq_idx) for a customer message above the team's read mark.
 */
export type DashboardCounts = AgentNotifications["counts"];

/** Unfinished: still the team's work (pending_customer included: it comes back). */
export const UNFINISHED = ["open", "in_progress", "pending_customer", "escalated"] as const;

const now = sql.placeholder("now");
const running = sql`${tickets.status} <> 'pending_customer'`;
const flagged = sql`(${tickets.firstResponseBreachedAt} is not null or ${tickets.resolutionBreachedAt} is not null)`;
const total = (condition: SQL) => sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

// The pending target's due time and 80 % mark (sla_due_at/sla_warn_at in the schema), spelled
// on base columns so the index covers them; null when there is no pending target.
const firstResponsePending = sql`${tickets.firstResponseAt} is null and ${tickets.firstResponseDueAt} is not null`;
const dueAt = sql`(case when ${firstResponsePending} then ${tickets.firstResponseDueAt} else ${tickets.resolutionDueAt} end)`;
const warnAt = sql`(case when ${firstResponsePending} then ${tickets.firstResponseWarnAt} else ${tickets.resolutionWarnAt} end)`;

const countsColumns = {
  open: total(sql`${tickets.status} = 'open'`),
  inProgress: total(sql`${tickets.status} = 'in_progress'`),
  unassigned: total(sql`${tickets.assigneeId} is null`),
  // The queue's sla filter (server/tickets/queue.ts), on unfinished tickets: the clock runs unless pending_customer.
  atRisk: total(sql`${running} and not ${flagged} and ${dueAt} > ${now} and ${warnAt} <= ${now}`),
  breached: total(sql`${running} and (${flagged} or ${dueAt} <= ${now})`),
};

const unfinished = inArray(tickets.status, [...UNFINISHED]);
const everySite = sql`${tickets.siteId} in (select ${sites.id} from ${sites})`;

/** With every site spelled as the sites table, the index's site column still leads the search. */
const selectCounts = {
  all: compile<{ now: number }>(compiler.select(countsColumns).from(tickets).where(and(everySite, unfinished))),
  sites: compile<{ now: number; siteIds: string }>(
    compiler
      .select(countsColumns)
      .from(tickets)
      .where(and(sql`${tickets.siteId} in (select value from json_each(${sql.placeholder("siteIds")}))`, unfinished)),
  ),
};

const unreadFromCustomer = sql`exists (select 1 from ${messages} where ${and(
  eq(messages.ticketId, tickets.id),
  gt(messages.seq, tickets.agentReadSeq),
  eq(messages.senderType, "customer"),
  eq(messages.internal, false),
)})`;
const selectMyUnread = {
  all: compile<{ agentId: string }>(
    compiler
      .select({ n: sql<number>`count(*)` })
      .from(tickets)
      .where(and(eq(tickets.assigneeId, sql.placeholder("agentId")), unfinished, unreadFromCustomer)),
  ),
  sites: compile<{ agentId: string; siteIds: string }>(
    compiler
      .select({ n: sql<number>`count(*)` })
      .from(tickets)
      .where(
        and(
          eq(tickets.assigneeId, sql.placeholder("agentId")),
          unfinished,
          sql`${tickets.siteId} in (select value from json_each(${sql.placeholder("siteIds")}))`,
          unreadFromCustomer,
        ),
      ),
  ),
};

/** The statements behind `dashboardCounts`, for EXPLAIN in tests. */
export function dashboardStatements(scope: SiteScope, agentId: string, at: number) {
  if (scope.all) return [selectCounts.all, selectMyUnread.all].map((s, i) => ({ sql: s.sql, args: i === 0 ? selectCounts.all.args({ now: at }) : selectMyUnread.all.args({ agentId }) }));
  const siteIds = JSON.stringify(scope.siteIds);
  return [
    { sql: selectCounts.sites.sql, args: selectCounts.sites.args({ now: at, siteIds }) },
    { sql: selectMyUnread.sites.sql, args: selectMyUnread.sites.args({ agentId, siteIds }) },
  ];
}

export async function dashboardCounts(reader: Reader, scope: SiteScope, agentId: string, at: number): Promise<DashboardCounts> {
  const executor = executorOf(reader);
  const siteIds = scope.all ? null : JSON.stringify(scope.siteIds);
  const [counts, unread] = await Promise.all([
    siteIds === null ? selectCounts.all.first(executor, { now: at }) : selectCounts.sites.first(executor, { now: at, siteIds }),
    siteIds === null ? selectMyUnread.all.first(executor, { agentId }) : selectMyUnread.sites.first(executor, { agentId, siteIds }),
  ]);
  const n = (row: ArrayLike<unknown> | undefined, i: number) => Number(row?.[i] ?? 0);
  return { open: n(counts, 0), inProgress: n(counts, 1), unassigned: n(counts, 2), atRisk: n(counts, 3), breached: n(counts, 4), myUnread: n(unread, 0) };
}
