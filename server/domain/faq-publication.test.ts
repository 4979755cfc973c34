import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.js";
import { normalTags, publicationAfter } from "./faq-publication.js";

describe("publicationAfter", () => {
  const draft = { published: false, publishedAt: null };
  const live = { published: true, publishedAt: 1_000 };

  it("leaves the publication alone when the edit names neither field", () => {
    expect(publicationAfter({}, live, 5_000)).toBeUndefined();
  });

  it("stamps a draft when it is published, by flag or by status", () => {
    expect(publicationAfter({ published: true }, draft, 5_000)).toEqual({ published: true, publishedAt: 5_000 });
    expect(publicationAfter({ status: "published" }, draft, 6_000)).toEqual({ published: true, publishedAt: 6_000 });
    expect(publicationAfter({ status: "published" }, null, 7_000)).toEqual({ published: true, publishedAt: 7_000 });
  });

  it("keeps the first stamp when a published article is published again", () => {
    expect(publicationAfter({ status: "published" }, live, 9_000)).toEqual({ published: true, publishedAt: 1_000 });
  });

  it("clears the stamp of an article taken back to draft", () => {
    expect(publicationAfter({ status: "draft" }, live, 9_000)).toEqual({ published: false, publishedAt: null });
    expect(publicationAfter({ published: false, status: "draft" }, live, 9_000)).toEqual({ published: false, publishedAt: null });
  });

  it("refuses a flag and a status that disagree", () => {
    expect(() => publicationAfter({ published: true, status: "draft" }, live, 9_000)).toThrow(DomainError);
  });
});

describe("normalTags", () => {
  it("lowercases, trims and drops repeats in first-seen order", () => {
    expect(normalTags(["Sync", " errors ", "sync", "", "Windows"])).toEqual(["sync", "errors", "windows"]);
  });
});
