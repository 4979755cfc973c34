/** A clientId for an idempotent write: unique, URL-safe, 8–64 characters. */
export function newClientId(): string {
  return `c_${crypto.randomUUID().replace(/-/g, "")}`;
}
