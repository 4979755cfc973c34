import { z } from "zod";
import { CursorQuerySchema, IdSchema, IsoDateSchema, SlugSchema } from "./common.js";

export const FaqSummarySchema = z.object({
  slug: SlugSchema,
  title: z.string(),
  category: SlugSchema.nullable(),
  /** Highlighted excerpt when searching, else the start of the body. */
  excerpt: z.string(),
});
export type FaqSummary = z.infer<typeof FaqSummarySchema>;

export const FaqSchema = z.object({
  id: IdSchema,
  slug: SlugSchema,
  title: z.string(),
  body: z.string().describe("markdown"),
  category: SlugSchema.nullable(),
  published: z.boolean(),
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
};

export const CreateFaqBodySchema = z.object({
  siteId: IdSchema,
  ...faqFields,
  category: faqFields.category.optional(),
  published: faqFields.published.default(true),
});
export type CreateFaqBody = z.input<typeof CreateFaqBodySchema>;
/** Built from the bare fields so that a PATCH never republishes a draft by default. */
export const UpdateFaqBodySchema = z.object(faqFields).partial();
export type UpdateFaqBody = z.infer<typeof UpdateFaqBodySchema>;
