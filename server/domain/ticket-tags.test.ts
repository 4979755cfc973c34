import { describe, expect, it } from "vitest";
import { MAX_TAGS, editTags } from "./ticket-tags.js";

describe("bulk tag edits", () => {
  it("adds without repeats, case-insensitively, keeping the ticket's own order first", () => {
    expect(editTags(["vip", "refund"], "add", ["Refund", "Late", "late"])).toEqual({ ok: true, tags: ["vip", "refund", "late"] });
  });
  it("removes case-insensitively and ignores tags the ticket does not have", () => {
    expect(editTags(["vip", "refund"], "remove", ["VIP", "absent"])).toEqual({ ok: true, tags: ["refund"] });
  });
  it("sets exactly the named tags, lowercased", () => {
    expect(editTags(["vip"], "set", ["Billing", "billing"])).toEqual({ ok: true, tags: ["billing"] });
    expect(editTags(["vip"], "set", [])).toEqual({ ok: true, tags: [] });
  });
  it("refuses an edit that would leave more tags than a ticket carries", () => {
    const full = Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`);
    expect(editTags(full, "add", ["t0"])).toEqual({ ok: true, tags: full });
    expect(editTags(full, "add", ["one-more"])).toMatchObject({ ok: false });
  });
});
