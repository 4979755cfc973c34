/**
 * Answers kept while the database stays as it was. Each entry remembers the change stamp
 * (`Database.changeStamp`) read before the reads it was made from; it is used again only under
 * that same stamp, so any commit since, from any connection or process, retires every entry at
 * once. A stamp of null (a remote database) keeps nothing.
 *
 * Made for reads that repeat while nothing changes: an inbox refreshing its queue, a widget
 * reopening its ticket, a token's owner looked up on each request. A value is shared by every
 * request that reads it: callers treat it as read-only.
 */
export interface StampedCache<V> {
  /** The value kept for `key` under `stamp`, else `make()`'s, kept for the next caller under the same stamp. */
  remember(key: string, stamp: number | null, make: () => Promise<V>): Promise<V>;
  readonly size: number;
}

interface Entry<V> {
  stamp: number;
  value: V;
}

/** Up to `capacity` entries, the least recently used leaving first. */
export function createStampedCache<V>(capacity: number): StampedCache<V> {
  const entries = new Map<string, Entry<V>>();
  return {
    async remember(key, stamp, make) {
      if (stamp === null) return make();
      const kept = entries.get(key);
      if (kept) {
        entries.delete(key);
        if (kept.stamp === stamp) {
          // Re-inserting keeps the Map in least-recently-used order.
          entries.set(key, kept);
          return kept.value;
        }
      }
      const value = await make();
      // A slower caller made under an older stamp never replaces a newer entry.
      const newer = entries.get(key);
      if (!newer || newer.stamp < stamp) entries.set(key, { stamp, value });
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * One cache per database handle, made on first use: what one database answered is never
 * offered for another's (tests open several in one process).
 */
export function stampedCachePerDatabase<V>(capacity: number): (database: object) => StampedCache<V> {
  const caches = new WeakMap<object, StampedCache<V>>();
  return (database) => {
    let cache = caches.get(database);
    if (!cache) caches.set(database, (cache = createStampedCache<V>(capacity)));
    return cache;
  };
}
