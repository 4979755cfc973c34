import type { Faq } from "../../protocol/index.js";
import type { faqs } from "../db/schema.js";

export type FaqRow = typeof faqs.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

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
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
