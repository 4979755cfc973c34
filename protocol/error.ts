import { z } from "zod";

/** Machine-readable reasons a request is refused; the HTTP status travels beside them. */
export const ErrorCodeSchema = z.enum([
  "bad_request",
  "validation_failed",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "illegal_transition",
  /** The agent named is not a member of the ticket's site, so it cannot hold or work on it. */
  "not_site_member",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "internal",
  "unavailable",
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The one error shape every route answers with. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
