import type { Attachment } from "../protocol/index.js";
import type { KeyValueStore } from "./storage.js";

/** A message the visitor sent that the server has not yet acknowledged. */
export interface OutboxEntry {
  number: string;
  clientId: string;
  body: string;
  attachments: Attachment[];
  queuedAt: number;
  internal?: boolean;
}

/**
 * Unsent messages, kept in the client's store so that they survive a reconnect or a reload.
 * Delivery is exactly-once because the server stores each clientId once per ticket.
 */
export class Outbox {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly key: string,
  ) {}

  async list(number?: string): Promise<OutboxEntry[]> {
    const all = await this.#read();
    return number ? all.filter((entry) => entry.number === number) : all;
  }

  put(entry: OutboxEntry) {
    return this.#update((entries) => [...entries.filter((e) => e.clientId !== entry.clientId), entry]);
  }

  remove(clientId: string) {
    return this.#update((entries) => entries.filter((e) => e.clientId !== clientId));
  }

  clear() {
    return this.#update(() => []);
  }

  async #read(): Promise<OutboxEntry[]> {
    const raw = await this.store.get(this.key);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
    } catch {
      // A damaged outbox cannot be replayed safely; start clean rather than resend garbage.
      return [];
    }
  }

  /** Read-modify-write one at a time, so two sends never overwrite each other's entry. */
  #update(change: (entries: OutboxEntry[]) => OutboxEntry[]): Promise<void> {
    const next = this.#queue.then(async () => {
      const entries = change(await this.#read());
      if (entries.length) await this.store.set(this.key, JSON.stringify(entries));
      else await this.store.remove(this.key);
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
