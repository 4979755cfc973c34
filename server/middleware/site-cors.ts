import { createMiddleware } from "hono/factory";
import type { AppEnv, Services } from "../context.js";
import { sites } from "../db/schema.js";
import { ApiError } from "./errors.js";

const ALLOWED_HEADERS = "Authorization, Content-Type, X-Parley-Site";
const ALLOWED_METHODS = "GET, POST, OPTIONS";

/**
 * CORS for the visitor API. A browser preflight does not say which site it is for, so it
 * passes when any site lists the origin; the real request is then held to its own site's
 * list by `assertOriginAllowed`. Requests without an Origin (servers, the SDK in Node) pass.
 */
export const siteCors = (services: Services) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header("origin");
    if (!origin) return next();
    if (c.req.method === "OPTIONS") {
      // Only a preflight needs every site's list; a real request is checked against its own site.
      const rows = await services.db.orm.select({ allowed: sites.allowedOrigins }).from(sites);
      const known = rows.some((row) => row.allowed.includes("*") || row.allowed.includes(origin));
      if (!known) return c.body(null, 204);
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
      c.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      c.header("Access-Control-Max-Age", "600");
      c.header("Vary", "Origin");
      return c.body(null, 204);
    }
    await next();
    const site = c.get("site");
    if (site && (site.allowedOrigins.includes("*") || site.allowedOrigins.includes(origin))) {
      c.res.headers.set("Access-Control-Allow-Origin", origin);
      c.res.headers.append("Vary", "Origin");
    }
  });

/** Refuses a browser request from an origin the site has not allowed. */
export const assertOriginAllowed = (origin: string | undefined, allowed: string[]) => {
  if (origin && !allowed.includes("*") && !allowed.includes(origin)) {
    throw new ApiError("forbidden", `origin ${origin} is not allowed for this site`);
  }
};
