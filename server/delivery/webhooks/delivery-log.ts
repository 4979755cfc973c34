import { sql } from "drizzle-orm";
import type { Reader } from "../../db/client.js";
import type { DeliveryOutcome, OutboxEntry } from "../channel.js";

/**
 * Reads and writes of the outbox's delivery log for one webhook endpoint. Plain SQL over the
 * outbox tables' columns (outbox: id, channel, target, event_type, payload as JSON text,
 * ticket_id, status, attempts, created_at; deliveries: id, outbox_id, channel, target, attempt,
 * outcome, status_code, latency_ms, error, at), so the admin routes depend on the log's shape,
 * not on the dispatcher's code.
 */

export type DeliveryOutcomeName = "delivered" | "retry" | "dead";

export interface EndpointDeliveryRow {
  id: number;
  outboxId: number;
  eventType: string;
  attempt: number;
  outcome: DeliveryOutcomeName;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  at: number;
  entryStatus: "pending" | "delivered" | "dead";
}

interface RawDelivery {
  id: number;
  outbox_id: number;
  event_type: string;
  attempt: number;
  outcome: DeliveryOutcomeName;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  at: number;
  status: EndpointDeliveryRow["entryStatus"];
}

/** The endpoint's attempts, newest first, older than `beforeId` when given. */
export async function endpointDeliveries(orm: Reader, endpointId: string, page: { beforeId: number | null; limit: number }): Promise<EndpointDeliveryRow[]> {
  const rows = await orm.all<RawDelivery>(sql`
    select d.id, d.outbox_id, o.event_type, d.attempt, d.outcome, d.status_code, d.latency_ms, d.error, d.at, o.status
    from deliveries d join outbox o on o.id = d.outbox_id
    where d.channel = 'webhook' and d.target = ${endpointId} ${page.beforeId === null ? sql`` : sql`and d.id < ${page.beforeId}`}
    order by d.id desc
    limit ${page.limit}`);
  return rows.map((row) => ({
    id: Number(row.id),
    outboxId: Number(row.outbox_id),
    eventType: row.event_type,
    attempt: Number(row.attempt),
    outcome: row.outcome,
    statusCode: row.status_code === null ? null : Number(row.status_code),
    latencyMs: Number(row.latency_ms),
    error: row.error,
    at: Number(row.at),
    entryStatus: row.status,
  }));
}

interface RawEntry {
  id: number;
  target: string;
  event_type: string;
  payload: string;
  ticket_id: string | null;
  attempts: number;
  created_at: number;
}

/** The outbox entry a logged attempt of this endpoint delivered, or null when there is none. */
export async function entryOfDelivery(orm: Reader, endpointId: string, deliveryId: number): Promise<OutboxEntry | null> {
  const [row] = await orm.all<RawEntry>(sql`
    select o.id, o.target, o.event_type, o.payload, o.ticket_id, o.attempts, o.created_at
    from deliveries d join outbox o on o.id = d.outbox_id
    where d.id = ${deliveryId} and d.channel = 'webhook' and d.target = ${endpointId} and o.channel = 'webhook'`);
  if (!row) return null;
  return {
    id: Number(row.id),
    channel: "webhook",
    target: row.target,
    eventType: row.event_type,
    // Stored as JSON; webhook entries hold the exact body as a JSON string.
    payload: JSON.parse(row.payload) as unknown,
    ticketId: row.ticket_id,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
  };
}

/**
 * Logs an attempt made outside the dispatcher (a replay), numbered after the entry's earlier
 * ones. A failure leaves the entry as it was (`retry` when the dispatcher still has it pending,
 * `dead` otherwise); a success settles a dead entry as delivered, since the receiver now has it.
 */
export async function logReplay(tx: Reader, entry: OutboxEntry, outcome: DeliveryOutcome, latencyMs: number, at: number): Promise<void> {
  await tx.run(sql`
    insert into deliveries (outbox_id, channel, target, attempt, outcome, status_code, latency_ms, error, at)
    values (${entry.id}, 'webhook', ${entry.target},
      (select coalesce(max(attempt), 0) + 1 from deliveries where outbox_id = ${entry.id}),
      ${outcome.ok ? sql`'delivered'` : sql`(select case status when 'pending' then 'retry' else 'dead' end from outbox where id = ${entry.id})`},
      ${outcome.statusCode ?? null}, ${latencyMs}, ${outcome.ok ? null : outcome.error}, ${at})`);
  if (outcome.ok) {
    await tx.run(sql`update outbox set status = 'delivered', delivered_at = ${at}, last_error = null where id = ${entry.id} and status = 'dead'`);
  }
}
