import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "./errors.js";

export interface RateLimitOptions {
  /** Requests allowed per window per key. */
  limit: number;
  windowMs: number;
  key: (c: Context) => string;
  now?: () => number;
}

let limitsEnabled = true;

/**
 * Builds an app (or any set of routes) with every limiter created inside `build` turned into
 * a pass-through when `enabled` is false. For benchmarks only (PARLEY_RATE_LIMITS=off): a load
 * generator is one visitor on one address, so the limits would turn the run into a count of
 * 429s. Scoped to `build` rather than a lasting switch, so it cannot leak into another app
 * built in the same process, and no route group has to pass a flag to its limiters.
 */
export function withRateLimits<T>(enabled: boolean, build: () => T): T {
  const previous = limitsEnabled;
  limitsEnabled = enabled;
  try {
    return build();
  } finally {
    limitsEnabled = previous;
  }
}

/**
 * Fixed-window limiter kept in process memory: enough for one machine. Refuses with 429
 * and `Retry-After`, and tells every caller where it stands through `RateLimit-*` headers.
 */
export function rateLimit(options: RateLimitOptions) {
  if (!limitsEnabled) return createMiddleware(async (_c, next) => next());
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = now();

  return createMiddleware(async (c, next) => {
    const at = now();
    if (at - lastSweep > options.windowMs) {
      for (const [key, window] of windows) if (at - window.start >= options.windowMs) windows.delete(key);
      lastSweep = at;
    }
    const key = options.key(c);
    let window = windows.get(key);
    if (!window || at - window.start >= options.windowMs) {
      window = { start: at, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    const resetS = Math.max(1, Math.ceil((window.start + options.windowMs - at) / 1000));
    c.header("RateLimit-Limit", String(options.limit));
    c.header("RateLimit-Remaining", String(Math.max(0, options.limit - window.count)));
    c.header("RateLimit-Reset", String(resetS));
    if (window.count > options.limit) {
      throw new ApiError("rate_limited", `too many requests; try again in ${resetS} s`, undefined, { "Retry-After": String(resetS) });
    }
    await next();
  });
}
