import type { OutboxChannel } from "./channel.js";

/**
 * How a channel retries: attempt n (1-based) that fails waits
 * `min(capMs, baseMs * factor^(n-1))`, jittered, before attempt n+1; after `maxAttempts`
 * the entry is dead. `timeoutMs` bounds one attempt (the lease must outlast it).
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  factor: number;
  capMs: number;
  timeoutMs: number;
}

/**
 * Rooms: a few quick tries (a client that missed a frame resumes over HTTP anyway). Webhooks:
 * eight attempts spread over about seven and a half hours, the way webhook senders usually
 * give a receiver time to come back. Email: a few attempts over about an hour.
 */
export const defaultRetryPolicies: Record<OutboxChannel, RetryPolicy> = {
  room: { maxAttempts: 4, baseMs: 200, factor: 3, capMs: 5_000, timeoutMs: 5_000 },
  webhook: { maxAttempts: 8, baseMs: 5_000, factor: 4, capMs: 6 * 60 * 60_000, timeoutMs: 15_000 },
  email: { maxAttempts: 5, baseMs: 30_000, factor: 4, capMs: 60 * 60_000, timeoutMs: 60_000 },
};

export function retryPolicies(overrides: Partial<Record<OutboxChannel, Partial<RetryPolicy>>> = {}): Record<OutboxChannel, RetryPolicy> {
  const merged = {} as Record<OutboxChannel, RetryPolicy>;
  for (const channel of Object.keys(defaultRetryPolicies) as OutboxChannel[]) {
    const policy = { ...defaultRetryPolicies[channel], ...overrides[channel] };
    if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError(`${channel}: maxAttempts must be a positive integer`);
    if (policy.baseMs < 0 || policy.capMs < policy.baseMs || policy.factor < 1 || policy.timeoutMs <= 0) {
      throw new RangeError(`${channel}: need 0 <= baseMs <= capMs, factor >= 1 and timeoutMs > 0`);
    }
    merged[channel] = policy;
  }
  return merged;
}

/**
 * The wait after failed attempt `attempt` (1-based). "Equal jitter": half the delay is kept,
 * the other half drawn at random, so retries of many entries that failed together spread out
 * without any of them coming back almost at once. `random` returns [0, 1).
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const delay = Math.min(policy.capMs, policy.baseMs * policy.factor ** (attempt - 1));
  return Math.round(delay / 2 + random() * (delay / 2));
}

/** What a failed attempt leads to. */
export function afterFailure(policy: RetryPolicy, attempt: number, permanent: boolean, at: number, random: () => number): { dead: true } | { dead: false; nextAttemptAt: number } {
  if (permanent || attempt >= policy.maxAttempts) return { dead: true };
  return { dead: false, nextAttemptAt: at + backoffDelay(policy, attempt, random) };
}
