import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { RealtimeTokenBodySchema, RealtimeTokenSchema, type RoomClaims } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { sites } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { signConnectTicket } from "../realtime/connect-ticket.js";
import { visitorTicket } from "../tickets/access.js";
import { agentTicket, scopeIncludesSite } from "../tickets/scope.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const issue = createRoute({
  method: "post",
  path: "/v1/realtime/token",
  tags: ["realtime"],
  summary: "A 60-second connect ticket for a ticket room (visitor or agent) or a site room (agents)",
  security: access.participant,
  request: { body: jsonBody(RealtimeTokenBodySchema) },
  responses: {
    200: jsonResponse(RealtimeTokenSchema, "Connect to `${host}/parties/${party}/${room}?ticket=${token}`."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "rate_limited", "unavailable"),
  },
});

type Claims = Omit<RoomClaims, "jti" | "exp">;

/**
 * Connect tickets per caller per minute. A client needs one per connection attempt, and the
 * SDK backs off between attempts, so even several tabs reconnecting stay far below it.
 */
export const REALTIME_TOKEN_LIMIT = { limit: 60, windowMs: 60_000 } as const;

export function realtimeRoutes(services: Services) {
  const { orm } = services.db;
  const app = routeGroup();
  // Runs after requireVisitorOrAgent (app.ts), so the caller is known and checked.
  app.use(
    "/v1/realtime/token",
    serviceRateLimit(services, {
      ...REALTIME_TOKEN_LIMIT,
      key: (c) => (c.get("caller") === "agent" ? `realtime:agent:${c.get("agent").id}` : `realtime:visitor:${c.get("visitor").id}`),
    }),
  );
  return app.openapi(issue, async (c) => {
    const body = c.req.valid("json");
    let claims: Claims;

    if (c.get("caller") === "visitor") {
      const visitor = c.get("visitor");
      if (!("ticket" in body)) throw new ApiError("forbidden", "visitors may only join their own tickets' rooms");
      const ticket = await visitorTicket(orm, visitor, body.ticket);
      const origins = c.get("site").allowedOrigins;
      claims = { party: "ticket", room: ticket.id, site: ticket.siteId, sub: visitor.id, kind: "visitor", name: visitor.name, origins };
    } else {
      const agent = c.get("agent");
      // The agent token is what protects these rooms; agents work from the inbox on any origin.
      const common = { sub: agent.id, kind: "agent" as const, name: agent.name, origins: ["*"] };
      // Only the rooms of the agent's own sites: another site's ticket or site room answers 404, as an unknown one.
      const scope = c.get("siteScope");
      if ("ticket" in body) {
        const ticket = await agentTicket(orm, scope, body.ticket);
        claims = { ...common, party: "ticket", room: ticket.id, site: ticket.siteId };
        services.ticketRooms.joined(agent.id, ticket.id);
      } else {
        const site = scopeIncludesSite(scope, body.site) ? await orm.query.sites.findFirst({ where: eq(sites.id, body.site) }) : undefined;
        if (!site) throw new ApiError("not_found", "unknown site");
        claims = { ...common, party: "site", room: site.id, site: site.id };
      }
    }

    const realtime = services.realtime;
    if (!realtime) throw new ApiError("unavailable", "realtime is not configured on this server (PARLEY_ROOMS=off and no PARLEY_REALTIME_URL)");
    const ticket = await signConnectTicket(realtime.secret, claims, services.now());
    return c.json({ ...ticket, host: realtime.url(c), party: claims.party, room: claims.room }, 200);
  });
}
