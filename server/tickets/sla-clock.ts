import { and, asc, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { TicketPriority, TicketStatus } from "../../protocol/index.js";
import { executorOf, type Reader } from "../db/client.js";
import { sites, slaPolicies, tickets, type SlaClockKind } from "../db/schema.js";
import { compile, compiler } from "../db/statement.js";
import { calendarOf, type BusinessCalendar } from "../domain/business-calendar.js";
import { breachesAt, clockOnStatusChange, nextDueAt, pickPolicy, slaDueTimes, type SlaChange, type SlaTicket } from "../domain/sla.js";
import { ticketRow } from "./access.js";
import type { TicketRow } from "./views.js";

/**
 * The SLA clock's reads: which policy governs a ticket and in which calendar its targets run.
 * The arithmetic itself is pure (server/domain/sla.ts, business-calendar.ts); these only fetch
 * what it needs, inside the caller's transaction.
 */

/** The SLA columns a ticket starts with, or re-computes to. */
export type SlaColumns = Pick<TicketRow, "slaClock" | "firstResponseDueAt" | "firstResponseWarnAt" | "resolutionDueAt" | "resolutionWarnAt">;
const noSla: SlaColumns = { slaClock: null, firstResponseDueAt: null, firstResponseWarnAt: null, resolutionDueAt: null, resolutionWarnAt: null };

async function siteCalendar(reader: Reader, siteId: string): Promise<BusinessCalendar | null> {
  const [site] = await reader.select({ hours: sites.businessHours }).from(sites).where(eq(sites.id, siteId)).limit(1);
  return calendarOf(site?.hours ?? null);
}

/** The calendar a ticket's clock runs in: its site's business hours, or none around the clock. */
export async function calendarFor(reader: Reader, ticket: Pick<TicketRow, "siteId" | "slaClock">): Promise<BusinessCalendar | null> {
  return ticket.slaClock === "business" ? siteCalendar(reader, ticket.siteId) : null;
}

/**
 * The targets of a ticket of this priority and category, counted from `openedAt` plus the
 * business time it already stood paused: from the most specific matching policy, or none.
 */
export async function slaColumnsFor(
  reader: Reader,
  ticket: { siteId: string; priority: TicketPriority; categoryId: string | null; openedAt: number; pausedMs: number },
): Promise<SlaColumns> {
  // At most four rows can match: (category, priority), (category, any), (any, priority).
  const candidates = await reader
    .select()
    .from(slaPolicies)
    .where(
      and(
        or(eq(slaPolicies.priority, ticket.priority), isNull(slaPolicies.priority)),
        ticket.categoryId === null ? isNull(slaPolicies.categoryId) : or(eq(slaPolicies.categoryId, ticket.categoryId), isNull(slaPolicies.categoryId)),
      ),
    );
  const policy = pickPolicy(candidates, ticket);
  if (!policy) return noSla;
  const calendar = policy.businessHours ? await siteCalendar(reader, ticket.siteId) : null;
  // A site without business hours runs around the clock: saying so on the ticket spares its
  // later pauses a read of the site (hours set afterwards apply from the next re-computation).
  const slaClock: SlaClockKind = calendar ? "business" : "continuous";
  return { slaClock, ...slaDueTimes(calendar, ticket.openedAt, policy, ticket.pausedMs) };
}

/**
 * What a status move from `ticket` to `to` at `at` does to its SLA: breach stamps for targets
 * missed by then, and the pause started or ended (pushing the open targets later). Reads the
 * site's calendar only when a pause ends on a business-hours clock.
 */
export async function slaOnStatusChange(reader: Reader, ticket: TicketRow, to: TicketStatus, at: number): Promise<SlaChange> {
  if (ticket.slaClock === null) return {};
  const breaches = breachesAt(ticket, at);
  const endsPause = ticket.slaPausedAt !== null && (ticket.status === "pending_customer" || ticket.status === "resolved") && to !== "pending_customer" && to !== "resolved";
  const calendar = endsPause ? await calendarFor(reader, ticket) : null;
  return { ...breaches, ...clockOnStatusChange(calendar, ticket, to, at) };
}

/** The SLA fields whose change a ticket.updated announces, by their names in the agent's view. */
const announcedFields = ["firstResponseDueAt", "resolutionDueAt", "slaPausedAt", "firstResponseBreachedAt", "resolutionBreachedAt"] as const;
export function slaChangesBetween(before: TicketRow, after: TicketRow): string[] {
  const changes: string[] = announcedFields.filter((field) => before[field] !== after[field]);
  // The pending target's due time moves with the first response too.
  if (nextDueAt(before) !== nextDueAt(after)) changes.push("slaDueAt");
  return changes;
}

/** Enough to know which SLA rule applies; the row carries all of it. */
export type { SlaTicket };

const selectAlarms = compile<{ now: number; limit: number }>(
  compiler
    .select(ticketRow.columns)
    .from(tickets)
    .where(lte(tickets.slaAlarmAt, sql.placeholder("now")))
    .orderBy(asc(tickets.slaAlarmAt))
    .limit(sql.placeholder("limit")),
);

/**
 * For the SLA monitor: tickets whose pending target's warning or due time has passed without
 * the warning sent or the breach stamped, oldest alarm first (`slaAlarm` in server/domain/sla.ts
 * says which). A range read of the partial `tickets_sla_alarm_idx`: finished, paused and
 * already-flagged tickets are not in it.
 */
export async function ticketsWithSlaAlarms(reader: Reader, now: number, limit: number): Promise<TicketRow[]> {
  const rows = await selectAlarms.rows(executorOf(reader), { now, limit });
  return rows.map((row) => ticketRow.read(row));
}

/** The statement behind `ticketsWithSlaAlarms`, for EXPLAIN in tests. */
export const slaAlarmStatement = (now: number, limit: number) => ({ sql: selectAlarms.sql, args: selectAlarms.args({ now, limit }) });
