import { z } from "zod";
import { IsoDateSchema } from "./common.js";

/** A scheduled job's name: lowercase words joined by dashes (`auto-close`). */
export const JobNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "a job name like auto-close");
export const JobNameParamsSchema = z.object({ name: JobNameSchema });

export const JobRunSchema = z.object({
  id: z.number().int(),
  /** What started it: the schedule, the CLI or an admin. */
  trigger: z.enum(["schedule", "cli", "admin"]),
  status: z.enum(["running", "succeeded", "failed"]),
  /** Which server ran it. */
  holder: z.string(),
  startedAt: IsoDateSchema,
  finishedAt: IsoDateSchema.nullable(),
  /** Items the run changed, items already done (by an earlier or a concurrent run), items that failed. */
  itemsDone: z.number().int(),
  itemsSkipped: z.number().int(),
  itemsFailed: z.number().int(),
  error: z.string().nullable(),
});
export type JobRun = z.infer<typeof JobRunSchema>;

export const JobSummarySchema = z.object({
  name: JobNameSchema,
  description: z.string(),
  /** A cron expression, in `timezone`. */
  schedule: z.string(),
  timezone: z.string(),
  /** When the schedule next fires (whichever server then holds the lease runs it). */
  nextRunAt: IsoDateSchema.nullable(),
  /** Who holds the job's lease right now, if anyone, and until when. */
  lease: z.object({ holder: z.string(), expiresAt: IsoDateSchema }).nullable(),
  /** The newest runs first. */
  lastRuns: z.array(JobRunSchema),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JobListSchema = z.object({ items: z.array(JobSummarySchema) });
