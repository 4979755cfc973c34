import type { Faq } from "../../protocol/index.js";
import type { faqs } from "../db/schema.js";
import { isoTime } from "../domain/iso-time.js";
import type { RelatedArticle } from "./related.js";

export type FaqRow = typeof faqs.$inferSelect;

/** An article as the API shows it; the category travels as its slug, never its id. */
export function toFaq(row: FaqRow, category: string | null, related: RelatedArticle[]): Faq {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    body: row.body,
    category,
    published: row.published,
    status: row.published ? "published" : "draft",
    publishedAt: row.publishedAt === null ? null : isoTime(row.publishedAt),
    tags: row.tags,
    position: row.position,
    related,
    helpfulCount: row.helpfulCount,
    notHelpfulCount: row.notHelpfulCount,
    viewCount: row.viewCount,
    createdAt: isoTime(row.createdAt),
    updatedAt: isoTime(row.updatedAt),
  };
}
