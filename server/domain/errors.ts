import type { ErrorCode } from "../../protocol/index.js";

/**
 * An expected refusal from a rule, a command or a store: the ticket is closed, the category is
 * unknown, someone else holds the ticket. It carries the protocol's error code, never an HTTP
 * status; the one `onError` of the API maps the code to the status, so code below the routes
 * stays free of Hono.
 */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} not found`);

/** A refusal about one input field, answered as 400 with the field named in `details`. */
export const invalidField = (path: string, message: string, detail: string) => new DomainError("validation_failed", message, [{ path, message: detail }]);
