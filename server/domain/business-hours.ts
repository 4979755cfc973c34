import type { BusinessHours } from "../../protocol/index.js";

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** True when `at` falls inside one of the opening windows, read in the calendar's time zone. */
export function isWithinBusinessHours(hours: BusinessHours | null, at: number): boolean {
  if (!hours) return true;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: hours.timezone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = weekdays.indexOf(part("weekday"));
  const minutes = Number(part("hour")) * 60 + Number(part("minute"));
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return hours.days.some((window) => window.day === day && minutes >= toMinutes(window.open) && minutes < toMinutes(window.close));
}
