import { describe, expect, it } from "vitest";
import { MARK_END as E, MARK_START as S, markedRanges, starred, toFtsQuery } from "./fts-query.js";

describe("toFtsQuery", () => {
  it("quotes every word and makes only the last one a prefix", () => {
    expect(toFtsQuery("reset AND (pass")).toBe('"reset" "AND" "pass"*');
    expect(toFtsQuery('sync" OR *')).toBe('"sync" "OR"*');
    expect(toFtsQuery("  ")).toBeNull();
  });
});

describe("markedRanges", () => {
  it("answers the plain text and where each match sits", () => {
    const { text, matches } = markedRanges(`the ${S}sync${E} ${S}stopped${E} at ${S}error${E} 42`);
    expect(text).toBe("the sync stopped at error 42");
    expect(matches).toEqual([[4, 16], [20, 25]]);
    expect(matches.map(([a, b]) => text.slice(a, b))).toEqual(["sync stopped", "error"]);
  });

  it("treats markup in the text as text", () => {
    const { text, matches } = markedRanges(`<img onerror=x> ${S}sync${E}`);
    expect(text).toBe("<img onerror=x> sync");
    expect(matches).toEqual([[16, 20]]);
  });

  it("stars matches for the ** form", () => {
    expect(starred(`a ${S}b${E} ${S}c${E} d`)).toBe("a **b c** d");
  });
});
