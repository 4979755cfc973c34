import type { BusinessHours } from "../../protocol/index.js";
import { calendarOf, isBusinessTime } from "./business-calendar.js";

/**
 * True when `at` falls inside one of the opening windows, read in the calendar's time zone
 * (holidays closed). Without hours a site is always open; with hours but no window, never.
 */
export function isWithinBusinessHours(hours: BusinessHours | null, at: number): boolean {
  if (!hours) return true;
  if (hours.days.length === 0) return false;
  return isBusinessTime(calendarOf(hours), at);
}
