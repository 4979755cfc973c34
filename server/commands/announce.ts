import type { NewOutboxEntry } from "../delivery/channel.js";
import type { Tx } from "../db/client.js";
import type { DomainEvent } from "../domain/events.js";
import { roomEntries } from "./outbox/room-entries.js";

/** Turns a DomainEvent into one channel's outbox entries, inside the command's transaction. */
export type EntryBuilder = (tx: Tx, event: DomainEvent, at: number) => Promise<NewOutboxEntry[]>;

/**
 * Every channel's builder. Each channel adds its own here (webhooks: the endpoints subscribed
 * to the event; email: the customer's notifications); the order is the order entries are
 * written, which only matters within one channel and target.
 */
export const entryBuilders: EntryBuilder[] = [roomEntries];

/** The one way a change is announced: every channel's entries for the event, to be written in the same transaction. */
export async function announce(tx: Tx, event: DomainEvent, at: number): Promise<NewOutboxEntry[]> {
  const entries: NewOutboxEntry[] = [];
  for (const build of entryBuilders) entries.push(...(await build(tx, event, at)));
  return entries;
}
