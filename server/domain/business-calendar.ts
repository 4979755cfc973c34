import type { BusinessHours } from "../../protocol/index.js";

/**
 * A site's working time: weekly opening windows read on the wall clock of its IANA time zone,
 * minus holidays (local dates). SLA clocks run only inside it; `null` everywhere below means
 * "around the clock".
 *
 * A window belongs to the day it opens on: one that closes at or before it opens (22:00–02:00)
 * runs past midnight into the next day, and `24:00` closes at the next midnight. A holiday closes
 * the windows that open on it, including their part after midnight.
 *
 * Wall-clock times that a DST change skips are taken as the moment of the change (so a skipped
 * hour is never business time); times it repeats are taken at their first occurrence. Business
 * time is real elapsed time inside the windows, so 00:00–24:00 lasts 23 hours on a spring-forward
 * day and 25 on a fall-back day.
 */
export interface BusinessCalendar {
  timezone: string;
  days: readonly { day: number; open: string; close: string }[];
  /** `YYYY-MM-DD` in the calendar's time zone. */
  holidays: readonly string[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The calendar a site's hours describe, or null (around the clock) without hours. A site with
 * no opening window at all would stop every clock for good, so it is measured around the
 * clock too.
 */
export function calendarOf(hours: BusinessHours | null | undefined): BusinessCalendar | null {
  if (!hours || hours.days.length === 0) return null;
  return { timezone: hours.timezone, days: hours.days, holidays: hours.holidays ?? [] };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The zone's offset from UTC at `at` (ms), read from Intl. */
function readOffset(timeZone: string, at: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)!.value);
  const wall = Date.UTC(value("year"), value("month") - 1, value("day"), value("hour"), value("minute"), value("second"));
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * Offsets change only on quarter hours of UTC (every zone's changes fall on them), so one Intl
 * reading per zone and quarter hour is enough; Intl is by far the slowest step of the
 * arithmetic. Bounded: past the limit the memo starts over.
 */
const QUARTER_HOUR = 15 * MINUTE;
const offsets = new Map<string, number>();
const MAX_OFFSETS = 200_000;
function offsetAt(timeZone: string, at: number): number {
  const key = `${timeZone} ${Math.floor(at / QUARTER_HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offset = readOffset(timeZone, Math.floor(at / QUARTER_HOUR) * QUARTER_HOUR);
    offsets.set(key, offset);
  }
  return offset;
}

/** The zone's wall clock at `at`, as if it were UTC (ms), to the second. */
const wallClockAt = (timeZone: string, at: number) => Math.floor(at / 1000) * 1000 + offsetAt(timeZone, at);

/**
 * The instant a wall-clock time (as-if-UTC ms) is reached in the zone: its first occurrence
 * when a DST change repeats it, the moment of the change when the change skips it.
 */
export function instantOfWallClock(timeZone: string, wall: number): number {
  // Real zones change offset at most once in any two days, so the offsets a day either side
  // are the only two candidates.
  const before = wall - offsetAt(timeZone, wall - DAY);
  const after = wall - offsetAt(timeZone, wall + DAY);
  const reaches = (at: number) => wallClockAt(timeZone, at) === wall;
  const candidates = [Math.min(before, after), Math.max(before, after)];
  for (const at of candidates) if (reaches(at)) return at;
  // Skipped: find the change between the two candidates (to the minute; changes fall on whole minutes).
  let [low, high] = candidates as [number, number];
  const lowOffset = offsetAt(timeZone, low);
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (offsetAt(timeZone, middle) === lowOffset) low = middle;
    else high = middle;
  }
  return high;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** Local date `YYYY-MM-DD` of a day number (days since 1970-01-01 in the zone). */
const isoDate = (dayNumber: number) => new Date(dayNumber * DAY).toISOString().slice(0, 10);
/** 1970-01-01 was a Thursday (4); days are 0 (Sunday) to 6. */
const weekdayOf = (dayNumber: number) => (((dayNumber + 4) % 7) + 7) % 7;

interface Interval {
  start: number;
  end: number;
}

/** The opening intervals (instants) of the windows that open on local day `dayNumber`, in order. */
function intervalsOpeningOn(calendar: BusinessCalendar, dayNumber: number, holidays: ReadonlySet<string>): Interval[] {
  if (holidays.has(isoDate(dayNumber))) return [];
  const weekday = weekdayOf(dayNumber);
  const midnight = dayNumber * DAY;
  const intervals: Interval[] = [];
  for (const window of calendar.days) {
    if (window.day !== weekday) continue;
    const open = minutesOf(window.open);
    let close = minutesOf(window.close);
    if (close <= open) close += 24 * 60;
    const start = instantOfWallClock(calendar.timezone, midnight + open * MINUTE);
    const end = instantOfWallClock(calendar.timezone, midnight + close * MINUTE);
    if (end > start) intervals.push({ start, end });
  }
  return intervals.sort((a, b) => a.start - b.start);
}

/** How many days ahead a search gives up: a calendar open a few hours a year still answers within it. */
const HORIZON_DAYS = 3 * 366;

/**
 * The calendar's opening intervals from the one containing (or following) `from` onwards,
 * merged where windows overlap or touch. Starts are monotonic across days (every window opens
 * on its own day), so one pass of merging suffices.
 */
function* openIntervals(calendar: BusinessCalendar, from: number): Generator<Interval> {
  const holidays = new Set(calendar.holidays);
  // The day before: a window opened then may still be running.
  const firstDay = Math.floor(wallClockAt(calendar.timezone, from) / DAY) - 1;
  let current: Interval | null = null;
  for (let day = firstDay; day <= firstDay + HORIZON_DAYS; day++) {
    for (const next of intervalsOpeningOn(calendar, day, holidays)) {
      if (current && next.start <= current.end) {
        current.end = Math.max(current.end, next.end);
        continue;
      }
      if (current && current.end > from) yield current;
      current = { ...next };
    }
  }
  if (current && current.end > from) yield current;
}

/** The instant `ms` of business time after `start`. */
export function addBusinessTime(calendar: BusinessCalendar | null, start: number, ms: number): number {
  if (ms <= 0 || !calendar) return start + Math.max(0, ms);
  let remaining = ms;
  for (const interval of openIntervals(calendar, start)) {
    const from = Math.max(interval.start, start);
    const available = interval.end - from;
    if (remaining <= available) return from + remaining;
    remaining -= available;
  }
  throw new Error(`the calendar in ${calendar.timezone} has no ${Math.ceil(ms / MINUTE)} business minutes within ${HORIZON_DAYS} days of ${new Date(start).toISOString()}`);
}

/** Business time (ms) between two instants; 0 when `end` is not after `start`. */
export function businessTimeBetween(calendar: BusinessCalendar | null, start: number, end: number): number {
  if (end <= start) return 0;
  if (!calendar) return end - start;
  let total = 0;
  for (const interval of openIntervals(calendar, start)) {
    if (interval.start >= end) break;
    total += Math.min(interval.end, end) - Math.max(interval.start, start);
  }
  return total;
}

/**
 * The instant `minutes` business minutes after `startMs`.
 * @example addBusinessMinutes(parisOffice, Date.parse("2026-03-06T16:30:00Z"), 60) // Monday 09:30 Paris
 */
export const addBusinessMinutes = (calendar: BusinessCalendar | null, startMs: number, minutes: number) => addBusinessTime(calendar, startMs, minutes * MINUTE);

/** Business minutes between two instants (fractional when they fall between whole minutes). */
export const businessMinutesBetween = (calendar: BusinessCalendar | null, a: number, b: number) => businessTimeBetween(calendar, a, b) / MINUTE;

/** True when `at` falls inside an opening window (always, without a calendar). */
export function isBusinessTime(calendar: BusinessCalendar | null, at: number): boolean {
  if (!calendar) return true;
  const first = openIntervals(calendar, at).next();
  return !first.done && first.value.start <= at;
}
