import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "./errors.js";

export interface RateLimitOptions {
  /** Requests allowed per window per key. */
  limit: number;
  windowMs: number;
  key: (c: Context) => string;
  now?: () => number;
  /** False turns the limiter into a pass-through (PARLEY_RATE_LIMITS=off, for benchmarks only). */
  enabled?: boolean;
}

/**
 * Fixed-window limiter kept in process memory: enough for one machine. Refuses with 429
 * and `Retry-After`, and tells every caller where it stands through `RateLimit-*` headers.
 */
export function rateLimit(options: RateLimitOptions) {
  if (options.enabled === false) return createMiddleware(async (_c, next) => next());
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

/** A limiter that follows the services' clock and their rate-limit switch. */
export function serviceRateLimit(services: { now: () => number; rateLimits: boolean }, options: Omit<RateLimitOptions, "now" | "enabled">) {
  return rateLimit({ ...options, now: services.now, enabled: services.rateLimits });
}
