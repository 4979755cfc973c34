import type { Database, Reader } from "../../db/client.js";
import type { OutboxStatus } from "../../db/schema.js";
import { deliveriesOfTarget, deliveryById, entriesById, redeliver, type DeliveryRecord, type RedeliverResult } from "../delivery-log.js";

/**
 * One webhook endpoint's view of the outbox's delivery log (server/delivery/delivery-log.ts):
 * the attempts the dispatcher logged for it, and replay, which puts the logged entry back in
 * the outbox as it was stored so the dispatcher sends it again under the same `webhook-id`.
 * Nothing here sends anything or writes the log itself.
 */

export interface EndpointDeliveryRow extends DeliveryRecord {
  eventType: string;
  /** Where the entry itself stands now (a later attempt may have delivered it). */
  entryStatus: OutboxStatus;
}

/** The endpoint's attempts, newest first; `before` is the previous page's `nextCursor`. */
export async function endpointDeliveries(
  reader: Reader,
  endpointId: string,
  page: { before?: number; limit: number },
): Promise<{ items: EndpointDeliveryRow[]; nextCursor: number | null }> {
  const log = await deliveriesOfTarget(reader, { channel: "webhook", target: endpointId, limit: page.limit, ...(page.before === undefined ? {} : { before: page.before }) });
  const entries = await entriesById(reader, log.items.map((d) => d.outboxId));
  const items: EndpointDeliveryRow[] = [];
  for (const delivery of log.items) {
    const entry = entries.get(delivery.outboxId);
    // Attempts go with their entry when it is pruned (ON DELETE CASCADE); one pruned between
    // the two reads is simply no longer in the log.
    if (entry) items.push({ ...delivery, eventType: entry.eventType, entryStatus: entry.status });
  }
  return { items, nextCursor: log.nextCursor };
}

export type EndpointReplay = RedeliverResult;

/**
 * Puts the entry of a logged attempt of this endpoint back in line (`redeliver`: same id,
 * same payload, a fresh count of attempts). `unknown` when the attempt is not this endpoint's.
 * Wake the dispatcher afterwards so it goes out without waiting for the poll.
 */
export async function replayEndpointDelivery(db: Database, endpointId: string, deliveryId: number, now: number): Promise<EndpointReplay> {
  const delivery = await deliveryById(db.orm, deliveryId);
  if (!delivery || delivery.channel !== "webhook" || delivery.target !== endpointId) return { status: "unknown" };
  // The log copies the entry's channel and target, so this is the endpoint's own event.
  return redeliver(db, delivery.outboxId, now);
}
