import { describe, expect, it } from "vitest";
import { nearStem, withinOneEdit, withoutEnding } from "./edit-distance.js";

describe("withinOneEdit", () => {
  it.each([
    ["password", "password"],
    ["pasword", "password"],
    ["passwrod", "password"],
    ["passwird", "password"],
    ["ppassword", "password"],
    ["invoce", "invoice"],
    ["refnud", "refund"],
  ])("%s is one edit from %s", (a, b) => {
    expect(withinOneEdit(a, b)).toBe(true);
    expect(withinOneEdit(b, a)).toBe(true);
  });

  it.each([
    ["pswrd", "password"],
    ["passwrdo", "password"],
    ["refund", "refuse"],
    ["abc", "cba"],
    ["sync", "synchronise"],
  ])("%s is more than one edit from %s", (a, b) => {
    expect(withinOneEdit(a, b)).toBe(false);
  });
});

describe("nearStem", () => {
  it("compares a typed word with the index's stems, also without its ending", () => {
    expect(withoutEnding("invoce")).toBe("invoc");
    expect(withoutEnding("syncing")).toBe("sync");
    expect(withoutEnding("use")).toBe("use");
    expect(nearStem("invoce", "invoic")).toBe(true);
    expect(nearStem("pasword", "password")).toBe(true);
    expect(nearStem("invoce", "voic")).toBe(false);
  });
});
