import { z } from "zod";
import { IdSchema, SlugSchema } from "./common.js";
import { StatsDaySchema } from "./stats.js";

export const DeflectionQuerySchema = z.object({
  siteId: IdSchema,
  /** First UTC day (inclusive); default: 29 days before `to`. */
  from: StatsDaySchema.optional(),
  /** Last UTC day (inclusive); default: today. */
  to: StatsDaySchema.optional(),
});
export type DeflectionQuery = z.infer<typeof DeflectionQuerySchema>;

/**
 * Help-centre use and what followed. A session is a visitor's use of the help centre; it is
 * deflected when that visitor opened no ticket from its first help event until a day after its last.
 */
const DeflectionCountsSchema = z.object({
  sessions: z.number().int(),
  deflected: z.number().int(),
  withTicket: z.number().int(),
});

export const DeflectionReportSchema = z.object({
  range: z.object({ from: StatsDaySchema, to: StatsDaySchema }),
  site: DeflectionCountsSchema.extend({ searches: z.number().int(), views: z.number().int(), votes: z.number().int() }),
  /** Articles opened or voted on in the range, most viewed first. */
  articles: z.array(DeflectionCountsSchema.extend({ slug: SlugSchema, title: z.string(), views: z.number().int(), votes: z.number().int() })),
});
export type DeflectionReport = z.infer<typeof DeflectionReportSchema>;
