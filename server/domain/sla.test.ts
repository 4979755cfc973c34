import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "./business-calendar.js";
import { breachesAt, clockOnStatusChange, defaultSlaPolicies, pickPolicy, slaAlarm, slaDueTimes, slaState, type SlaPolicy, type SlaTicket } from "./sla.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? ms : new Date(ms).toISOString());
const paris: BusinessCalendar = { timezone: "Europe/Paris", days: [1, 2, 3, 4, 5].map((day) => ({ day, open: "09:00", close: "17:00" })), holidays: ["2026-06-19"] };

/** A ticket opened Friday 12 June 2026 at 16:00 Paris under the normal policy (4 h / 24 h in business hours). */
function opened(overrides: Partial<SlaTicket> = {}): SlaTicket {
  return {
    status: "open",
    firstResponseAt: null,
    ...slaDueTimes(paris, at("2026-06-12T14:00:00Z"), { firstResponseMinutes: 240, resolutionMinutes: 1440 }),
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    firstResponseWarnedAt: null,
    resolutionWarnedAt: null,
    slaPausedAt: null,
    slaPausedMs: 0,
    ...overrides,
  };
}

describe("policies", () => {
  const policy = (priority: SlaPolicy["priority"], categoryId: string | null, minutes: number): SlaPolicy => ({ priority, categoryId, firstResponseMinutes: minutes, resolutionMinutes: minutes * 4, businessHours: true });
  const policies = [policy("normal", null, 240), policy("urgent", null, 15), policy(null, "complaint", 1440), policy("urgent", "complaint", 5)];

  it("the most specific matching policy wins: category and priority, category, priority", () => {
    expect(pickPolicy(policies, { priority: "urgent", categoryId: "complaint" })?.firstResponseMinutes).toBe(5);
    expect(pickPolicy(policies, { priority: "normal", categoryId: "complaint" })?.firstResponseMinutes).toBe(1440);
    expect(pickPolicy(policies, { priority: "urgent", categoryId: "billing" })?.firstResponseMinutes).toBe(15);
    expect(pickPolicy(policies, { priority: "urgent", categoryId: null })?.firstResponseMinutes).toBe(15);
    expect(pickPolicy(policies, { priority: "low", categoryId: null })).toBeNull();
  });

  it("seeds the defaults the issue names", () => {
    expect(defaultSlaPolicies.map(({ priority, targets }) => [priority, targets.firstResponseMinutes, targets.resolutionMinutes])).toEqual([
      ["urgent", 15, 240],
      ["high", 60, 480],
      ["normal", 240, 1440],
      ["low", 480, 4320],
    ]);
  });
});

describe("due times and state", () => {
  it("counts both targets and their 80 % marks in business time", () => {
    const ticket = opened();
    expect(iso(ticket.firstResponseDueAt)).toBe("2026-06-15T10:00:00.000Z");
    expect(iso(ticket.firstResponseWarnAt)).toBe("2026-06-15T09:12:00.000Z");
    expect(iso(ticket.resolutionDueAt)).toBe("2026-06-17T14:00:00.000Z");
    // 80 % of 24 h is 19 h 12: 1 Friday + 8 Monday + 8 Tuesday + 2 h 12 Wednesday.
    expect(iso(ticket.resolutionWarnAt)).toBe("2026-06-17T09:12:00.000Z");
  });

  it("ok, at risk, breached by the clock, paused, met", () => {
    const ticket = opened();
    expect(slaState(ticket, at("2026-06-15T09:00:00Z"))).toBe("ok");
    expect(slaState(ticket, at("2026-06-15T09:12:00Z"))).toBe("at_risk");
    expect(slaState(ticket, at("2026-06-15T10:00:00Z"))).toBe("breached");
    expect(slaState({ ...ticket, status: "pending_customer" }, at("2026-06-20T10:00:00Z"))).toBe("paused");
    expect(slaState({ ...ticket, status: "resolved" }, at("2026-06-20T10:00:00Z"))).toBe("met");
    // Answered in time: the resolution target is the pending one now.
    const answered = { ...ticket, firstResponseAt: at("2026-06-15T08:00:00Z") };
    expect(slaState(answered, at("2026-06-15T12:00:00Z"))).toBe("ok");
    expect(slaState(answered, at("2026-06-17T09:12:00Z"))).toBe("at_risk");
    // A stamped breach stays, whatever the clock says of the pending target.
    expect(slaState({ ...answered, firstResponseBreachedAt: at("2026-06-15T10:00:00Z") }, at("2026-06-15T12:00:00Z"))).toBe("breached");
    // No policy: nothing to miss.
    expect(slaState(opened({ firstResponseDueAt: null, firstResponseWarnAt: null, resolutionDueAt: null, resolutionWarnAt: null }), at("2030-01-01T00:00:00Z"))).toBe("ok");
  });

  it("the monitor's next alarm: the warning once, then the breach once, none while paused", () => {
    const ticket = opened();
    expect(slaAlarm(ticket)).toEqual({ at: ticket.firstResponseWarnAt, kind: "at_risk", target: "first_response" });
    expect(slaAlarm({ ...ticket, firstResponseWarnedAt: 1 })).toEqual({ at: ticket.firstResponseDueAt, kind: "breach", target: "first_response" });
    expect(slaAlarm({ ...ticket, firstResponseAt: 3 })).toEqual({ at: ticket.resolutionWarnAt, kind: "at_risk", target: "resolution" });
    expect(slaAlarm({ ...ticket, status: "pending_customer" })).toBeNull();
  });

  it("the resolution clock runs while the first response is pending: its warning and breach come in their own right", () => {
    const ticket = opened();
    // The first response breached and still not given: the resolution target is next, warning then breach.
    const frBreached = { ...ticket, firstResponseWarnedAt: 1, firstResponseBreachedAt: 2 };
    expect(slaAlarm(frBreached)).toEqual({ at: ticket.resolutionWarnAt, kind: "at_risk", target: "resolution" });
    expect(slaAlarm({ ...frBreached, resolutionWarnedAt: 3 })).toEqual({ at: ticket.resolutionDueAt, kind: "breach", target: "resolution" });
    expect(slaAlarm({ ...frBreached, resolutionWarnedAt: 3, resolutionBreachedAt: 4 })).toBeNull();
    // A resolution target shorter than the first response's: its alarms come first, the first response's after.
    const short = opened({ resolutionWarnAt: ticket.firstResponseWarnAt! - 2, resolutionDueAt: ticket.firstResponseWarnAt! - 1 });
    expect(slaAlarm(short)).toEqual({ at: short.resolutionWarnAt, kind: "at_risk", target: "resolution" });
    expect(slaAlarm({ ...short, resolutionWarnedAt: 1 })).toEqual({ at: short.resolutionDueAt, kind: "breach", target: "resolution" });
    expect(slaAlarm({ ...short, resolutionWarnedAt: 1, resolutionBreachedAt: 2 })).toEqual({ at: short.firstResponseWarnAt, kind: "at_risk", target: "first_response" });
    expect(slaAlarm({ ...short, status: "resolved" })).toBeNull();
  });
});

describe("pauses in pending_customer", () => {
  it("a pause stamps its start and its end pushes the open targets later by the business time paused", () => {
    const ticket = opened({ status: "in_progress" });
    // Monday 13:00 Paris: waiting on the customer.
    const start = clockOnStatusChange(paris, ticket, "pending_customer", at("2026-06-15T11:00:00Z"));
    expect(start).toEqual({ slaPausedAt: at("2026-06-15T11:00:00Z") });
    const waiting = { ...ticket, ...start, status: "pending_customer" as const };
    // Thursday 13:00 Paris, Friday a holiday between: Mon 4 h + Tue 8 h + Wed 8 h + Thu 4 h = 24 h.
    const end = clockOnStatusChange(paris, waiting, "in_progress", at("2026-06-18T11:00:00Z"));
    expect(end.slaPausedAt).toBeNull();
    expect(end.slaPausedMs).toBe(24 * 3_600_000);
    // Wednesday 16:00 + 24 business hours: Wed 1 + Thu 8 + (Fri holiday) Mon 8 + Tue 7 → Tuesday 23 June 16:00.
    expect(iso(end.resolutionDueAt)).toBe("2026-06-23T14:00:00.000Z");
    // The first response was pending too (already overdue at 12:00): Monday 12:00 + 24 business hours.
    expect(iso(end.firstResponseDueAt)).toBe("2026-06-18T10:00:00.000Z");
  });

  it("a pause outside business hours costs nothing, and an answered first response keeps its due time", () => {
    const ticket = opened({ status: "pending_customer", firstResponseAt: at("2026-06-12T14:30:00Z"), slaPausedAt: at("2026-06-12T15:00:00Z") });
    // From Friday 17:00 to Monday 09:00 Paris: the weekend.
    const end = clockOnStatusChange(paris, ticket, "in_progress", at("2026-06-15T07:00:00Z"));
    expect(end).toEqual({ slaPausedAt: null, slaPausedMs: 0 });
    const longer = clockOnStatusChange(paris, ticket, "in_progress", at("2026-06-15T08:00:00Z"));
    expect(longer.firstResponseDueAt).toBeUndefined();
    expect(iso(longer.resolutionDueAt)).toBe("2026-06-17T15:00:00.000Z");
  });

  it("re-computing from the opening keeps the credit of past pauses", () => {
    const pausedMs = 24 * 3_600_000;
    const recomputed = slaDueTimes(paris, at("2026-06-12T14:00:00Z"), { firstResponseMinutes: 240, resolutionMinutes: 1440 }, pausedMs);
    expect(iso(recomputed.resolutionDueAt)).toBe("2026-06-23T14:00:00.000Z");
  });

  it("a paused ticket is judged by when it stopped: resolving it later is no breach", () => {
    const ticket = opened({ status: "pending_customer", firstResponseAt: at("2026-06-15T08:00:00Z"), slaPausedAt: at("2026-06-17T13:00:00Z") });
    expect(breachesAt(ticket, at("2026-06-30T10:00:00Z"))).toEqual({});
    const running = { ...ticket, status: "in_progress" as const, slaPausedAt: null };
    expect(breachesAt(running, at("2026-06-17T14:00:01Z"))).toEqual({ resolutionBreachedAt: at("2026-06-17T14:00:01Z") });
    // A stamp is never moved.
    expect(breachesAt({ ...running, resolutionBreachedAt: 1 }, at("2026-06-20T00:00:00Z"))).toEqual({});
  });
});
