import type { SlaState, SlaTarget, TicketPriority, TicketStatus } from "../../protocol/index.js";
import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from "./business-calendar.js";

export type { SlaState, SlaTarget };

const MINUTE = 60_000;

/** A policy's reach: a priority, a category (any priority), or both. */
export interface SlaPolicyScope {
  priority: TicketPriority | null;
  categoryId: string | null;
}

export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** True: the targets run in the site's business calendar; false: around the clock. */
  businessHours: boolean;
}

export type SlaPolicy = SlaPolicyScope & SlaTargets;

const HOUR = 60;
/** What a new install starts with (seeded into `sla_policies`; admins change them there). */
export const defaultSlaPolicies: { priority: TicketPriority; targets: SlaTargets }[] = [
  { priority: "urgent", targets: { firstResponseMinutes: 15, resolutionMinutes: 4 * HOUR, businessHours: true } },
  { priority: "high", targets: { firstResponseMinutes: 1 * HOUR, resolutionMinutes: 8 * HOUR, businessHours: true } },
  { priority: "normal", targets: { firstResponseMinutes: 4 * HOUR, resolutionMinutes: 24 * HOUR, businessHours: true } },
  { priority: "low", targets: { firstResponseMinutes: 8 * HOUR, resolutionMinutes: 72 * HOUR, businessHours: true } },
];
/** The seeded complaint policy: resolved within 30 calendar days of the complaint, whatever its priority. */
export const COMPLAINT_CATEGORY = "complaint";
export const complaintSlaTargets: SlaTargets = { firstResponseMinutes: 24 * HOUR, resolutionMinutes: 30 * 24 * HOUR, businessHours: false };

/**
 * The policy that governs a ticket: the most specific that matches — category and priority,
 * then category alone, then priority alone — or null when none does (no SLA).
 */
export function pickPolicy<P extends SlaPolicy>(policies: readonly P[], ticket: { priority: TicketPriority; categoryId: string | null }): P | null {
  const rank = (policy: P): number => {
    const category = policy.categoryId === null ? "any" : policy.categoryId === ticket.categoryId ? "match" : "other";
    const priority = policy.priority === null ? "any" : policy.priority === ticket.priority ? "match" : "other";
    if (category === "other" || priority === "other") return -1;
    if (category === "match") return priority === "match" ? 3 : 2;
    return priority === "match" ? 1 : -1;
  };
  let best: P | null = null;
  let bestRank = 0;
  for (const policy of policies) {
    const value = rank(policy);
    if (value > bestRank) [best, bestRank] = [policy, value];
  }
  return best;
}

/** The share of a target after which a ticket is at risk. */
export const WARN_SHARE = 0.8;

/** A ticket's targets: each due time and its 80 % mark. */
export interface SlaDueTimes {
  firstResponseDueAt: number;
  firstResponseWarnAt: number;
  resolutionDueAt: number;
  resolutionWarnAt: number;
}

/**
 * The targets of a ticket opened at `openedAt` under `targets`, in the given clock (the site's
 * calendar, or null around the clock), later by the business time it already stood paused.
 */
export function slaDueTimes(calendar: BusinessCalendar | null, openedAt: number, targets: Pick<SlaTargets, "firstResponseMinutes" | "resolutionMinutes">, pausedMs = 0): SlaDueTimes {
  const after = (minutes: number) => addBusinessTime(calendar, openedAt, Math.round(minutes * MINUTE) + pausedMs);
  return {
    firstResponseDueAt: after(targets.firstResponseMinutes),
    firstResponseWarnAt: after(targets.firstResponseMinutes * WARN_SHARE),
    resolutionDueAt: after(targets.resolutionMinutes),
    resolutionWarnAt: after(targets.resolutionMinutes * WARN_SHARE),
  };
}

/** What the SLA rules read of a ticket (its row has all of it). */
export interface SlaTicket {
  status: TicketStatus;
  firstResponseAt: number | null;
  firstResponseDueAt: number | null;
  firstResponseWarnAt: number | null;
  resolutionDueAt: number | null;
  resolutionWarnAt: number | null;
  firstResponseBreachedAt: number | null;
  resolutionBreachedAt: number | null;
  firstResponseWarnedAt: number | null;
  resolutionWarnedAt: number | null;
  slaPausedAt: number | null;
  slaPausedMs: number;
}

/**
 * The clock stands still while the ticket waits on its customer, and while it is resolved (a
 * reopened ticket resumes where it stopped); `closed` is final.
 */
export const clockPausedIn = (status: TicketStatus) => status === "pending_customer" || status === "resolved";
const finished = (status: TicketStatus) => status === "resolved" || status === "closed";

/**
 * The target the clock is running for: first response until the team has replied, then
 * resolution; null when paused, finished or without targets. The schema's `sla_due_at` and
 * `sla_warn_at` columns are the same rule in SQL.
 */
export function pendingTarget(ticket: SlaTicket): SlaTarget | null {
  if (ticket.status === "pending_customer" || finished(ticket.status)) return null;
  if (ticket.firstResponseAt === null && ticket.firstResponseDueAt !== null) return "first_response";
  return ticket.resolutionDueAt !== null ? "resolution" : null;
}

const dueOf = (ticket: SlaTicket, target: SlaTarget) => (target === "first_response" ? ticket.firstResponseDueAt : ticket.resolutionDueAt);
const warnOf = (ticket: SlaTicket, target: SlaTarget) => (target === "first_response" ? ticket.firstResponseWarnAt : ticket.resolutionWarnAt);
const breachedOf = (ticket: SlaTicket, target: SlaTarget) => (target === "first_response" ? ticket.firstResponseBreachedAt : ticket.resolutionBreachedAt);

/** The due time the `due` sort orders by: the pending target's, or null (sorted last). */
export function nextDueAt(ticket: SlaTicket): number | null {
  const target = pendingTarget(ticket);
  return target ? dueOf(ticket, target) : null;
}

/** The pending target's 80 % mark, or null. */
export function warnAt(ticket: SlaTicket): number | null {
  const target = pendingTarget(ticket);
  return target ? warnOf(ticket, target) : null;
}

export const isBreached = (ticket: SlaTicket) => ticket.firstResponseBreachedAt !== null || ticket.resolutionBreachedAt !== null;

/**
 * Whether the clock runs toward a pending target and none has been missed: only such a ticket
 * can be `ok` or `at_risk` (the schema's indexed `sla_watched`).
 */
export const isWatched = (ticket: SlaTicket) => pendingTarget(ticket) !== null && !isBreached(ticket);

/**
 * Where a ticket stands against its SLA at `now`: `met` once finished, `paused` while waiting
 * on the customer, `breached` once a target was missed (stamped, or the pending one overdue),
 * `at_risk` past the pending target's 80 % mark, else `ok` (also without targets). The queue's
 * `sla` filter is the same rule in SQL (server/tickets/queue.ts).
 */
export function slaState(ticket: SlaTicket, now: number): SlaState {
  if (finished(ticket.status)) return "met";
  if (ticket.status === "pending_customer") return "paused";
  if (isBreached(ticket)) return "breached";
  const target = pendingTarget(ticket);
  if (!target) return "ok";
  if (now >= dueOf(ticket, target)!) return "breached";
  const warn = warnOf(ticket, target);
  return warn !== null && now >= warn ? "at_risk" : "ok";
}

/**
 * What the SLA monitor has to do next for a ticket, and from when: for each target whose clock
 * runs, warn that it is at risk (once), then stamp its breach (once); the earliest of the two
 * targets' next alarms, the first response's on a tie. Both clocks run until the first
 * response, so a resolution due while the team has not yet replied is warned and breached in
 * its own right (after a first-response breach, say). Null when nothing is left. The schema's
 * indexed `sla_alarm_at` is `at` in SQL.
 */
export function slaAlarm(ticket: SlaTicket): { at: number; kind: "at_risk" | "breach"; target: SlaTarget } | null {
  if (ticket.status === "pending_customer" || finished(ticket.status)) return null;
  const next = (target: SlaTarget) => {
    if (dueOf(ticket, target) === null || breachedOf(ticket, target) !== null) return null;
    const warned = target === "first_response" ? ticket.firstResponseWarnedAt : ticket.resolutionWarnedAt;
    return warned === null ? { at: warnOf(ticket, target)!, kind: "at_risk" as const, target } : { at: dueOf(ticket, target)!, kind: "breach" as const, target };
  };
  const firstResponse = ticket.firstResponseAt === null ? next("first_response") : null;
  const resolution = next("resolution");
  if (!firstResponse || !resolution) return firstResponse ?? resolution;
  return resolution.at < firstResponse.at ? resolution : firstResponse;
}

/** Fields an SLA rule changes on a ticket row. */
export type SlaChange = Partial<
  Pick<
    SlaTicket,
    "firstResponseDueAt" | "firstResponseWarnAt" | "resolutionDueAt" | "resolutionWarnAt" | "firstResponseBreachedAt" | "resolutionBreachedAt" | "slaPausedAt" | "slaPausedMs"
  >
>;

/**
 * What a status move does to the clock, at `at`. Entering a pause stamps its start; leaving it
 * pushes every target not yet met later by the business time paused, and keeps the total.
 */
export function clockOnStatusChange(calendar: BusinessCalendar | null, ticket: SlaTicket, to: TicketStatus, at: number): SlaChange {
  const wasPaused = clockPausedIn(ticket.status) && ticket.slaPausedAt !== null;
  const pauses = clockPausedIn(to);
  if (!wasPaused && pauses) return { slaPausedAt: at };
  if (!wasPaused || pauses) return {};
  const paused = businessTimeBetween(calendar, ticket.slaPausedAt!, at);
  const push = (due: number | null) => (due === null ? null : addBusinessTime(calendar, due, paused));
  const change: SlaChange = { slaPausedAt: null, slaPausedMs: ticket.slaPausedMs + paused };
  if (paused === 0) return change;
  if (ticket.firstResponseAt === null) Object.assign(change, { firstResponseDueAt: push(ticket.firstResponseDueAt), firstResponseWarnAt: push(ticket.firstResponseWarnAt) });
  // Resolution is pending again (a reopened ticket) or still pending (leaving pending_customer).
  Object.assign(change, { resolutionDueAt: push(ticket.resolutionDueAt), resolutionWarnAt: push(ticket.resolutionWarnAt) });
  return change;
}

/**
 * The breach stamps a ticket earns at `at`, read from the ticket as it stood just before the
 * change made then: a target not met by its due time. While the clock stands still, it is read
 * at the moment it stopped, so a ticket resolved from `pending_customer` is judged by when the
 * wait began. Stamps already set are never moved or cleared.
 */
export function breachesAt(before: SlaTicket, at: number): SlaChange {
  if (before.status === "closed") return {};
  const clock = clockPausedIn(before.status) && before.slaPausedAt !== null ? before.slaPausedAt : at;
  const change: SlaChange = {};
  if (before.firstResponseBreachedAt === null && before.firstResponseDueAt !== null && before.firstResponseAt === null && clock > before.firstResponseDueAt) {
    change.firstResponseBreachedAt = at;
  }
  if (before.resolutionBreachedAt === null && before.resolutionDueAt !== null && clock > before.resolutionDueAt) {
    change.resolutionBreachedAt = at;
  }
  return change;
}

/**
 * A ticket's place in the priority queue, stored beside `priority` as `priority_rank`: 0 is
 * served first. Ascending, so one index on (rank, created) serves "urgent first, oldest first".
 */
export const priorityRank: Record<TicketPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
