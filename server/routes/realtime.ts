import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { RealtimeTokenBodySchema, RealtimeTokenSchema, type RoomClaims } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { sites } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import { signConnectTicket } from "../realtime/connect-ticket.js";
import { ticketByNumber, visitorTicket } from "../tickets/access.js";
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
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "unavailable"),
  },
});

type Claims = Omit<RoomClaims, "jti" | "exp">;

export function realtimeRoutes(services: Services) {
  const { orm } = services.db;
  return routeGroup().openapi(issue, async (c) => {
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
      if ("ticket" in body) {
        const ticket = await ticketByNumber(orm, body.ticket);
        claims = { ...common, party: "ticket", room: ticket.id, site: ticket.siteId };
      } else {
        const site = await orm.query.sites.findFirst({ where: eq(sites.id, body.site) });
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
