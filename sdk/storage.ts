/** Where the SDK keeps a visitor's session token and unsent messages. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Lives as long as the process: the default outside browsers. */
export function memoryStore(): KeyValueStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
    remove: async (key) => void values.delete(key),
  };
}

/** localStorage where there is one (browsers), so sessions and the outbox survive reloads. */
export function defaultStore(): KeyValueStore {
  const local = (globalThis as { localStorage?: Storage }).localStorage;
  if (!local) return memoryStore();
  return {
    get: async (key) => local.getItem(key),
    set: async (key, value) => local.setItem(key, value),
    remove: async (key) => local.removeItem(key),
  };
}
