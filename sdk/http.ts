import type { ErrorBody } from "../protocol/index.js";
import { ParleyError, ParleyNetworkError } from "./errors.js";

export interface HttpOptions {
  baseUrl: string;
  /** The bearer token to send, read at each call (it may change after sign-in or reset). */
  token?: () => string | null | Promise<string | null>;
  /** The site key header for visitor calls. */
  siteKey?: string;
  fetch?: typeof fetch;
  /** Attempts for calls that are safe to repeat (GETs and clientId-keyed writes). */
  retries?: number;
  timeoutMs?: number;
}

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** True when repeating the call cannot do anything twice: GETs, and writes keyed by a clientId. */
  idempotent?: boolean;
  /** Skip the bearer token (public routes). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

/** The shared error shape, checked by hand: the SDK carries no schema library. */
function isErrorBody(json: unknown): json is ErrorBody {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * One HTTP call path for the whole SDK: JSON in and out, every non-2xx turned into a
 * ParleyError, failures to reach the server into a ParleyNetworkError, and retries with
 * exponential backoff and jitter only where a repeat is harmless.
 */
export function createHttp(options: HttpOptions) {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const base = options.baseUrl.replace(/\/$/, "");
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function once<T>(method: string, path: string, call: CallOptions): Promise<T> {
    const url = new URL(base + path);
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.siteKey) headers["x-parley-site"] = options.siteKey;
    const token = call.anonymous ? null : await options.token?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (call.body !== undefined) headers["content-type"] = "application/json";

    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(url, { method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body), signal });
    } catch (error) {
      if (call.signal?.aborted) throw error;
      throw new ParleyNetworkError(`${method} ${path} did not reach the server`, { cause: error });
    }
    const text = await res.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON: a proxy's error page, say. Reported below with the status.
      }
    }
    if (res.ok) return json as T;
    if (isErrorBody(json)) throw new ParleyError(res.status, json.error.code, json.error.message, json.error.details);
    throw new ParleyError(res.status, res.status >= 500 ? "internal" : "bad_request", `${method} ${path} answered ${res.status}`);
  }

  return async function call<T>(method: string, path: string, callOptions: CallOptions = {}): Promise<T> {
    const attempts = (callOptions.idempotent ?? method === "GET") ? retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await once<T>(method, path, callOptions);
      } catch (error) {
        const retryable = error instanceof ParleyNetworkError || (error instanceof ParleyError && RETRYABLE_STATUS.has(error.status));
        if (!retryable || attempt >= attempts) throw error;
        await sleep(Math.min(4_000, 200 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
      }
    }
  };
}

export type Http = ReturnType<typeof createHttp>;
