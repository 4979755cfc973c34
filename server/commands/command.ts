import type { Database, Tx } from "../db/client.js";
import { commandView, type WebhookEndpointCache } from "../db/webhook-endpoint-cache.js";
import { writeOutbox, type StoredOutboxEntry } from "../db/outbox.js";
import type { Outbox } from "../delivery/delivery-runtime.js";
import type { DomainEvent } from "../domain/events.js";
import type { Actor } from "../tickets/store.js";
import { announce } from "./announce.js";

/** Who runs a command (customer, agent, system or bot): recorded in the ticket's history and checked by the rules. */
export type { Actor };

/** What every command runs with (a subset of the server's services). */
export interface CommandContext {
  db: Database;
  /** Epoch ms; injectable so SLA and expiry rules can be tested. */
  now: () => number;
  outbox: Outbox;
  /** The server's copy of the enabled webhook endpoints; without it each event reads them from the table. */
  webhookEndpoints?: WebhookEndpointCache;
}

/** Inside a command's one transaction. */
export interface CommandScope {
  tx: Tx;
  /** The command's time: every row and event it writes carries it. */
  at: number;
  /** Queues the event's outbox entries for every channel; written with the change, before the commit. */
  announce(event: DomainEvent): Promise<void>;
}

/**
 * Runs one command in one write transaction: its change, its ticket_events rows and its
 * outbox entries commit together or not at all. After the commit the dispatcher gets the
 * live entries in memory, so a room hears of the change at once (no polling delay).
 */
export async function runCommand<T>(context: CommandContext, work: (scope: CommandScope) => Promise<T>): Promise<T> {
  const { outbox } = context;
  let stored: StoredOutboxEntry[] = [];
  const result = await context.db.write(async (tx) => {
    const at = context.now();
    const entries: Awaited<ReturnType<typeof announce>> = [];
    const caches = { webhookEndpoints: commandView(context.webhookEndpoints) };
    const value = await work({
      tx,
      at,
      async announce(event) {
        for (const entry of await announce(tx, event, at, caches)) if (outbox.accepts(entry)) entries.push(entry);
      },
    });
    stored = await writeOutbox(tx, entries, { handOver: outbox.handOver });
    return value;
  });
  if (stored.length > 0) outbox.wake(stored);
  return result;
}
