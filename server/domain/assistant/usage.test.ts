import { describe, expect, it } from "vitest";
import { judgeUsage, type DayUsage } from "./usage.js";

const days = (tokens: number[]): DayUsage[] => tokens.map((value, index) => ({ day: `2026-11-${String(index + 1).padStart(2, "0")}`, tokens: value, interactions: value > 0 ? 1 : 0 }));

describe("judgeUsage", () => {
  it("flags a day over three times the trailing seven-day mean, and only that day", () => {
    const verdicts = judgeUsage(days([100, 100, 100, 100, 100, 100, 100, 301, 300, 100]));
    expect(verdicts.map((v) => [v.day, v.trailingMean, v.anomaly])).toEqual([
      ["2026-11-08", 100, true],
      ["2026-11-09", (600 + 301) / 7, false],
      ["2026-11-10", (500 + 301 + 300) / 7, false],
    ]);
  });

  it("counts quiet days as zero and flags nothing without a baseline", () => {
    expect(judgeUsage(days([0, 0, 0, 0, 0, 0, 0, 5000]))[0]).toMatchObject({ trailingMean: 0, anomaly: false });
    expect(judgeUsage(days([70, 0, 0, 0, 0, 0, 0, 31]))[0]).toMatchObject({ trailingMean: 10, anomaly: true });
    expect(judgeUsage(days([70, 0, 0, 0, 0, 0, 0, 30]))[0]!.anomaly).toBe(false);
  });
});
