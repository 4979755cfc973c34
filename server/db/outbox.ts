import type { InValue } from "@libsql/client";
import { sql } from "drizzle-orm";
import type { NewOutboxEntry, OutboxChannel, OutboxEntry } from "../delivery/channel.js";
import { executorOf, type Reader, type Tx } from "./client.js";
import { rowsOf } from "./statement.js";
import type { OutboxStatus } from "./schema.js";

/**
 * What a dispatcher offers a command so the live entries it writes go out from memory right
 * after the commit, with no claim transaction on the write path: those entries are written
 * already leased to the dispatcher. `Dispatcher.handOver` is one.
 */
export interface HandOver {
  owner: string;
  leaseMs: number;
  /** The channels delivered from memory (the rooms, by default). */
  channels: readonly OutboxChannel[];
  now: () => number;
}

/** An entry as `writeOutbox` stored it: what the dispatcher's `wake()` takes. */
export interface StoredOutboxEntry extends OutboxEntry {
  /** Set when the entry was written leased to a dispatcher (see `HandOver`). */
  leaseUntil: number | null;
  claimedBy: string | null;
  /**
   * The newest pending entry of the same queue when this one was written (null: none). The
   * dispatcher delivers a handed-over entry only once it has seen that one, so a late
   * `wake()` can never overtake.
   */
  after: number | null;
}

export interface WriteOutboxOptions {
  /** Epoch ms; the hand-over's clock (or Date.now) when unset. */
  now?: number;
  handOver?: HandOver | null;
}

/**
 * Writes a command's outbox entries inside its transaction: one multi-row INSERT, plus, when a
 * hand-over is offered, one SELECT over the pending heads of the queues concerned. An entry is
 * leased to the hand-over's dispatcher only if every earlier pending entry of its queue is
 * leased to that same dispatcher (so another server's entries, or a retry waiting for its
 * backoff, keep their place in line).
 *
 * @example
 * const stored = await db.write((tx) => writeOutbox(tx, entries, { handOver: dispatcher.handOver }));
 * dispatcher.wake(stored);
 */
export async function writeOutbox(tx: Tx, entries: readonly NewOutboxEntry[], options: WriteOutboxOptions = {}): Promise<StoredOutboxEntry[]> {
  if (entries.length === 0) return [];
  const handOver = options.handOver ?? null;
  const at = options.now ?? handOver?.now() ?? Date.now();
  const claims = handOver ? await claimableQueues(tx, entries, handOver, at) : new Map<string, QueueHead>();

  const leaseUntil = handOver ? at + handOver.leaseMs : null;
  const planned = entries.map((entry) => {
    const head = claims.get(queueKey(entry.channel, entry.target));
    return { entry, claimed: head !== undefined && head.claimable, head };
  });
  // Plain SQL text on the write's own connection: it is on every live message's path, where
  // drizzle's query building would cost more than SQLite's insert (see statement.ts), and the
  // same text for the same number of entries reuses its prepared statement.
  const args: InValue[] = [];
  for (const { entry, claimed } of planned) {
    args.push(entry.channel, entry.target, entry.eventType, JSON.stringify(entry.payload ?? null), entry.ticketId, entry.notBefore ?? at, claimed ? leaseUntil : null, claimed ? handOver!.owner : null, at);
  }
  const inserted = await rowsOf(
    executorOf(tx),
    `INSERT INTO outbox (channel, target, event_type, payload, ticket_id, next_attempt_at, lease_until, claimed_by, created_at) VALUES ${planned.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")} RETURNING id`,
    args,
  );
  // Rows take ids in the order of the VALUES list; RETURNING's own order is unspecified.
  const ids = inserted.map((row) => Number(row[0])).sort((a, b) => a - b);
  return planned.map(({ entry, claimed, head }, index) => {
    const id = ids[index]!;
    let after: number | null = null;
    if (claimed && head) {
      after = head.last;
      head.last = id; // the next entry of this queue in the same write comes after this one
    }
    return {
      channel: entry.channel,
      target: entry.target,
      eventType: entry.eventType,
      payload: entry.payload ?? null,
      ticketId: entry.ticketId,
      notBefore: entry.notBefore ?? at,
      id,
      attempts: 0,
      createdAt: at,
      leaseUntil: claimed ? leaseUntil : null,
      claimedBy: claimed ? handOver!.owner : null,
      after,
    };
  });
}

export const queueKey = (channel: string, target: string) => `${channel}\u0000${target}`;

interface QueueHead {
  claimable: boolean;
  last: number | null;
}

/** For each queue the hand-over could take: may it, and which pending entry is its newest. */
async function claimableQueues(tx: Tx, entries: readonly NewOutboxEntry[], handOver: HandOver, at: number): Promise<Map<string, QueueHead>> {
  const byChannel = new Map<OutboxChannel, Set<string>>();
  for (const entry of entries) {
    // A delayed entry is not live: it waits for its time like any other.
    if (!handOver.channels.includes(entry.channel) || (entry.notBefore !== undefined && entry.notBefore > at)) continue;
    const targets = byChannel.get(entry.channel) ?? new Set<string>();
    targets.add(entry.target);
    byChannel.set(entry.channel, targets);
  }
  const heads = new Map<string, QueueHead>();
  if (byChannel.size === 0) return heads;
  for (const [channel, targets] of byChannel) for (const target of targets) heads.set(queueKey(channel, target), { claimable: true, last: null });

  const args: InValue[] = [handOver.owner, at];
  const filters: string[] = [];
  for (const [channel, targets] of byChannel) {
    args.push(channel, ...targets);
    filters.push(`(channel = ? AND target IN (${[...targets].map(() => "?").join(", ")}))`);
  }
  // Plain SQL text, as for the insert above: one statement per shape, prepared once.
  const rows = await rowsOf(
    executorOf(tx),
    `SELECT channel, target, max(id) AS last,
           sum(claimed_by IS NULL OR claimed_by <> ? OR lease_until IS NULL OR lease_until < ?) AS "foreign"
    FROM outbox WHERE status = 'pending' AND (${filters.join(" OR ")})
    GROUP BY channel, target`,
    args,
  );
  for (const row of rows) {
    heads.set(queueKey(String(row[0]), String(row[1])), { claimable: Number(row[3]) === 0, last: Number(row[2]) });
  }
  return heads;
}

/** An outbox row as the log and the admin routes read it. */
export interface OutboxRecord {
  id: number;
  channel: OutboxChannel;
  target: string;
  eventType: string;
  /** The payload exactly as stored (JSON text). */
  payloadJson: string;
  ticketId: string | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  claimedBy: string | null;
  createdAt: number;
  deliveredAt: number | null;
  lastError: string | null;
}

export interface OutboxRow {
  id: number;
  channel: OutboxChannel;
  target: string;
  event_type: string;
  payload: string;
  ticket_id: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  claimed_by: string | null;
  created_at: number;
  delivered_at: number | null;
  last_error: string | null;
}

export const toOutboxRecord = (row: OutboxRow): OutboxRecord => ({
  id: Number(row.id),
  channel: row.channel,
  target: row.target,
  eventType: row.event_type,
  payloadJson: row.payload,
  ticketId: row.ticket_id,
  status: row.status,
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  leaseUntil: row.lease_until === null ? null : Number(row.lease_until),
  claimedBy: row.claimed_by,
  createdAt: Number(row.created_at),
  deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  lastError: row.last_error,
});

/** The entry a channel receives, from a stored row. */
export const toOutboxEntry = (row: OutboxRow): StoredOutboxEntry => ({
  id: Number(row.id),
  channel: row.channel,
  target: row.target,
  eventType: row.event_type,
  payload: JSON.parse(row.payload) as unknown,
  ticketId: row.ticket_id,
  notBefore: Number(row.next_attempt_at),
  attempts: Number(row.attempts),
  createdAt: Number(row.created_at),
  leaseUntil: row.lease_until === null ? null : Number(row.lease_until),
  claimedBy: row.claimed_by,
  after: null,
});

export async function outboxEntry(reader: Reader, id: number): Promise<OutboxRecord | null> {
  // `all`, not `get`: drizzle's libSQL `get` throws on an empty result.
  const [row] = await reader.all<OutboxRow>(sql`SELECT * FROM outbox WHERE id = ${id}`);
  return row ? toOutboxRecord(row) : null;
}
