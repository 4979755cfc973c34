import type { NewOutboxEntry } from "../../delivery/channel.js";
import type { DomainEvent } from "../../domain/events.js";
import { webhookAnnouncements } from "../../domain/webhook-events.js";
import type { Reader } from "../../db/client.js";
import { readEnabledEndpoints, type SubscribedEndpoint, type WebhookEndpointCache } from "../../db/webhook-endpoint-cache.js";

/**
 * The webhook outbox entries of one domain event: one per enabled endpoint of the ticket's
 * site that subscribes to the event type, carrying the exact JSON body to send (stored as a
 * string, so every retry and replay signs and sends the same bytes).
 *
 * The endpoints come from the server's in-memory copy when it has one (`endpoints`), which
 * costs one stamp read per site and stays exact across servers sharing the database
 * (webhook-endpoint-cache.ts); without it they are read from the table. Events that no
 * webhook carries (notes, read marks) cost no read at all.
 */
export async function webhookEntries(tx: Reader, event: DomainEvent, at: number, endpoints?: WebhookEndpointCache): Promise<NewOutboxEntry[]> {
  const announcements = webhookAnnouncements(event, at);
  if (announcements.length === 0) return [];

  const endpointsBySite = new Map<string, readonly SubscribedEndpoint[]>();
  const entries: NewOutboxEntry[] = [];
  for (const announcement of announcements) {
    let subscribed = endpointsBySite.get(announcement.siteId);
    if (!subscribed) {
      subscribed = endpoints ? await endpoints.enabledEndpoints(tx, announcement.siteId) : await readEnabledEndpoints(tx, announcement.siteId);
      endpointsBySite.set(announcement.siteId, subscribed);
    }
    if (subscribed.length === 0) continue;
    const payload = JSON.stringify(announcement.body);
    for (const endpoint of subscribed) {
      if (!endpoint.events.includes(announcement.type)) continue;
      entries.push({ channel: "webhook", target: endpoint.id, eventType: announcement.type, payload, ticketId: announcement.ticketId });
    }
  }
  return entries;
}
