import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors.js";

/**
 * Refuses request bodies over `maxBytes` with 413 `payload_too_large`.
 *
 * Hono's `bodyLimit` first asks for `c.req.raw.body`, which makes @hono/node-server build a
 * full WHATWG Request for every request, GETs included (a large share of a cheap GET's CPU).
 * A GET or HEAD carries no body, and a declared Content-Length is enforced by the HTTP parser,
 * so those are decided from the headers; only a chunked body is counted by `bodyLimit` itself.
 */
export function bodySize(maxBytes: number): MiddlewareHandler {
  const refuse = () => {
    // The rest of the body is never read, so the connection cannot carry another request:
    // say so, or a keep-alive client reuses it and its next request dies with the socket.
    throw new ApiError("payload_too_large", `request bodies are limited to ${maxBytes / 1024} KiB`, undefined, { connection: "close" });
  };
  const counted = bodyLimit({ maxSize: maxBytes, onError: refuse });
  return async (c, next) => {
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (!/^\d+$/.test(length) || Number(length) > maxBytes) refuse();
      return next();
    }
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return counted(c, next);
  };
}
