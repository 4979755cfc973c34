import { sql } from "drizzle-orm";
import type { Reader, Tx } from "../db/client.js";
import { toOutboxEntry, type OutboxRow, type StoredOutboxEntry } from "../db/outbox.js";
import type { OutboxChannel } from "./channel.js";

/**
 * The dispatcher's statements. Each runs inside a `db.write` transaction, so on one database
 * file the claims of several servers are serialised by SQLite itself. Every query spells
 * `status = 'pending'` literally: the partial indexes only serve a query that does.
 */

/**
 * Leases the due entries that head their queue: an entry is taken only if every earlier
 * pending entry of its (channel, target) is also due and unleased, and then those are taken
 * too (they have smaller ids, so `ORDER BY id LIMIT` keeps them). A retry waiting for its
 * backoff, or an entry another server holds, keeps the rest of its queue waiting.
 */
export async function claimDue(tx: Tx, options: { owner: string; now: number; leaseUntil: number; channels: readonly OutboxChannel[]; limit: number }): Promise<StoredOutboxEntry[]> {
  const { owner, now, leaseUntil, channels, limit } = options;
  if (channels.length === 0 || limit <= 0) return [];
  const rows = await tx.all<OutboxRow>(sql`
    UPDATE outbox SET claimed_by = ${owner}, lease_until = ${leaseUntil}
    WHERE id IN (
      SELECT o.id FROM outbox o
      WHERE o.status = 'pending' AND o.next_attempt_at <= ${now}
        AND (o.lease_until IS NULL OR o.lease_until < ${now})
        AND o.channel IN (${sql.join(channels.map((c) => sql`${c}`), sql`, `)})
        AND NOT EXISTS (
          SELECT 1 FROM outbox e
          WHERE e.status = 'pending' AND e.channel = o.channel AND e.target = o.target AND e.id < o.id
            AND (e.next_attempt_at > ${now} OR e.lease_until >= ${now}))
      ORDER BY o.id LIMIT ${limit})
    RETURNING *`);
  return rows.map(toOutboxEntry).sort((a, b) => a.id - b.id);
}

/** Extends a lease this owner still holds; false when it lapsed and someone else may have it. */
export async function renewLease(tx: Tx, options: { id: number; owner: string; now: number; leaseUntil: number }): Promise<boolean> {
  const rows = await tx.all<{ id: number }>(sql`
    UPDATE outbox SET lease_until = ${options.leaseUntil}
    WHERE id = ${options.id} AND status = 'pending' AND claimed_by = ${options.owner} AND lease_until >= ${options.now}
    RETURNING id`);
  return rows.length === 1;
}

/** One finished attempt, for the log. */
export interface Attempt {
  entry: StoredOutboxEntry;
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  at: number;
}

export interface Settled extends Attempt {
  outcome: "delivered" | "dead";
}

/** Marks a batch delivered or dead, and logs each attempt: two statements whatever the batch size. */
export async function settle(tx: Tx, batch: readonly Settled[]): Promise<void> {
  if (batch.length === 0) return;
  const rows = JSON.stringify(batch.map((s) => ({ id: s.entry.id, attempt: s.attempt, status: s.outcome, at: s.at, error: s.error })));
  await tx.run(sql`
    UPDATE outbox SET status = s.status, attempts = s.attempt, lease_until = NULL, claimed_by = NULL,
      delivered_at = CASE WHEN s.status = 'delivered' THEN s.at END, last_error = s.error
    FROM (SELECT value ->> 'id' AS id, value ->> 'attempt' AS attempt, value ->> 'status' AS status, value ->> 'at' AS at, value ->> 'error' AS error
          FROM json_each(${rows})) AS s
    WHERE outbox.id = s.id AND outbox.status = 'pending'`);
  await logAttempts(tx, batch);
}

/**
 * A failed attempt that will be retried: the entry waits for `nextAttemptAt`, and every entry
 * of its queue this owner holds is let go, so they keep their place behind it. Returns the
 * highest id let go (entries handed over up to it are no longer this owner's to deliver).
 */
export async function retryLater(tx: Tx, failure: Attempt & { nextAttemptAt: number; owner: string }): Promise<number> {
  const { entry } = failure;
  await tx.run(sql`
    UPDATE outbox SET attempts = ${failure.attempt}, next_attempt_at = ${failure.nextAttemptAt}, last_error = ${failure.error},
      lease_until = NULL, claimed_by = NULL
    WHERE id = ${entry.id} AND status = 'pending'`);
  const released = await tx.all<{ id: number }>(sql`
    UPDATE outbox SET lease_until = NULL, claimed_by = NULL
    WHERE status = 'pending' AND channel = ${entry.channel} AND target = ${entry.target} AND claimed_by = ${failure.owner}
    RETURNING id`);
  await logAttempts(tx, [{ ...failure, outcome: "retry" }]);
  return released.reduce((max, row) => Math.max(max, Number(row.id)), entry.id);
}

/** Lets go of everything this owner holds (on stop, and on start for a stable owner that crashed). */
export async function releaseOwned(tx: Tx, owner: string): Promise<number> {
  const rows = await tx.all<{ id: number }>(sql`
    UPDATE outbox SET lease_until = NULL, claimed_by = NULL WHERE status = 'pending' AND claimed_by = ${owner} RETURNING id`);
  return rows.length;
}

/** The earliest time a pending entry becomes due (null: none), so the loop can sleep until then. */
export async function nextDueAt(reader: Reader, channels: readonly OutboxChannel[]): Promise<number | null> {
  if (channels.length === 0) return null;
  const row = await reader.get<{ at: number | null }>(sql`
    SELECT min(next_attempt_at) AS at FROM outbox WHERE status = 'pending' AND channel IN (${sql.join(channels.map((c) => sql`${c}`), sql`, `)})`);
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

async function logAttempts(tx: Tx, attempts: readonly (Attempt & { outcome: "delivered" | "retry" | "dead" })[]): Promise<void> {
  const tuples = attempts.map(
    (a) => sql`(${a.entry.id}, ${a.entry.channel}, ${a.entry.target}, ${a.attempt}, ${a.outcome}, ${a.statusCode}, ${Math.round(a.latencyMs)}, ${a.error}, ${a.at})`,
  );
  await tx.run(sql`
    INSERT INTO deliveries (outbox_id, channel, target, attempt, outcome, status_code, latency_ms, error, at)
    VALUES ${sql.join(tuples, sql`, `)}`);
}
