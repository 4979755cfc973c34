import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import { jobLeases, jobRuns } from "../db/schema.js";

/**
 * The lease that lets one run of a job at a time, across every server on the database: a row
 * per job, taken by one conditional upsert (it only overwrites a lease that has expired), so
 * two servers that try at once cannot both succeed. The holder renews it while the run lasts
 * and expires it when the run ends; a holder that dies lets it lapse, and the next taker marks
 * that holder's unfinished run as failed.
 */
export type LeaseAnswer = { ok: true } | { ok: false; holder: string; expiresAt: number };

export async function takeLease(tx: Tx, input: { name: string; holder: string; now: number; expiresAt: number }): Promise<LeaseAnswer> {
  const taken = await tx
    .insert(jobLeases)
    .values({ name: input.name, holder: input.holder, expiresAt: input.expiresAt, takenAt: input.now })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { holder: input.holder, expiresAt: input.expiresAt, takenAt: input.now },
      setWhere: sql`${jobLeases.expiresAt} <= ${input.now}`,
    })
    .returning({ holder: jobLeases.holder });
  if (taken.length > 0) {
    // Whoever held it before us is gone (its lease lapsed or it released it): a run of theirs still "running" never finished.
    await tx
      .update(jobRuns)
      .set({ status: "failed", finishedAt: input.now, error: "the server running it stopped before it finished (its lease lapsed)" })
      .where(and(eq(jobRuns.job, input.name), eq(jobRuns.status, "running")));
    return { ok: true };
  }
  const [current] = await tx.select().from(jobLeases).where(eq(jobLeases.name, input.name));
  if (!current) throw new Error(`the lease of job ${input.name} was neither taken nor found`);
  return { ok: false, holder: current.holder, expiresAt: current.expiresAt };
}

/** Extends a lease the holder still has; false when it lapsed and someone else took it. */
export async function renewLease(tx: Tx, input: { name: string; holder: string; expiresAt: number }): Promise<boolean> {
  const rows = await tx
    .update(jobLeases)
    .set({ expiresAt: input.expiresAt })
    .where(and(eq(jobLeases.name, input.name), eq(jobLeases.holder, input.holder)))
    .returning({ name: jobLeases.name });
  return rows.length > 0;
}

/** Lets the lease go at once (if still ours), so the next run need not wait for it to lapse. */
export async function releaseLease(tx: Tx, input: { name: string; holder: string; now: number }): Promise<void> {
  await tx
    .update(jobLeases)
    .set({ expiresAt: input.now })
    .where(and(eq(jobLeases.name, input.name), eq(jobLeases.holder, input.holder)));
}
