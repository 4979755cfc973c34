import type { ErrorCode } from "../protocol/index.js";

/** The API refused the request: `status` and `code` say why, `details` carry per-field issues. */
export class ParleyError extends Error {
  override readonly name = "ParleyError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The request never got an answer (offline, DNS, connection reset, timeout). Safe to retry later. */
export class ParleyNetworkError extends Error {
  override readonly name = "ParleyNetworkError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isParleyError = (error: unknown): error is ParleyError => error instanceof ParleyError;
