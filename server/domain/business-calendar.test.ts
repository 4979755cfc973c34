import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BusinessHoursSchema } from "../../protocol/index.js";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  calendarOf,
  instantOfWallClock,
  isBusinessTime,
  type BusinessCalendar,
} from "./business-calendar.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const weekdays = (timezone: string, open: string, close: string, holidays: string[] = []): BusinessCalendar => ({
  timezone,
  days: [1, 2, 3, 4, 5].map((day) => ({ day, open, close })),
  holidays,
});
const allDay = (timezone: string): BusinessCalendar => ({ timezone, days: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: "00:00", close: "24:00" })), holidays: [] });

const paris = weekdays("Europe/Paris", "09:00", "17:00", ["2026-12-25", "2027-01-01"]);
const newYork = weekdays("America/New_York", "09:00", "17:00");

describe("business time across days, weekends and holidays", () => {
  it("without a calendar the clock runs around the clock", () => {
    expect(addBusinessMinutes(null, at("2026-06-06T10:00:00Z"), 90)).toBe(at("2026-06-06T11:30:00Z"));
    expect(businessMinutesBetween(null, at("2026-06-06T10:00:00Z"), at("2026-06-07T10:00:00Z"))).toBe(1440);
    expect(calendarOf(null)).toBeNull();
    // A site with hours but no window would stop every clock for good: measured around the clock.
    expect(calendarOf({ timezone: "Europe/Paris", days: [] })).toBeNull();
  });

  it("runs within a day, and a window's end carries over to the next open day", () => {
    // Wednesday 10 June 2026, 10:00 Paris (UTC+2).
    expect(iso(addBusinessMinutes(paris, at("2026-06-10T08:00:00Z"), 60))).toBe("2026-06-10T09:00:00.000Z");
    // 16:30 + 60 min: 30 today, 30 from Thursday's 09:00.
    expect(iso(addBusinessMinutes(paris, at("2026-06-10T14:30:00Z"), 60))).toBe("2026-06-11T07:30:00.000Z");
    // Before opening: the clock starts at 09:00.
    expect(iso(addBusinessMinutes(paris, at("2026-06-10T03:00:00Z"), 15))).toBe("2026-06-10T07:15:00.000Z");
  });

  it("skips the weekend", () => {
    // Friday 12 June 16:30 Paris + 60 → Monday 15 June 09:30.
    expect(iso(addBusinessMinutes(paris, at("2026-06-12T14:30:00Z"), 60))).toBe("2026-06-15T07:30:00.000Z");
    // Saturday: nothing until Monday.
    expect(iso(addBusinessMinutes(paris, at("2026-06-13T10:00:00Z"), 1))).toBe("2026-06-15T07:01:00.000Z");
    expect(businessMinutesBetween(paris, at("2026-06-12T14:30:00Z"), at("2026-06-15T07:30:00Z"))).toBe(60);
    // A whole week: five days of eight hours.
    expect(businessMinutesBetween(paris, at("2026-06-08T00:00:00Z"), at("2026-06-15T00:00:00Z"))).toBe(5 * 8 * 60);
  });

  it("skips holidays (local dates)", () => {
    // Thursday 24 Dec 2026 16:00 Paris (UTC+1) + 120: 60 on Thursday, Friday 25 is a holiday, 60 on Monday 28.
    expect(iso(addBusinessMinutes(paris, at("2026-12-24T15:00:00Z"), 120))).toBe("2026-12-28T09:00:00.000Z");
    // The week of 28 Dec: Friday 1 Jan is a holiday too.
    expect(businessMinutesBetween(paris, at("2026-12-28T00:00:00Z"), at("2027-01-04T00:00:00Z"))).toBe(4 * 8 * 60);
    expect(isBusinessTime(paris, at("2026-12-25T10:00:00Z"))).toBe(false);
    expect(isBusinessTime(paris, at("2026-12-24T10:00:00Z"))).toBe(true);
  });

  it("windows that close at 24:00 or run past midnight, and holidays that close them", () => {
    const evenings: BusinessCalendar = {
      timezone: "Europe/Paris",
      days: [
        { day: 1, open: "22:00", close: "02:00" },
        { day: 2, open: "18:00", close: "24:00" },
        { day: 3, open: "00:00", close: "06:00" },
      ],
      holidays: [],
    };
    // Monday 8 June 23:00 Paris (21:00Z) + 120: to Tuesday 01:00.
    expect(iso(addBusinessMinutes(evenings, at("2026-06-08T21:00:00Z"), 120))).toBe("2026-06-08T23:00:00.000Z");
    // Monday's window gives 4 hours; past it, Tuesday 18:00.
    expect(iso(addBusinessMinutes(evenings, at("2026-06-08T20:00:00Z"), 4 * 60 + 30))).toBe("2026-06-09T16:30:00.000Z");
    // Tuesday 18:00–24:00 and Wednesday 00:00–06:00 join into one stretch.
    expect(iso(addBusinessMinutes(evenings, at("2026-06-09T21:00:00Z"), 120))).toBe("2026-06-09T23:00:00.000Z");
    expect(businessMinutesBetween(evenings, at("2026-06-09T16:00:00Z"), at("2026-06-10T04:00:00Z"))).toBe(12 * 60);
    // A holiday on Monday closes its window after midnight too.
    const closedMonday = { ...evenings, holidays: ["2026-06-08"] };
    expect(isBusinessTime(closedMonday, at("2026-06-08T23:30:00Z"))).toBe(false);
    expect(isBusinessTime(evenings, at("2026-06-08T23:30:00Z"))).toBe(true);
  });
});

describe("business time across DST changes in the site's zone", () => {
  it("Europe/Paris spring-forward (29 Mar 2026) and fall-back (25 Oct 2026)", () => {
    const always = allDay("Europe/Paris");
    // Local midnight to local midnight: 23 hours, then 25.
    expect(businessMinutesBetween(always, at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z"))).toBe(23 * 60);
    expect(businessMinutesBetween(always, at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z"))).toBe(25 * 60);
    // A window over the skipped hour (02:00–03:00 does not exist) counts only real time.
    const night: BusinessCalendar = { timezone: "Europe/Paris", days: [{ day: 0, open: "01:00", close: "04:00" }], holidays: [] };
    expect(businessMinutesBetween(night, at("2026-03-28T00:00:00Z"), at("2026-03-30T00:00:00Z"))).toBe(120);
    // The repeated hour counts twice in a window around it (02:00–03:00 happens twice).
    expect(businessMinutesBetween(night, at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z"))).toBe(240);
    // Office hours keep their local times: 09:00 is 08:00Z in winter and 07:00Z in summer.
    expect(iso(addBusinessMinutes(paris, at("2026-03-27T15:30:00Z"), 60))).toBe("2026-03-30T07:30:00.000Z");
    expect(iso(addBusinessMinutes(paris, at("2026-10-23T14:30:00Z"), 60))).toBe("2026-10-26T08:30:00.000Z");
  });

  it("America/New_York spring-forward (8 Mar 2026) and fall-back (1 Nov 2026)", () => {
    const always = allDay("America/New_York");
    expect(businessMinutesBetween(always, at("2026-03-08T05:00:00Z"), at("2026-03-09T04:00:00Z"))).toBe(23 * 60);
    expect(businessMinutesBetween(always, at("2026-11-01T04:00:00Z"), at("2026-11-02T05:00:00Z"))).toBe(25 * 60);
    // Friday 16:30 EST (21:30Z) + 60 → Monday 09:30 EDT (13:30Z).
    expect(iso(addBusinessMinutes(newYork, at("2026-03-06T21:30:00Z"), 60))).toBe("2026-03-09T13:30:00.000Z");
    // Friday 16:30 EDT (20:30Z) + 60 → Monday 09:30 EST (14:30Z).
    expect(iso(addBusinessMinutes(newYork, at("2026-10-30T20:30:00Z"), 60))).toBe("2026-11-02T14:30:00.000Z");
    // A Sunday window 01:00–03:00 on fall-back day opens at the first 01:00 (EDT) and closes at 03:00 EST: three real hours.
    const night: BusinessCalendar = { timezone: "America/New_York", days: [{ day: 0, open: "01:00", close: "03:00" }], holidays: [] };
    expect(businessMinutesBetween(night, at("2026-10-31T12:00:00Z"), at("2026-11-02T00:00:00Z"))).toBe(180);
    // On spring-forward day 02:00–03:00 does not exist: one real hour.
    expect(businessMinutesBetween(night, at("2026-03-07T12:00:00Z"), at("2026-03-09T00:00:00Z"))).toBe(60);
  });

  it("a skipped wall-clock time is the moment of the change; a repeated one its first occurrence", () => {
    // 02:30 on 8 Mar 2026 does not exist in New York: the clocks jump at 07:00Z.
    expect(iso(instantOfWallClock("America/New_York", at("2026-03-08T02:30:00Z")))).toBe("2026-03-08T07:00:00.000Z");
    // 01:30 on 1 Nov 2026 happens twice: first at 05:30Z (EDT).
    expect(iso(instantOfWallClock("America/New_York", at("2026-11-01T01:30:00Z")))).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(instantOfWallClock("Europe/Paris", at("2026-06-10T09:00:00Z")))).toBe("2026-06-10T07:00:00.000Z");
  });
});

describe("the calendar schema", () => {
  it("accepts 24:00 closings, windows past midnight and real holiday dates; refuses the rest", () => {
    const valid = { timezone: "Europe/Paris", days: [{ day: 1, open: "22:00", close: "02:00" }, { day: 2, open: "18:00", close: "24:00" }], holidays: ["2026-12-25"] };
    expect(BusinessHoursSchema.safeParse(valid).success).toBe(true);
    expect(BusinessHoursSchema.safeParse({ ...valid, holidays: ["2026-02-30"] }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ ...valid, holidays: ["2026-12-25", "2026-12-25"] }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ ...valid, days: [{ day: 1, open: "24:00", close: "02:00" }] }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ ...valid, days: [{ day: 1, open: "09:00", close: "09:00" }] }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ ...valid, timezone: "Mars/Olympus" }).success).toBe(false);
  });
});

// 400 calendar walks of up to five days each: CPU-bound work of a fixed size, which a machine
// busy with other suites can stretch past vitest's default 5 s; nothing here waits for time.
describe("properties", { timeout: 60_000 }, () => {
  const calendars = [
    paris,
    newYork,
    allDay("America/New_York"),
    {
      timezone: "Europe/Paris",
      days: [
        { day: 0, open: "01:00", close: "04:00" },
        { day: 5, open: "22:00", close: "02:00" },
        { day: 6, open: "12:00", close: "24:00" },
      ],
      holidays: ["2026-03-29", "2026-07-14"],
    },
  ] satisfies BusinessCalendar[];
  const calendar = fc.constantFrom(...calendars);
  // 2026 through 2027, spanning both DST changes of both zones, to the millisecond.
  const instant = fc.integer({ min: at("2026-01-01T00:00:00Z"), max: at("2027-12-31T00:00:00Z") });
  const minutes = fc.integer({ min: 0, max: 5 * 24 * 60 });

  it("adding business minutes and measuring them back gives the same minutes", () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (cal, start, count) => {
        const due = addBusinessMinutes(cal, start, count);
        expect(due).toBeGreaterThanOrEqual(start);
        expect(businessMinutesBetween(cal, start, due)).toBeCloseTo(count, 9);
      }),
      { numRuns: 200 },
    );
  });

  it("more minutes never end earlier, and a later end never measures less", () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (cal, start, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(addBusinessMinutes(cal, start, low)).toBeLessThanOrEqual(addBusinessMinutes(cal, start, high));
        const end = start + high * 60_000;
        expect(businessMinutesBetween(cal, start, start + low * 60_000)).toBeLessThanOrEqual(businessMinutesBetween(cal, start, end));
        // Adding in two steps is adding once (the clock has no memory).
        expect(addBusinessMinutes(cal, addBusinessMinutes(cal, start, low), high - low)).toBe(addBusinessMinutes(cal, start, high));
      }),
      { numRuns: 200 },
    );
  });
});
