import type * as Party from "partykit/server";

type Keys = string | string[];
export interface ListOptions {
  prefix?: string;
  start?: string;
  end?: string;
  reverse?: boolean;
  limit?: number;
}

/**
 * A room's key-value storage, kept in memory: the part of PartyKit's `Party.Storage` (a
 * Durable Object's storage) the rooms use. Values are structured-cloned on the way in and
 * out, as Durable Objects do, so a caller never shares an object with the store.
 */
export class MemoryStorage {
  readonly #values = new Map<string, unknown>();

  get size(): number {
    return this.#values.size;
  }

  get<T = unknown>(key: string): Promise<T | undefined>;
  get<T = unknown>(keys: string[]): Promise<Map<string, T>>;
  async get<T>(keys: Keys): Promise<T | undefined | Map<string, T>> {
    if (typeof keys === "string") return this.#read<T>(keys);
    const found = new Map<string, T>();
    for (const key of keys) if (this.#values.has(key)) found.set(key, this.#read<T>(key)!);
    return found;
  }

  put<T>(key: string, value: T): Promise<void>;
  put<T>(entries: Record<string, T>): Promise<void>;
  async put<T>(keyOrEntries: string | Record<string, T>, value?: T): Promise<void> {
    const entries = typeof keyOrEntries === "string" ? { [keyOrEntries]: value } : keyOrEntries;
    for (const [key, entry] of Object.entries(entries)) {
      // Durable Objects refuse undefined values; so do we, rather than store a hole.
      if (entry === undefined) throw new TypeError(`storage.put(${JSON.stringify(key)}): value is undefined`);
      this.#values.set(key, structuredClone(entry));
    }
  }

  delete(key: string): Promise<boolean>;
  delete(keys: string[]): Promise<number>;
  async delete(keys: Keys): Promise<boolean | number> {
    if (typeof keys === "string") return this.#values.delete(keys);
    let deleted = 0;
    for (const key of keys) if (this.#values.delete(key)) deleted += 1;
    return deleted;
  }

  async deleteAll(): Promise<void> {
    this.#values.clear();
  }

  /** Entries in key order, as Durable Objects list them; `start` inclusive, `end` exclusive. */
  async list<T = unknown>(options: ListOptions = {}): Promise<Map<string, T>> {
    let keys = [...this.#values.keys()].filter(
      (key) =>
        (options.prefix === undefined || key.startsWith(options.prefix)) &&
        (options.start === undefined || key >= options.start) &&
        (options.end === undefined || key < options.end),
    );
    keys.sort();
    if (options.reverse) keys.reverse();
    if (options.limit !== undefined) keys = keys.slice(0, options.limit);
    return new Map(keys.map((key) => [key, this.#read<T>(key)!]));
  }

  #read<T>(key: string): T | undefined {
    return this.#values.has(key) ? structuredClone(this.#values.get(key) as T) : undefined;
  }

  /** The PartyKit type, which describes a Durable Object's whole storage API; rooms use the part above. */
  asPartyStorage(): Party.Storage {
    return this as unknown as Party.Storage;
  }
}
