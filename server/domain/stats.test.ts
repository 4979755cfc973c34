import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "./business-calendar.js";
import { bucketOf, daysBetween, emptyGroup, groupTickets, mergeBy, mergeInto, quantile, summarize, summarizeCsat, summarizeSla, type TicketFacts } from "./stats.js";

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);
const ticket = (overrides: Partial<TicketFacts>): TicketFacts => ({
  siteId: "s1",
  departmentId: null,
  assigneeId: null,
  createdAt: at("2026-03-02T09:00:00Z"),
  firstResponseAt: null,
  firstResponseDueAt: null,
  firstResponseBreachedAt: null,
  resolvedAt: null,
  resolutionDueAt: null,
  resolutionBreachedAt: null,
  closedAt: null,
  rating: null,
  ratedAt: null,
  ...overrides,
});

describe("histogram buckets", () => {
  it("are exact to the minute up to an hour, then coarser", () => {
    expect([0, 1, 59.5, 60, 61, 600, 601, 2_880, 2_881, 20_161].map(bucketOf)).toEqual([0, 1, 60, 60, 65, 600, 630, 2_880, 3_000, 21_600]);
    // Minutes computed from ms carry float noise; an exact bound stays in its bucket.
    expect(bucketOf((45 * MIN) / MIN)).toBe(45);
    expect(bucketOf(0.1 + 0.2 + 29.7)).toBe(30);
  });

  it("answer nearest-rank quantiles", () => {
    const histogram = { "10": 1, "20": 1, "30": 1, "40": 1 };
    expect(quantile(histogram, 0.5)).toBe(20);
    expect(quantile(histogram, 0.9)).toBe(40);
    expect(quantile({ "5": 9, "100": 1 }, 0.9)).toBe(5);
    expect(quantile({ "5": 9, "100": 2 }, 0.9)).toBe(100);
    expect(quantile({}, 0.5)).toBeNull();
  });
});

describe("groupTickets", () => {
  it("counts each event on its own UTC day, only inside the window", () => {
    const facts = [
      ticket({ createdAt: at("2026-03-01T23:30:00Z"), firstResponseAt: at("2026-03-02T00:10:00Z"), resolvedAt: at("2026-03-03T12:00:00Z") }),
      ticket({ createdAt: at("2026-03-02T10:00:00Z") }),
    ];
    const groups = groupTickets(facts, { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-03T00:00:00Z") }, () => null);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ day: "2026-03-02", created: 1, resolved: 0, firstResponse: { "40": 1 } });
  });

  it("measures in the site's business hours", () => {
    // Mon–Fri 09:00–17:00 UTC: created Friday 16:30, answered Monday 09:15 = 45 business minutes.
    const office: BusinessCalendar = { timezone: "UTC", days: [1, 2, 3, 4, 5].map((day) => ({ day, open: "09:00", close: "17:00" })), holidays: [] };
    const facts = [ticket({ createdAt: at("2026-03-06T16:30:00Z"), firstResponseAt: at("2026-03-09T09:15:00Z") })];
    const [group] = groupTickets(facts, { from: at("2026-03-09T00:00:00Z"), to: at("2026-03-10T00:00:00Z") }, (site) => (site === "s1" ? office : null));
    expect(group!.firstResponse).toEqual({ "45": 1 });
  });

  it("tallies a target as met only when reached by its due time and never breached; without a target, neither", () => {
    const created = at("2026-03-02T09:00:00Z");
    const facts = [
      ticket({ firstResponseAt: created + 10 * MIN, firstResponseDueAt: created + 15 * MIN }),
      ticket({ firstResponseAt: created + 20 * MIN, firstResponseDueAt: created + 15 * MIN }),
      ticket({ firstResponseAt: created + 10 * MIN, firstResponseDueAt: created + 15 * MIN, firstResponseBreachedAt: created + 5 * MIN }),
      ticket({ firstResponseAt: created + 10 * MIN }),
    ];
    const [group] = groupTickets(facts, { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-03T00:00:00Z") }, () => null);
    expect(group!.firstResponseSla).toEqual({ met: 1, missed: 2 });
    expect(summarizeSla(group!.firstResponseSla).attainment).toBe(0.3333);
  });

  it("keeps sites, departments and agents apart, and merging adds them up", () => {
    const day = { resolvedAt: at("2026-03-02T12:00:00Z") };
    const facts = [ticket({ ...day, assigneeId: "a" }), ticket({ ...day, assigneeId: "b" }), ticket({ ...day, assigneeId: "a", departmentId: "d" })];
    const groups = groupTickets(facts, { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-03T00:00:00Z") }, () => null);
    expect(groups).toHaveLength(3);
    const byAgent = mergeBy(groups, (group) => group.agentId);
    expect(byAgent.get("a")!.resolved).toBe(2);
    expect(byAgent.get("b")!.resolved).toBe(1);
    expect(summarize(groups.reduce((sum, group) => mergeInto(sum, group), emptyGroup("", "", null, null))).resolution.count).toBe(3);
  });
});

describe("summaries", () => {
  it("average CSAT from the distribution", () => {
    expect(summarizeCsat([1, 0, 0, 1, 2])).toEqual({ count: 4, average: 3.75, distribution: [1, 0, 0, 1, 2] });
    expect(summarizeCsat([0, 0, 0, 0, 0]).average).toBeNull();
  });

  it("list the days of a range, both ends included, across a month's end", () => {
    expect(daysBetween("2026-02-27", "2026-03-02")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });
});
