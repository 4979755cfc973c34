import { and, inArray, sql } from "drizzle-orm";
import type { AgentStats, TicketStatus } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { agents, departments, tickets } from "../db/schema.js";
import { invalidField } from "../domain/errors.js";
import { isoTime } from "../domain/iso-time.js";
import { BACKLOG_BUCKETS, DAY_MS, dayOf, dayStart, daysBetween, emptyGroup, mergeBy, mergeInto, summarize, type GroupSummary } from "../domain/stats.js";
import { groupsForRange, type StatsFilter } from "./stats.js";

/** The range a stats request covers, with its defaults: the 30 days up to today (UTC). */
export function statsRange(query: { from?: string | undefined; to?: string | undefined }, now: number, maxDays: number): { from: string; to: string } {
  const to = query.to ?? (query.from ? dayOf(Math.max(now, dayStart(query.from))) : dayOf(now));
  const from = query.from ?? dayOf(dayStart(to) - 29 * DAY_MS);
  if (from > to) throw invalidField("from", "from must not be after to", "after to");
  const days = (dayStart(to) - dayStart(from)) / DAY_MS + 1;
  if (days > maxDays) throw invalidField("from", `a stats range covers at most ${maxDays} days`, `${days} days`);
  return { from, to };
}

const WORKING: TicketStatus[] = ["open", "in_progress", "pending_customer", "escalated"];

/** Tickets in each working status (and resolved) now, and the backlog's ages and breaches, in one grouped read. */
async function currentState(reader: Reader, filter: StatsFilter, now: number) {
  const byStatus: Record<Exclude<TicketStatus, "closed">, number> = { open: 0, in_progress: 0, pending_customer: 0, escalated: 0, resolved: 0 };
  const byAge = BACKLOG_BUCKETS.map(({ bucket }) => ({ bucket, count: 0 }));
  let breached = 0;
  if (filter.siteIds.length === 0) return { byStatus, backlog: { total: 0, breached, byAge } };
  const bucket = sql.join(
    [
      sql`case`,
      ...BACKLOG_BUCKETS.flatMap(({ below }, i) => (Number.isFinite(below) ? [sql`when ${now} - ${tickets.createdAt} < ${below} then ${i}`] : [])),
      sql`else ${BACKLOG_BUCKETS.length - 1} end`,
    ],
    sql` `,
  );
  const rows = await reader
    .select({
      status: tickets.status,
      bucket: sql<number>`${bucket}`,
      count: sql<number>`count(*)`,
      breached: sql<number>`sum(case when ${tickets.firstResponseBreachedAt} is not null or ${tickets.resolutionBreachedAt} is not null or ${tickets.slaDueAt} <= ${now} then 1 else 0 end)`,
    })
    .from(tickets)
    .where(
      and(
        inArray(tickets.status, [...WORKING, "resolved"]),
        inArray(tickets.siteId, [...filter.siteIds]),
        ...(filter.departmentId !== undefined ? [sql`${tickets.departmentId} = ${filter.departmentId}`] : []),
        ...(filter.agentId !== undefined ? [sql`${tickets.assigneeId} = ${filter.agentId}`] : []),
      ),
    )
    .groupBy(tickets.status, sql`2`);
  for (const row of rows) {
    const status = row.status as Exclude<TicketStatus, "closed">;
    byStatus[status] += Number(row.count);
    if (status === "resolved") continue;
    byAge[Number(row.bucket)]!.count += Number(row.count);
    breached += Number(row.breached);
  }
  return { byStatus, backlog: { total: byAge.reduce((sum, { count }) => sum + count, 0), breached, byAge } };
}

const tableFields = (summary: GroupSummary) => ({
  created: summary.created,
  resolved: summary.resolved,
  firstResponse: summary.firstResponse,
  resolution: summary.resolution,
  sla: summary.sla,
  csat: summary.csat,
});

async function namesOf(reader: Reader, table: typeof agents | typeof departments, ids: (string | null)[]): Promise<Map<string, string>> {
  const known = ids.filter((id): id is string => id !== null);
  if (known.length === 0) return new Map();
  const rows = await reader.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, known));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * The stats of `from`…`to` (UTC days, inclusive) for the filter's sites (already narrowed to
 * the caller's scope), department and agent, at `now`.
 */
export async function queryStats(reader: Reader, filter: StatsFilter, range: { from: string; to: string }, now: number): Promise<AgentStats> {
  const [{ groups, perDay }, state] = await Promise.all([groupsForRange(reader, filter, range.from, range.to), currentState(reader, filter, now)]);
  const days = daysBetween(range.from, range.to);
  const total = groups.reduce((sum, group) => mergeInto(sum, group), emptyGroup("", "", null, null));
  const byAgent = mergeBy(groups, (group) => group.agentId);
  const byDepartment = mergeBy(groups, (group) => group.departmentId);
  const [agentNames, departmentNames] = await Promise.all([namesOf(reader, agents, [...byAgent.keys()]), namesOf(reader, departments, [...byDepartment.keys()])]);
  const summary = summarize(total);
  // Named rows by name, the unassigned / no-department row last.
  const order = (a: { name: string | null }, b: { name: string | null }) => (a.name === null ? 1 : b.name === null ? -1 : a.name.localeCompare(b.name));
  return {
    range: { from: range.from, to: range.to, days: days.length, timeZone: "UTC" },
    generatedAt: isoTime(now),
    byStatus: { ...state.byStatus, closed: summary.closed },
    perDay: days.map((day) => ({ day, created: perDay.get(day)?.created ?? 0, resolved: perDay.get(day)?.resolved ?? 0 })),
    firstResponse: summary.firstResponse,
    resolution: summary.resolution,
    sla: summary.sla,
    csat: summary.csat,
    backlog: state.backlog,
    agents: [...byAgent].map(([agentId, group]) => ({ agentId, name: agentId === null ? null : (agentNames.get(agentId) ?? null), ...tableFields(summarize(group)) })).sort(order),
    departments: [...byDepartment]
      .map(([departmentId, group]) => ({ departmentId, name: departmentId === null ? null : (departmentNames.get(departmentId) ?? null), ...tableFields(summarize(group)) }))
      .sort(order),
  };
}
