import type { NewOutboxEntry } from "../delivery/channel.js";
import type { Tx } from "../db/client.js";
import type { WebhookEndpointCache } from "../db/webhook-endpoint-cache.js";
import type { DomainEvent } from "../domain/events.js";
import { emailEntries } from "./outbox/email-entries.js";
import { roomEntries } from "./outbox/room-entries.js";
import { webhookEntries } from "./outbox/webhook-entries.js";

/** What the builders may use beyond the transaction: the server's in-memory copies, when it keeps them. */
export interface AnnounceCaches {
  webhookEndpoints?: WebhookEndpointCache | undefined;
}

/** Turns a DomainEvent into one channel's outbox entries, inside the command's transaction. */
export type EntryBuilder = (tx: Tx, event: DomainEvent, at: number, caches: AnnounceCaches) => Promise<NewOutboxEntry[]>;

/**
 * Every channel's builder: the rooms' frames, the webhooks of the endpoints subscribed to the
 * event, the emails the notification rules send. The order is the order entries are written,
 * which only matters within one channel and target.
 */
export const entryBuilders: EntryBuilder[] = [roomEntries, (tx, event, at, caches) => webhookEntries(tx, event, at, caches.webhookEndpoints), emailEntries];

/** The one way a change is announced: every channel's entries for the event, to be written in the same transaction. */
export async function announce(tx: Tx, event: DomainEvent, at: number, caches: AnnounceCaches = {}): Promise<NewOutboxEntry[]> {
  const entries: NewOutboxEntry[] = [];
  for (const build of entryBuilders) entries.push(...(await build(tx, event, at, caches)));
  return entries;
}
