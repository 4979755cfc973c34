import { z } from "zod";
import { IdSchema, IsoDateSchema } from "./common.js";

/** A UTC calendar day, `YYYY-MM-DD`. */
export const StatsDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a day like 2026-03-31")
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), "not a calendar day");

/** The longest range one stats request may cover, in days. */
export const MAX_STATS_DAYS = 366;

export const AgentStatsQuerySchema = z
  .object({
    /** First UTC day of the range (inclusive); default: 29 days before `to`. */
    from: StatsDaySchema.optional(),
    /** Last UTC day of the range (inclusive); default: today. */
    to: StatsDaySchema.optional(),
    /** One of the caller's sites; default: all of them. */
    site: IdSchema.optional(),
    /** Tickets of this department (by their current department). */
    department: IdSchema.optional(),
    /** Tickets of this agent (by their current assignee). */
    agent: IdSchema.optional(),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: "from must not be after to", path: ["from"] });
export type AgentStatsQuery = z.infer<typeof AgentStatsQuerySchema>;

/** Business minutes (the site's calendar; around the clock without one); quantiles to the histogram's bucket. */
export const DurationStatsSchema = z.object({
  count: z.number().int(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
});

export const SlaAttainmentSchema = z.object({
  met: z.number().int(),
  missed: z.number().int(),
  /** met / (met + missed), 0…1; null with neither. */
  attainment: z.number().nullable(),
});

export const CsatStatsSchema = z.object({
  count: z.number().int(),
  average: z.number().nullable(),
  /** How many ratings of 1, 2, 3, 4 and 5, in that order. */
  distribution: z.array(z.number().int()).length(5),
});

const TableRowFields = {
  created: z.number().int(),
  resolved: z.number().int(),
  firstResponse: DurationStatsSchema,
  resolution: DurationStatsSchema,
  sla: z.object({ firstResponse: SlaAttainmentSchema, resolution: SlaAttainmentSchema }),
  csat: CsatStatsSchema,
};

export const AgentStatsRowSchema = z.object({ agentId: IdSchema.nullable(), name: z.string().nullable(), ...TableRowFields });
export const DepartmentStatsRowSchema = z.object({ departmentId: IdSchema.nullable(), name: z.string().nullable(), ...TableRowFields });

export const BacklogBucketSchema = z.enum(["under_1d", "1d_3d", "3d_7d", "7d_30d", "30d_plus"]);

export const AgentStatsSchema = z.object({
  range: z.object({ from: StatsDaySchema, to: StatsDaySchema, days: z.number().int(), timeZone: z.literal("UTC") }),
  generatedAt: IsoDateSchema,
  /**
   * Tickets in each working status now, and `closed`: tickets closed within the range (the
   * whole history of closed tickets says little about a period).
   */
  byStatus: z.object({
    open: z.number().int(),
    in_progress: z.number().int(),
    pending_customer: z.number().int(),
    escalated: z.number().int(),
    resolved: z.number().int(),
    closed: z.number().int(),
  }),
  /** Every day of the range, oldest first. */
  perDay: z.array(z.object({ day: StatsDaySchema, created: z.number().int(), resolved: z.number().int() })),
  /** From creation to the first agent reply seen by the customer, counted on the reply's day. */
  firstResponse: DurationStatsSchema,
  /** From creation to resolution, counted on the resolution's day. */
  resolution: DurationStatsSchema,
  /** Targets reached in the range: met when reached by the due time without a breach. */
  sla: z.object({ firstResponse: SlaAttainmentSchema, resolution: SlaAttainmentSchema }),
  /** Ratings given in the range. */
  csat: CsatStatsSchema,
  /** Tickets not yet resolved, now: by age since creation, and how many have breached a target. */
  backlog: z.object({
    total: z.number().int(),
    breached: z.number().int(),
    byAge: z.array(z.object({ bucket: BacklogBucketSchema, count: z.number().int() })),
  }),
  agents: z.array(AgentStatsRowSchema),
  departments: z.array(DepartmentStatsRowSchema),
});
export type AgentStats = z.infer<typeof AgentStatsSchema>;
