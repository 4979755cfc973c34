import { ParleyNetworkError } from "../../sdk/errors.js";
import type { Translate } from "./i18n/index.js";

export const formatTime = (locale: string, iso: string | number) =>
  new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));

export const formatDate = (locale: string, iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

/** 1234567 → "1.2 MB", in the visitor's language. */
export function formatSize(locale: string, bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, { style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: 1 }).format(value);
}

/** What to tell the visitor about a failure: the network, or anything else. */
export const describeError = (t: Translate, error: unknown) => t(error instanceof ParleyNetworkError ? "errorNetwork" : "errorGeneric");
