import { z } from "zod";
import { CursorQuerySchema, IdSchema, IsoDateSchema, SlugSchema } from "./common.js";

export const FaqStatusSchema = z.enum(["draft", "published"]);
export type FaqStatus = z.infer<typeof FaqStatusSchema>;

/** An article tag: lowercase letters, digits and dashes. */
export const FaqTagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}-]*$/u, "letters, digits and dashes");

/** Where the matched words sit in an excerpt: `[start, end)` offsets in UTF-16 code units. */
export const TextRangeSchema = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);
export type TextRange = z.infer<typeof TextRangeSchema>;

export const FaqSummarySchema = z.object({
  slug: SlugSchema,
  title: z.string(),
  category: SlugSchema.nullable(),
  /** Highlighted excerpt when searching, else the start of the body. */
  excerpt: z.string(),
  tags: z.array(z.string()).optional(),
  /**
   * When searching: the excerpt as plain text (no marks) and the ranges of it that matched, for
   * clients that highlight by offsets instead of parsing `**`.
   */
  snippet: z.object({ text: z.string(), matches: z.array(TextRangeSchema) }).optional(),
  /** When searching: the query the results are for, if a misspelt word was corrected to find them. */
  correctedQuery: z.string().optional(),
});
export type FaqSummary = z.infer<typeof FaqSummarySchema>;

export const FaqSchema = z.object({
  id: IdSchema,
  slug: SlugSchema,
  title: z.string(),
  body: z.string().describe("markdown"),
  category: SlugSchema.nullable(),
  published: z.boolean(),
  status: FaqStatusSchema,
  publishedAt: IsoDateSchema.nullable(),
  tags: z.array(z.string()),
  position: z.number().int(),
  /** "See also" articles; a visitor sees only the published ones. */
  related: z.array(z.object({ slug: SlugSchema, title: z.string() })),
  helpfulCount: z.number().int(),
  notHelpfulCount: z.number().int(),
  viewCount: z.number().int(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type Faq = z.infer<typeof FaqSchema>;

export const FaqListQuerySchema = CursorQuerySchema.extend({
  q: z.string().trim().min(1).max(200).optional(),
  category: SlugSchema.optional(),
  tag: FaqTagSchema.optional(),
});
export type FaqListQuery = z.infer<typeof FaqListQuerySchema>;

export const FaqVoteBodySchema = z.object({ helpful: z.boolean() });
export type FaqVoteBody = z.infer<typeof FaqVoteBodySchema>;
export const FaqVoteResultSchema = z.object({ helpfulCount: z.number().int(), notHelpfulCount: z.number().int() });

const faqFields = {
  slug: SlugSchema,
  title: z.string().trim().min(3).max(200),
  body: z.string().trim().min(1).max(50_000),
  category: SlugSchema.nullable(),
  published: z.boolean(),
  /** The same as `published`, named: send one or the other. */
  status: FaqStatusSchema,
  tags: z.array(FaqTagSchema).max(20),
  position: z.number().int().min(0).max(100_000),
  /** Slugs of articles of the same site, in the order to show them. */
  related: z.array(SlugSchema).max(20),
};

export const CreateFaqBodySchema = z.object({
  siteId: IdSchema,
  ...faqFields,
  category: faqFields.category.optional(),
  published: faqFields.published.optional(),
  status: faqFields.status.optional(),
  tags: faqFields.tags.default([]),
  position: faqFields.position.default(0),
  related: faqFields.related.default([]),
});
export type CreateFaqBody = z.input<typeof CreateFaqBodySchema>;
/** Built from the bare fields so that a PATCH never republishes a draft by default. */
export const UpdateFaqBodySchema = z.object(faqFields).partial();
export type UpdateFaqBody = z.infer<typeof UpdateFaqBodySchema>;

export const HelpEventKindSchema = z.enum(["searched", "opened", "voted"]);
export type HelpEventKind = z.infer<typeof HelpEventKindSchema>;

/** What the widget reports as the visitor uses the help centre (votes are recorded by the vote itself). */
export const HelpEventBodySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("searched") }),
  z.object({ kind: z.literal("opened"), slug: SlugSchema }),
]);
export type HelpEventBody = z.infer<typeof HelpEventBodySchema>;
