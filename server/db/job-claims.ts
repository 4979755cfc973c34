import { and, eq, lt } from "drizzle-orm";
import type { Tx } from "./client.js";
import { jobClaims } from "./schema.js";

/**
 * A job's claim on one item, taken inside the write that changes the item (see jobClaims in
 * schema.ts). Whoever commits first holds it; a second run, here or on another server, gets
 * false and must change nothing.
 */
export async function claimOnce(tx: Tx, job: string, item: string, at: number): Promise<boolean> {
  const rows = await tx.insert(jobClaims).values({ job, item, claimedAt: at }).onConflictDoNothing().returning({ item: jobClaims.item });
  return rows.length > 0;
}

/**
 * Claims the item unless it was claimed at or after `changedAt` (the item changed since the
 * last claim: claim it again). One statement, so two runs cannot both see it unclaimed.
 */
export async function claimSince(tx: Tx, job: string, item: string, at: number, changedAt: number): Promise<boolean> {
  const rows = await tx
    .insert(jobClaims)
    .values({ job, item, claimedAt: at })
    .onConflictDoUpdate({ target: [jobClaims.job, jobClaims.item], set: { claimedAt: at }, setWhere: lt(jobClaims.claimedAt, changedAt) })
    .returning({ item: jobClaims.item });
  return rows.length > 0;
}

/** When the job last claimed the item, or null. */
export async function claimedAt(tx: Tx, job: string, item: string): Promise<number | null> {
  const [row] = await tx.select({ at: jobClaims.claimedAt }).from(jobClaims).where(and(eq(jobClaims.job, job), eq(jobClaims.item, item)));
  return row?.at ?? null;
}
