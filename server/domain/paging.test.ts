import { describe, expect, it } from "vitest";
import { isAfterNewestFirst, pageOfRows } from "./paging.js";

describe("paging", () => {
  it("has a next page only when the extra row was read", () => {
    expect(pageOfRows([1, 2, 3], 2)).toEqual({ page: [1, 2], last: 2, more: true });
    expect(pageOfRows([1, 2], 2)).toEqual({ page: [1, 2], last: 2, more: false });
    expect(pageOfRows([], 5)).toEqual({ page: [], last: undefined, more: false });
    expect(() => pageOfRows([1], 0)).toThrow(RangeError);
  });

  it("walks newest first with ties broken by id, never repeating or skipping a row", () => {
    const rows = [
      { createdAt: 3, id: "b" },
      { createdAt: 3, id: "a" },
      { createdAt: 2, id: "c" },
      { createdAt: 1, id: "a" },
    ];
    const seen: string[] = [];
    let cursor: { createdAt: number; id: string } | undefined;
    for (;;) {
      const remaining = rows.filter((row) => !cursor || isAfterNewestFirst(row, cursor));
      const { page, last, more } = pageOfRows(remaining, 1);
      seen.push(...page.map((row) => `${row.createdAt}${row.id}`));
      if (!more) break;
      cursor = last;
    }
    expect(seen).toEqual(["3b", "3a", "2c", "1a"]);
  });
});
