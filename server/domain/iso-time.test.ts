import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoTime, isoTimeOrNull } from "./iso-time.js";

describe("isoTime", () => {
  it("writes every whole millisecond of years 1970–9999 as Date#toISOString does", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it("gets the edges right: the epoch, leap days, century years, year ends", () => {
    const edges = ["1970-01-01T00:00:00.000Z", "2000-02-29T23:59:59.999Z", "2100-02-28T12:00:00.000Z", "2100-03-01T00:00:00.000Z", "2024-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"];
    for (const text of edges) expect(isoTime(Date.parse(text))).toBe(text);
  });

  it("leaves times it does not cover to Date", () => {
    for (const ms of [-1, -86_400_000 * 400, 253_402_300_800_000, 1.5]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    expect(isoTimeOrNull(null)).toBeNull();
  });
});
