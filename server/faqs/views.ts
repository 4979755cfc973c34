import type { Faq } from "../../protocol/index.js";
import type { faqs } from "../db/schema.js";
import { isoTime } from "../domain/iso-time.js";

export type FaqRow = typeof faqs.$inferSelect;

/** An article as the API shows it; the category travels as its slug, never its id. */
export function toFaq(row: FaqRow, category: string | null): Faq {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    body: row.body,
    category,
    published: row.published,
    helpfulCount: row.helpfulCount,
    notHelpfulCount: row.notHelpfulCount,
    viewCount: row.viewCount,
    createdAt: isoTime(row.createdAt),
    updatedAt: isoTime(row.updatedAt),
  };
}
