import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorBody, ErrorCode } from "../../protocol/index.js";
import { DomainError } from "../domain/errors.js";

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  illegal_transition: 409,
  not_site_member: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/**
 * An expected refusal raised by HTTP code (routes and middleware), which may also carry headers.
 * Code below the routes throws `DomainError` instead; `onApiError` answers both with the shared body.
 */
export class ApiError extends HTTPException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(statusOf[code], { message });
  }
}

export { notFound } from "../domain/errors.js";

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(statusOf) as [ErrorCode, number][]).find(([code, s]) => s === status && code !== "validation_failed");
  return match?.[0] ?? (status >= 500 ? "internal" : "bad_request");
}

export function respondWithError(c: Context, code: ErrorCode, message: string, details?: unknown) {
  return c.json(errorBody(code, message, details), statusOf[code]);
}

export function onApiError(log: (message: string, error: unknown) => void): ErrorHandler {
  return (err, c) => {
    if (err instanceof DomainError) return respondWithError(c, err.code, err.message, err.details);
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
      return respondWithError(c, err.code, err.message, err.details);
    }
    if (err instanceof HTTPException) {
      // Hono's own refusals (malformed JSON, body limit) keep their status.
      const code = codeForStatus(err.status);
      return c.json(errorBody(code, err.message || "request refused"), err.status as ContentfulStatusCode);
    }
    log(`${c.req.method} ${c.req.path} failed`, err);
    return respondWithError(c, "internal", "something went wrong on our side; the request was not applied");
  };
}

export const onNotFound: NotFoundHandler = (c) =>
  respondWithError(c, "not_found", `no route for ${c.req.method} ${c.req.path}`);
