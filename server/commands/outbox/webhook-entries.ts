import { sql } from "drizzle-orm";
import { WebhookEventTypeSchema, type WebhookEventType } from "../../../protocol/index.js";
import type { NewOutboxEntry } from "../../delivery/channel.js";
import type { DomainEvent } from "../../domain/events.js";
import { webhookAnnouncements } from "../../domain/webhook-events.js";
import type { Reader } from "../../db/client.js";

/**
 * The webhook outbox entries of one domain event: one per enabled endpoint of the ticket's
 * site that subscribes to the event type, carrying the exact JSON body to send (stored as a
 * string, so every retry and replay signs and sends the same bytes).
 *
 * Endpoints are read inside the command's transaction rather than from an in-process cache:
 * a cache would go stale on every other server sharing the database, and the indexed read that
 * finds nothing costs tens of microseconds (bench/webhook-entries.ts). Events that no webhook
 * carries (notes, read marks) cost no read at all.
 */
export async function webhookEntries(tx: Reader, event: DomainEvent, at: number): Promise<NewOutboxEntry[]> {
  const announcements = webhookAnnouncements(event, at);
  if (announcements.length === 0) return [];

  const endpointsBySite = new Map<string, { id: string; events: WebhookEventType[] }[]>();
  const entries: NewOutboxEntry[] = [];
  for (const announcement of announcements) {
    let endpoints = endpointsBySite.get(announcement.siteId);
    if (!endpoints) {
      endpoints = await subscribedEndpoints(tx, announcement.siteId);
      endpointsBySite.set(announcement.siteId, endpoints);
    }
    if (endpoints.length === 0) continue;
    const payload = JSON.stringify(announcement.body);
    for (const endpoint of endpoints) {
      if (!endpoint.events.includes(announcement.type)) continue;
      entries.push({ channel: "webhook", target: endpoint.id, eventType: announcement.type, payload, ticketId: announcement.ticketId });
    }
  }
  return entries;
}

/**
 * The enabled endpoints of a site. Plain SQL rather than the query builder: this runs in every
 * command's transaction, and building the statement cost as much as running it.
 */
const isEventType = (value: unknown): value is WebhookEventType => WebhookEventTypeSchema.safeParse(value).success;

async function subscribedEndpoints(tx: Reader, siteId: string): Promise<{ id: string; events: WebhookEventType[] }[]> {
  const rows = await tx.all<{ id: string; events: string }>(sql`select id, events from webhook_endpoints where site_id = ${siteId} and enabled = 1`);
  // Types this server no longer knows are skipped, not fatal: a stale subscription must never fail the command.
  return rows.map((row) => ({ id: row.id, events: (JSON.parse(row.events) as unknown[]).filter(isEventType) }));
}
