/** The ai-usage job's rule: a day is an anomaly when it spends over three times the mean of the seven days before it. */

export const ANOMALY_FACTOR = 3;
export const TRAILING_DAYS = 7;

export interface DayUsage {
  /** YYYY-MM-DD (UTC). */
  day: string;
  tokens: number;
  interactions: number;
}

export interface DayVerdict extends DayUsage {
  /** Mean tokens a day over the seven days before (a day without use counts 0). */
  trailingMean: number;
  anomaly: boolean;
}

/**
 * Judges each day of a run of consecutive days (oldest first, none missing). The first seven
 * days only serve as the baseline of the ones after; a baseline of nothing (a site's first
 * use) flags nothing, as there is no normal to exceed.
 */
export function judgeUsage(days: readonly DayUsage[]): DayVerdict[] {
  return days.slice(TRAILING_DAYS).map((usage, index) => {
    const before = days.slice(index, index + TRAILING_DAYS);
    const trailingMean = before.reduce((sum, day) => sum + day.tokens, 0) / TRAILING_DAYS;
    return { ...usage, trailingMean, anomaly: trailingMean > 0 && usage.tokens > ANOMALY_FACTOR * trailingMean };
  });
}
