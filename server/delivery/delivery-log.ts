import { sql } from "drizzle-orm";
import type { Database, Reader } from "../db/client.js";
import { outboxEntry, toOutboxRecord, type OutboxRecord, type OutboxRow } from "../db/outbox.js";
import type { OutboxChannel } from "./channel.js";

/**
 * Read access to the delivery log for the admin routes, and replay. A replay resets the SAME
 * entry (same id, same stored payload bytes), so a channel that names deliveries by the
 * entry id (webhooks: `webhook-id: msg_<id>`) sends the id the receiver already knows.
 */
export { outboxEntry, type OutboxRecord };

export interface DeliveryRecord {
  id: number;
  outboxId: number;
  channel: OutboxChannel;
  target: string;
  attempt: number;
  outcome: "delivered" | "retry" | "dead";
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** What the channel said of a success (an email not sent, and why). */
  note: string | null;
  at: number;
}

interface DeliveryRow {
  id: number;
  outbox_id: number;
  channel: OutboxChannel;
  target: string;
  attempt: number;
  outcome: DeliveryRecord["outcome"];
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  note: string | null;
  at: number;
}

const toDelivery = (row: DeliveryRow): DeliveryRecord => ({
  id: Number(row.id),
  outboxId: Number(row.outbox_id),
  channel: row.channel,
  target: row.target,
  attempt: Number(row.attempt),
  outcome: row.outcome,
  statusCode: row.status_code === null ? null : Number(row.status_code),
  latencyMs: Number(row.latency_ms),
  error: row.error,
  note: row.note,
  at: Number(row.at),
});

/** One logged attempt, or null. */
export async function deliveryById(reader: Reader, id: number): Promise<DeliveryRecord | null> {
  const [row] = await reader.all<DeliveryRow>(sql`SELECT * FROM deliveries WHERE id = ${id}`);
  return row ? toDelivery(row) : null;
}

/** The entries with these ids (those still stored), in one read: what a page of the log refers to. */
export async function entriesById(reader: Reader, ids: readonly number[]): Promise<Map<number, OutboxRecord>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await reader.all<OutboxRow>(sql`SELECT * FROM outbox WHERE id IN (${sql.join(unique.map((id) => sql`${id}`), sql`, `)})`);
  return new Map(rows.map((row) => [Number(row.id), toOutboxRecord(row)]));
}

/** Every attempt at one entry, oldest first. */
export async function deliveriesOfEntry(reader: Reader, outboxId: number): Promise<DeliveryRecord[]> {
  const rows = await reader.all<DeliveryRow>(sql`SELECT * FROM deliveries WHERE outbox_id = ${outboxId} ORDER BY id`);
  return rows.map(toDelivery);
}

/** The latest attempt at each of these entries (those attempted at all), in one read. */
export async function latestDeliveries(reader: Reader, outboxIds: readonly number[]): Promise<Map<number, DeliveryRecord>> {
  const unique = [...new Set(outboxIds)];
  if (unique.length === 0) return new Map();
  const rows = await reader.all<DeliveryRow>(sql`
    SELECT * FROM deliveries WHERE id IN (
      SELECT max(id) FROM deliveries WHERE outbox_id IN (${sql.join(unique.map((id) => sql`${id}`), sql`, `)}) GROUP BY outbox_id)`);
  return new Map(rows.map((row) => [Number(row.outbox_id), toDelivery(row)]));
}

/**
 * Attempts for one target (a webhook endpoint id, a room, an address), newest first.
 * `before` is the `nextCursor` of the previous page.
 */
export async function deliveriesOfTarget(
  reader: Reader,
  query: { channel: OutboxChannel; target: string; before?: number; limit?: number },
): Promise<{ items: DeliveryRecord[]; nextCursor: number | null }> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const rows = await reader.all<DeliveryRow>(sql`
    SELECT * FROM deliveries WHERE channel = ${query.channel} AND target = ${query.target}
      ${query.before === undefined ? sql`` : sql`AND id < ${query.before}`}
    ORDER BY id DESC LIMIT ${limit + 1}`);
  const items = rows.slice(0, limit).map(toDelivery);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** Entries of one target, newest first (the events an endpoint was sent). */
export async function entriesOfTarget(reader: Reader, query: { channel: OutboxChannel; target: string; limit?: number }): Promise<OutboxRecord[]> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const rows = await reader.all<OutboxRow>(sql`SELECT * FROM outbox WHERE channel = ${query.channel} AND target = ${query.target} ORDER BY id DESC LIMIT ${limit}`);
  return rows.map(toOutboxRecord);
}

export type RedeliverResult = { status: "queued"; entry: OutboxRecord } | { status: "pending"; entry: OutboxRecord } | { status: "unknown" };

/**
 * Puts a delivered or dead entry back in line, as it was stored: same id, same payload, a
 * fresh count of attempts (the log keeps the earlier ones). An entry still pending is left
 * as it is. Call `dispatcher.wake()` afterwards to send it without waiting for the poll.
 */
export async function redeliver(db: Database, id: number, now: number = Date.now()): Promise<RedeliverResult> {
  return db.write(async (tx) => {
    const rows = await tx.all<OutboxRow>(sql`
      UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ${now}, lease_until = NULL, claimed_by = NULL,
        delivered_at = NULL, last_error = NULL
      WHERE id = ${id} AND status <> 'pending' RETURNING *`);
    if (rows[0]) return { status: "queued", entry: toOutboxRecord(rows[0]) };
    const current = await outboxEntry(tx, id);
    return current ? { status: "pending", entry: current } : { status: "unknown" };
  });
}

/** Drops delivered entries (and their log) settled before `before`; dead ones stay for inspection. */
export async function pruneDelivered(db: Database, before: number): Promise<number> {
  return db.write(async (tx) => {
    await tx.run(sql`DELETE FROM deliveries WHERE outbox_id IN (SELECT id FROM outbox WHERE status = 'delivered' AND delivered_at < ${before})`);
    const rows = await tx.all<{ id: number }>(sql`DELETE FROM outbox WHERE status = 'delivered' AND delivered_at < ${before} RETURNING id`);
    return rows.length;
  });
}
