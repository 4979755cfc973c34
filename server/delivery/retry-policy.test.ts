import { describe, expect, it } from "vitest";
import { afterFailure, backoffDelay, defaultRetryPolicies, retryPolicies } from "./retry-policy.js";

const policy = { maxAttempts: 5, baseMs: 100, factor: 2, capMs: 500, timeoutMs: 1_000 };

describe("retry policy", () => {
  it("grows by the factor up to the cap, with half of each delay jittered", () => {
    const low = [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0));
    const high = [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.999999));
    expect(low).toEqual([50, 100, 200, 250, 250]);
    expect(high).toEqual([100, 200, 400, 500, 500]);
  });

  it("is dead after the last attempt, or at once on a permanent failure", () => {
    expect(afterFailure(policy, 4, false, 1_000, () => 0.5)).toEqual({ dead: false, nextAttemptAt: 1_000 + 375 });
    expect(afterFailure(policy, 5, false, 1_000, () => 0.5)).toEqual({ dead: true });
    expect(afterFailure(policy, 1, true, 1_000, () => 0.5)).toEqual({ dead: true });
  });

  it("gives webhooks hours and rooms seconds", () => {
    const total = (p: typeof policy) => Array.from({ length: p.maxAttempts - 1 }, (_, i) => backoffDelay(p, i + 1, () => 0.999999)).reduce((a, b) => a + b, 0);
    expect(total(defaultRetryPolicies.webhook)).toBeGreaterThan(5 * 60 * 60_000);
    expect(total(defaultRetryPolicies.room)).toBeLessThan(10_000);
  });

  it("refuses a policy that cannot work", () => {
    expect(() => retryPolicies({ webhook: { maxAttempts: 0 } })).toThrow(RangeError);
    expect(() => retryPolicies({ room: { baseMs: 10, capMs: 5 } })).toThrow(RangeError);
    expect(retryPolicies({ room: { maxAttempts: 2 } }).room).toEqual({ ...defaultRetryPolicies.room, maxAttempts: 2 });
  });
});
