import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { JobRun as JobRunView } from "../../protocol/index.js";
import type { Reader, Tx } from "../db/client.js";
import { jobRuns, type JobRunStatus } from "../db/schema.js";

/** What a run did, recorded on its job_runs row for admins. */
export type JobTrigger = "schedule" | "cli" | "admin";
export type JobRunRow = typeof jobRuns.$inferSelect;

/** Runs kept per job; older ones are pruned when a run ends. */
export const KEPT_RUNS = 50;

export async function startRun(tx: Tx, input: { job: string; holder: string; trigger: JobTrigger; startedAt: number }): Promise<number> {
  const [row] = await tx.insert(jobRuns).values({ ...input, status: "running" }).returning({ id: jobRuns.id });
  return row!.id;
}

export async function finishRun(
  tx: Tx,
  id: number,
  outcome: { status: Exclude<JobRunStatus, "running">; finishedAt: number; itemsDone: number; itemsSkipped: number; itemsFailed: number; error: string | null },
): Promise<JobRunRow> {
  const [row] = await tx.update(jobRuns).set(outcome).where(eq(jobRuns.id, id)).returning();
  if (!row) throw new Error(`job run ${id} vanished before it finished`);
  const [oldest] = await tx
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .where(eq(jobRuns.job, row.job))
    .orderBy(desc(jobRuns.id))
    .limit(1)
    .offset(KEPT_RUNS);
  if (oldest) await tx.delete(jobRuns).where(and(eq(jobRuns.job, row.job), lte(jobRuns.id, oldest.id)));
  return row;
}

/** The newest `limit` runs of a job (job_runs_job_idx). */
export function lastRuns(reader: Reader, job: string, limit: number): Promise<JobRunRow[]> {
  return reader.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(desc(jobRuns.id)).limit(limit);
}

const iso = (ms: number) => new Date(ms).toISOString();

export const toJobRun = (row: JobRunRow): JobRunView => ({
  id: row.id,
  trigger: row.trigger,
  status: row.status,
  holder: row.holder,
  startedAt: iso(row.startedAt),
  finishedAt: row.finishedAt === null ? null : iso(row.finishedAt),
  itemsDone: row.itemsDone,
  itemsSkipped: row.itemsSkipped,
  itemsFailed: row.itemsFailed,
  error: row.error,
});

/** How many runs of each job are recorded (tests and the CLI read it). */
export async function runCounts(reader: Reader): Promise<Map<string, number>> {
  const rows = await reader.select({ job: jobRuns.job, count: sql<number>`count(*)` }).from(jobRuns).groupBy(jobRuns.job);
  return new Map(rows.map((row) => [row.job, Number(row.count)]));
}
