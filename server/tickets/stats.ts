import { and, asc, eq, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Database, Reader } from "../db/client.js";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { sites, statsDaily, statsDays, tickets } from "../db/schema.js";
import { calendarOf, type BusinessCalendar } from "../domain/business-calendar.js";
import { DAY_MS, dayOf, dayStart, daysBetween, groupTickets, type StatsGroup, type TicketFacts } from "../domain/stats.js";

/**
 * The database side of the stats (the arithmetic is server/domain/stats.ts): ticket facts read
 * for a window, the stored rollup of closed days, and writing a day's rollup.
 */

export interface StatsFilter {
  siteIds: readonly string[];
  departmentId?: string | undefined;
  agentId?: string | undefined;
}

/** Each site's business calendar (null: around the clock). */
export async function siteCalendars(reader: Reader, siteIds: readonly string[]): Promise<Map<string, BusinessCalendar | null>> {
  if (siteIds.length === 0) return new Map();
  const rows = await reader.select({ id: sites.id, businessHours: sites.businessHours }).from(sites).where(inArray(sites.id, [...siteIds]));
  return new Map(rows.map((row) => [row.id, calendarOf(row.businessHours)]));
}

const factColumns = {
  siteId: tickets.siteId,
  departmentId: tickets.departmentId,
  assigneeId: tickets.assigneeId,
  createdAt: tickets.createdAt,
  firstResponseAt: tickets.firstResponseAt,
  firstResponseDueAt: tickets.firstResponseDueAt,
  firstResponseBreachedAt: tickets.firstResponseBreachedAt,
  resolvedAt: tickets.resolvedAt,
  resolutionDueAt: tickets.resolutionDueAt,
  resolutionBreachedAt: tickets.resolutionBreachedAt,
  closedAt: tickets.closedAt,
  rating: tickets.rating,
  ratedAt: tickets.ratedAt,
};

function ticketFilter(filter: StatsFilter): SQL[] {
  return [
    // The unary + keeps SQLite (which sees no ANALYZE statistics) off the site index: the window's
    // `updated_at` bound is the narrow one, a site holds most of the table.
    sql`+${tickets.siteId} in (${sql.join(
      filter.siteIds.map((id) => sql`${id}`),
      sql`, `,
    )})`,
    ...(filter.departmentId !== undefined ? [eq(tickets.departmentId, filter.departmentId)] : []),
    ...(filter.agentId !== undefined ? [eq(tickets.assigneeId, filter.agentId)] : []),
  ];
}

/**
 * The groups of [from, to) computed from the tickets. Every event the stats count also stamps
 * `updated_at` (a message, a status change, a rating), so `updated_at >= from` narrows the read
 * to tickets touched since the window opened, along the updated index: today's live part reads
 * today's tickets, not the table.
 */
export async function liveGroups(reader: Reader, filter: StatsFilter, window: { from: number; to: number }, calendars: Map<string, BusinessCalendar | null>): Promise<StatsGroup[]> {
  if (filter.siteIds.length === 0) return [];
  const within = (column: SQLiteColumn) => and(gte(column, window.from), lt(column, window.to));
  const facts: TicketFacts[] = await reader
    .select(factColumns)
    .from(tickets)
    .where(
      and(
        gte(tickets.updatedAt, window.from),
        ...ticketFilter(filter),
        or(within(tickets.createdAt), within(tickets.firstResponseAt), within(tickets.resolvedAt), within(tickets.closedAt), within(tickets.ratedAt)),
      ),
    );
  return groupTickets(facts, window, (siteId) => calendars.get(siteId) ?? null);
}

/** The days of [from, to] the rollup has written, per site. */
export async function rolledDays(reader: Reader, siteIds: readonly string[], from: string, to: string): Promise<Map<string, Set<string>>> {
  const bySite = new Map(siteIds.map((id) => [id, new Set<string>()]));
  if (siteIds.length === 0) return bySite;
  const rows = await reader
    .select({ siteId: statsDays.siteId, day: statsDays.day })
    .from(statsDays)
    .where(and(inArray(statsDays.siteId, [...siteIds]), gte(statsDays.day, from), lte(statsDays.day, to)));
  for (const row of rows) bySite.get(row.siteId)?.add(row.day);
  return bySite;
}

/** Per-day volumes, for the range's `perDay`. */
export type DayVolumes = Map<string, { created: number; resolved: number }>;

/**
 * The stored rollup of one site over `from`…`to` (rolled days), summed inside SQLite: one group
 * per agent and department (its `day` is ''), histograms merged through json_each, and the
 * per-day volumes. A long range thus moves a few hundred rows out of SQLite, not one per day
 * and group.
 */
export async function storedGroups(reader: Reader, siteId: string, from: string, to: string, filter: StatsFilter, perDay: DayVolumes): Promise<StatsGroup[]> {
  const where = and(
    eq(statsDaily.siteId, siteId),
    gte(statsDaily.day, from),
    lte(statsDaily.day, to),
    ...(filter.departmentId !== undefined ? [eq(statsDaily.departmentId, filter.departmentId)] : []),
    ...(filter.agentId !== undefined ? [eq(statsDaily.agentId, filter.agentId)] : []),
  );
  const total = (column: SQLiteColumn) => sql<number>`sum(${column})`;
  const rating = (i: number) => sql<number>`sum(json_extract(${statsDaily.ratings}, ${`$[${i}]`}))`;
  const [sums, buckets, days] = await Promise.all([
    reader
      .select({
        departmentId: statsDaily.departmentId,
        agentId: statsDaily.agentId,
        created: total(statsDaily.created),
        resolved: total(statsDaily.resolved),
        closed: total(statsDaily.closed),
        firstResponseMet: total(statsDaily.firstResponseMet),
        firstResponseMissed: total(statsDaily.firstResponseMissed),
        resolutionMet: total(statsDaily.resolutionMet),
        resolutionMissed: total(statsDaily.resolutionMissed),
        r1: rating(0),
        r2: rating(1),
        r3: rating(2),
        r4: rating(3),
        r5: rating(4),
      })
      .from(statsDaily)
      .where(where)
      .groupBy(statsDaily.departmentId, statsDaily.agentId),
    reader.all<{ departmentId: string; agentId: string; kind: "f" | "r"; bound: string; count: number }>(sql`
      select department_id as departmentId, agent_id as agentId, 'f' as kind, j.key as bound, sum(j.value) as count
        from ${statsDaily}, json_each(${statsDaily.firstResponse}) j where ${where} group by 1, 2, 4
      union all
      select department_id, agent_id, 'r', j.key, sum(j.value)
        from ${statsDaily}, json_each(${statsDaily.resolution}) j where ${where} group by 1, 2, 4`),
    reader
      .select({ day: statsDaily.day, created: total(statsDaily.created), resolved: total(statsDaily.resolved) })
      .from(statsDaily)
      .where(where)
      .groupBy(statsDaily.day),
  ]);
  for (const day of days) {
    const volumes = perDay.get(day.day) ?? { created: 0, resolved: 0 };
    volumes.created += Number(day.created);
    volumes.resolved += Number(day.resolved);
    perDay.set(day.day, volumes);
  }
  const groups = new Map<string, StatsGroup>();
  for (const row of sums) {
    groups.set(`${row.departmentId}\u0000${row.agentId}`, {
      day: "",
      siteId,
      departmentId: row.departmentId === "" ? null : row.departmentId,
      agentId: row.agentId === "" ? null : row.agentId,
      created: Number(row.created),
      resolved: Number(row.resolved),
      closed: Number(row.closed),
      firstResponse: {},
      resolution: {},
      firstResponseSla: { met: Number(row.firstResponseMet), missed: Number(row.firstResponseMissed) },
      resolutionSla: { met: Number(row.resolutionMet), missed: Number(row.resolutionMissed) },
      ratings: [row.r1, row.r2, row.r3, row.r4, row.r5].map(Number),
    });
  }
  for (const bucket of buckets) {
    const group = groups.get(`${bucket.departmentId}\u0000${bucket.agentId}`)!;
    (bucket.kind === "f" ? group.firstResponse : group.resolution)[String(bucket.bound)] = Number(bucket.count);
  }
  return [...groups.values()];
}

/** Runs of consecutive days, as [first, last] pairs. */
function runsOf(days: readonly string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const day of days) {
    const last = runs.at(-1);
    if (last && dayStart(day) - dayStart(last[1]) === DAY_MS) last[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}

/**
 * Every group of the days `from`…`to` for the filter: rolled-up days from stats_daily, the
 * others (today, and days the rollup has not reached) computed live, a read per run of days.
 */
export async function groupsForRange(reader: Reader, filter: StatsFilter, from: string, to: string): Promise<{ groups: StatsGroup[]; perDay: DayVolumes }> {
  const days = daysBetween(from, to);
  const [rolled, calendars] = await Promise.all([rolledDays(reader, filter.siteIds, from, to), siteCalendars(reader, filter.siteIds)]);
  const groups: StatsGroup[] = [];
  const perDay: DayVolumes = new Map();
  for (const siteId of filter.siteIds) {
    const done = rolled.get(siteId)!;
    for (const [first, last] of runsOf(days.filter((day) => done.has(day)))) groups.push(...(await storedGroups(reader, siteId, first, last, filter, perDay)));
    for (const [first, last] of runsOf(days.filter((day) => !done.has(day)))) {
      for (const group of await liveGroups(reader, { ...filter, siteIds: [siteId] }, { from: dayStart(first), to: dayStart(last) + DAY_MS }, calendars)) {
        groups.push(group);
        const volumes = perDay.get(group.day) ?? { created: 0, resolved: 0 };
        volumes.created += group.created;
        volumes.resolved += group.resolved;
        perDay.set(group.day, volumes);
      }
    }
  }
  return { groups, perDay };
}

/**
 * Rewrites the rollup of `days` (closed UTC days, consecutive) for one site: computes them in
 * one read of the tickets, then replaces each day's rows and stamps it as rolled, in one
 * transaction, so running a day again leaves exactly what one run leaves.
 */
export async function writeRollup(db: Database, siteId: string, days: readonly string[], rolledAt: number): Promise<number> {
  if (days.length === 0) return 0;
  const calendars = await siteCalendars(db.orm, [siteId]);
  const first = days[0]!;
  const last = days.at(-1)!;
  const groups = await liveGroups(db.orm, { siteIds: [siteId] }, { from: dayStart(first), to: dayStart(last) + DAY_MS }, calendars);
  await db.write(async (tx) => {
    await tx.delete(statsDaily).where(and(eq(statsDaily.siteId, siteId), gte(statsDaily.day, first), lte(statsDaily.day, last)));
    const rows = groups.map((group) => ({
      siteId,
      day: group.day,
      departmentId: group.departmentId ?? "",
      agentId: group.agentId ?? "",
      created: group.created,
      resolved: group.resolved,
      closed: group.closed,
      firstResponse: group.firstResponse,
      resolution: group.resolution,
      firstResponseMet: group.firstResponseSla.met,
      firstResponseMissed: group.firstResponseSla.missed,
      resolutionMet: group.resolutionSla.met,
      resolutionMissed: group.resolutionSla.missed,
      ratings: group.ratings,
    }));
    // 14 values a row, well under SQLite's bound-variable limit per statement.
    for (let i = 0; i < rows.length; i += 500) await tx.insert(statsDaily).values(rows.slice(i, i + 500));
    const stamps = days.map((day) => ({ siteId, day, rolledAt }));
    for (let i = 0; i < stamps.length; i += 500) {
      await tx
        .insert(statsDays)
        .values(stamps.slice(i, i + 500))
        .onConflictDoUpdate({ target: [statsDays.siteId, statsDays.day], set: { rolledAt: sql`excluded.rolled_at` } });
    }
  });
  return groups.length;
}

/** The earliest day with a ticket on the site, or null without any. */
export async function firstTicketDay(reader: Reader, siteId: string): Promise<string | null> {
  const [row] = await reader.select({ createdAt: tickets.createdAt }).from(tickets).where(eq(tickets.siteId, siteId)).orderBy(asc(tickets.createdAt)).limit(1);
  return row ? dayOf(row.createdAt) : null;
}

/** The site's last rolled day, or null. */
export async function lastRolledDay(reader: Reader, siteId: string): Promise<string | null> {
  const [row] = await reader.select({ day: sql<string>`max(${statsDays.day})` }).from(statsDays).where(eq(statsDays.siteId, siteId));
  return row?.day ?? null;
}
