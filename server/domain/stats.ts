import { businessMinutesBetween, type BusinessCalendar } from "./business-calendar.js";

/**
 * Support stats as pure arithmetic: ticket facts are folded into per-day groups (one per UTC
 * day, site, department and agent), and groups add up into any range. The daily rollup job
 * stores the groups of closed days, and the stats endpoint merges stored groups with groups
 * computed live for the days not rolled up yet; both go through `groupTickets`, so a range
 * reads the same from rollups as live.
 *
 * Days are UTC days: one zone for every site, so that a range over several sites adds up, and a
 * closed day is closed everywhere at once. Each figure counts on the day of its event: created on
 * `createdAt`, first-response time and its SLA target on `firstResponseAt`, resolution time and
 * its target on `resolvedAt`, closed on `closedAt`, a rating on `ratedAt`. A ticket's department
 * and agent are its current ones when its day is computed.
 *
 * Times are business minutes in the site's calendar (around the clock without one), from the
 * ticket's creation to its first response or its resolution, including any time waiting on the
 * customer. Medians and p90s are read from a histogram whose buckets are exact to the minute up
 * to an hour, then 5 minutes up to 10 hours, 30 minutes up to 2 days, 2 hours up to 14 days and a
 * day beyond: a quantile is the upper bound of the bucket that holds the nearest-rank value,
 * so a stored day needs a few dozen numbers whatever its ticket count.
 */

export const DAY_MS = 86_400_000;

/** A histogram of durations: bucket upper bound (minutes) → count. */
export type Histogram = Record<string, number>;

/** The upper bound (minutes) of the bucket a duration falls in. */
export function bucketOf(minutes: number): number {
  const m = Math.max(0, minutes);
  const step = m <= 60 ? 1 : m <= 600 ? 5 : m <= 2_880 ? 30 : m <= 20_160 ? 120 : 1_440;
  // Float noise from ms → minutes must not push an exact bound into the next bucket.
  return Math.ceil(Math.round((m / step) * 1e6) / 1e6) * step;
}

export interface SlaTally {
  met: number;
  missed: number;
}

/** What one day of one site, department and agent adds to the stats. */
export interface StatsGroup {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  siteId: string;
  departmentId: string | null;
  agentId: string | null;
  created: number;
  resolved: number;
  closed: number;
  firstResponse: Histogram;
  resolution: Histogram;
  firstResponseSla: SlaTally;
  resolutionSla: SlaTally;
  /** Ratings 1…5 at index 0…4. */
  ratings: number[];
}

/** The columns of a ticket the stats read. */
export interface TicketFacts {
  siteId: string;
  departmentId: string | null;
  assigneeId: string | null;
  createdAt: number;
  firstResponseAt: number | null;
  firstResponseDueAt: number | null;
  firstResponseBreachedAt: number | null;
  resolvedAt: number | null;
  resolutionDueAt: number | null;
  resolutionBreachedAt: number | null;
  closedAt: number | null;
  rating: number | null;
  ratedAt: number | null;
}

/** `YYYY-MM-DD` of the UTC day holding `at`. */
export const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
/** Start (epoch ms) of a UTC day. */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = dayStart(from); at <= dayStart(to); at += DAY_MS) days.push(dayOf(at));
  return days;
}

export function emptyGroup(day: string, siteId: string, departmentId: string | null, agentId: string | null): StatsGroup {
  return {
    day,
    siteId,
    departmentId,
    agentId,
    created: 0,
    resolved: 0,
    closed: 0,
    firstResponse: {},
    resolution: {},
    firstResponseSla: { met: 0, missed: 0 },
    resolutionSla: { met: 0, missed: 0 },
    ratings: [0, 0, 0, 0, 0],
  };
}

const addTo = (histogram: Histogram, minutes: number) => {
  const key = String(bucketOf(minutes));
  histogram[key] = (histogram[key] ?? 0) + 1;
};

/**
 * A target is met when it was reached by its due time and never stamped as breached; tickets
 * without the target (no policy) count neither way. Open tickets past their target are not
 * here but in the backlog's `breached`, since their figure is not final.
 */
function tallyTarget(tally: SlaTally, reachedAt: number, dueAt: number | null, breachedAt: number | null) {
  if (dueAt === null) return;
  if (breachedAt === null && reachedAt <= dueAt) tally.met++;
  else tally.missed++;
}

/**
 * The groups of the events of `facts` that fall in [from, to) (epoch ms, whole UTC days), with
 * each site's calendar from `calendarFor`. Groups with nothing in them are left out.
 */
export function groupTickets(facts: Iterable<TicketFacts>, window: { from: number; to: number }, calendarFor: (siteId: string) => BusinessCalendar | null): StatsGroup[] {
  const groups = new Map<string, StatsGroup>();
  const inWindow = (at: number | null): at is number => at !== null && at >= window.from && at < window.to;
  for (const ticket of facts) {
    const groupOn = (at: number) => {
      const day = dayOf(at);
      const key = `${day}\u0000${ticket.siteId}\u0000${ticket.departmentId ?? ""}\u0000${ticket.assigneeId ?? ""}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = emptyGroup(day, ticket.siteId, ticket.departmentId, ticket.assigneeId)));
      return group;
    };
    if (inWindow(ticket.createdAt)) groupOn(ticket.createdAt).created++;
    if (inWindow(ticket.firstResponseAt)) {
      const group = groupOn(ticket.firstResponseAt);
      addTo(group.firstResponse, businessMinutesBetween(calendarFor(ticket.siteId), ticket.createdAt, ticket.firstResponseAt));
      tallyTarget(group.firstResponseSla, ticket.firstResponseAt, ticket.firstResponseDueAt, ticket.firstResponseBreachedAt);
    }
    if (inWindow(ticket.resolvedAt)) {
      const group = groupOn(ticket.resolvedAt);
      group.resolved++;
      addTo(group.resolution, businessMinutesBetween(calendarFor(ticket.siteId), ticket.createdAt, ticket.resolvedAt));
      tallyTarget(group.resolutionSla, ticket.resolvedAt, ticket.resolutionDueAt, ticket.resolutionBreachedAt);
    }
    if (inWindow(ticket.closedAt)) groupOn(ticket.closedAt).closed++;
    if (inWindow(ticket.ratedAt) && ticket.rating !== null && ticket.rating >= 1 && ticket.rating <= 5) groupOn(ticket.ratedAt).ratings[ticket.rating - 1]!++;
  }
  return [...groups.values()];
}

/** The sum of groups, keeping `into`'s identity fields. */
export function mergeInto(into: StatsGroup, group: StatsGroup): StatsGroup {
  into.created += group.created;
  into.resolved += group.resolved;
  into.closed += group.closed;
  for (const [key, count] of Object.entries(group.firstResponse)) into.firstResponse[key] = (into.firstResponse[key] ?? 0) + count;
  for (const [key, count] of Object.entries(group.resolution)) into.resolution[key] = (into.resolution[key] ?? 0) + count;
  into.firstResponseSla.met += group.firstResponseSla.met;
  into.firstResponseSla.missed += group.firstResponseSla.missed;
  into.resolutionSla.met += group.resolutionSla.met;
  into.resolutionSla.missed += group.resolutionSla.missed;
  group.ratings.forEach((count, i) => (into.ratings[i]! += count));
  return into;
}

/** The nearest-rank `p` quantile (0 < p ≤ 1) of a histogram, as its bucket's upper bound; null when empty. */
export function quantile(histogram: Histogram, p: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([bound, count]) => [Number(bound), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [bound, count] of buckets) {
    seen += count;
    if (seen >= rank) return bound;
  }
  return buckets.at(-1)![0];
}

export interface DurationSummary {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface SlaSummary extends SlaTally {
  /** met / (met + missed), null with neither. */
  attainment: number | null;
}

export interface CsatSummary {
  count: number;
  average: number | null;
  /** Ratings 1…5 at index 0…4. */
  distribution: number[];
}

export interface GroupSummary {
  created: number;
  resolved: number;
  closed: number;
  firstResponse: DurationSummary;
  resolution: DurationSummary;
  sla: { firstResponse: SlaSummary; resolution: SlaSummary };
  csat: CsatSummary;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function summarizeDurations(histogram: Histogram): DurationSummary {
  const count = Object.values(histogram).reduce((sum, n) => sum + n, 0);
  return { count, medianMinutes: quantile(histogram, 0.5), p90Minutes: quantile(histogram, 0.9) };
}

export function summarizeSla(tally: SlaTally): SlaSummary {
  const total = tally.met + tally.missed;
  return { ...tally, attainment: total === 0 ? null : round(tally.met / total, 4) };
}

export function summarizeCsat(ratings: readonly number[]): CsatSummary {
  const count = ratings.reduce((sum, n) => sum + n, 0);
  const sum = ratings.reduce((total, n, i) => total + n * (i + 1), 0);
  return { count, average: count === 0 ? null : round(sum / count, 2), distribution: [...ratings] };
}

export function summarize(group: StatsGroup): GroupSummary {
  return {
    created: group.created,
    resolved: group.resolved,
    closed: group.closed,
    firstResponse: summarizeDurations(group.firstResponse),
    resolution: summarizeDurations(group.resolution),
    sla: { firstResponse: summarizeSla(group.firstResponseSla), resolution: summarizeSla(group.resolutionSla) },
    csat: summarizeCsat(group.ratings),
  };
}

/** Groups merged by a key (null keys kept apart from every named one). */
export function mergeBy(groups: Iterable<StatsGroup>, keyOf: (group: StatsGroup) => string | null): Map<string | null, StatsGroup> {
  const merged = new Map<string | null, StatsGroup>();
  for (const group of groups) {
    const key = keyOf(group);
    let total = merged.get(key);
    if (!total) merged.set(key, (total = emptyGroup(group.day, group.siteId, group.departmentId, group.agentId)));
    mergeInto(total, group);
  }
  return merged;
}

/** Open-ticket age buckets, youngest first: under 1 day, 1–3 days, 3–7, 7–30, 30 and over. */
export const BACKLOG_BUCKETS = [
  { bucket: "under_1d", below: DAY_MS },
  { bucket: "1d_3d", below: 3 * DAY_MS },
  { bucket: "3d_7d", below: 7 * DAY_MS },
  { bucket: "7d_30d", below: 30 * DAY_MS },
  { bucket: "30d_plus", below: Infinity },
] as const;
export type BacklogBucket = (typeof BACKLOG_BUCKETS)[number]["bucket"];

