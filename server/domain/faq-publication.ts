import type { FaqStatus } from "../../protocol/index.js";
import { invalidField } from "./errors.js";

/** An article's publication as stored: the flag visitors are filtered by, and when it was set. */
export interface Publication {
  published: boolean;
  publishedAt: number | null;
}

/**
 * The publication after an edit that may name it as `published` (a flag) or `status` (a word),
 * or undefined when the edit leaves it alone. Publishing a draft stamps `at`; republishing keeps
 * the first stamp (a typo fix is not news); a draft has no publication time.
 */
export function publicationAfter(sent: { published?: boolean | undefined; status?: FaqStatus | undefined }, current: Publication | null, at: number): Publication | undefined {
  const fromStatus = sent.status === undefined ? undefined : sent.status === "published";
  if (sent.published !== undefined && fromStatus !== undefined && sent.published !== fromStatus) {
    throw invalidField("status", "published and status disagree", `status "${sent.status}" with published ${sent.published}`);
  }
  const published = sent.published ?? fromStatus;
  if (published === undefined) return undefined;
  if (!published) return { published, publishedAt: null };
  return { published, publishedAt: current?.published ? current.publishedAt ?? at : at };
}

/** Tags as stored: lowercase, trimmed, each once, in first-seen order. */
export function normalTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag.length > 0))];
}
