import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSONParsed } from "hono/utils/types";
import type { z } from "zod";
import { ErrorBodySchema, type ErrorCode } from "../../protocol/index.js";

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true,
});

/** A JSON response of `schema`. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/**
 * A JSON body that is serialized already (the queue page, from tickets presented once), answered
 * as `c.json` would answer the value `T` it is the text of: the same Content-Type, and the same
 * type for the route's clients. The caller vouches that `json` is `JSON.stringify` of a `T`.
 */
export function serializedJson<T, U extends ContentfulStatusCode>(c: Context, json: string, status: U): Response & TypedResponse<JSONParsed<T>, U, "json"> {
  const response: Response = c.body(json, status, { "content-type": "application/json" });
  return response as Response & TypedResponse<JSONParsed<T>, U, "json">;
}

const errorDescriptions: Record<number, string> = {
  400: "The request is not valid (code `validation_failed` or `bad_request`).",
  401: "No token, or an expired or forged one.",
  403: "The caller may not do this.",
  404: "Unknown resource.",
  409: "Illegal transition or conflict.",
  413: "Body too large.",
  415: "Wrong Content-Type.",
  429: "Rate limited; see Retry-After.",
  503: "Not available on this server.",
};
const statusByCode: Partial<Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503>> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

/** The documented error responses of a route, all with the shared error body. */
export function errors(...codes: ErrorCode[]) {
  const responses: Record<number, { content: { "application/json": { schema: typeof ErrorBodySchema } }; description: string }> = {};
  for (const code of codes) {
    const status = statusByCode[code];
    if (status) responses[status] = jsonResponse(ErrorBodySchema, errorDescriptions[status]!);
  }
  return responses;
}

/** How a route is reached; names the OpenAPI security scheme and drives the access-rule test. */
type Security = { [scheme: string]: string[] }[];
export const access: Record<"site" | "visitor" | "agent" | "participant" | "admin" | "inbound" | "public", Security> = {
  site: [{ siteKey: [] }],
  visitor: [{ visitorToken: [] }],
  agent: [{ agentToken: [] }],
  /** Either side of a conversation: a visitor token or an agent token. */
  participant: [{ visitorToken: [] }, { agentToken: [] }],
  admin: [{ adminToken: [] }],
  /** The MTA or relay that posts inbound mail, with PARLEY_INBOUND_SECRET. */
  inbound: [{ inboundSecret: [] }],
  public: [],
};
