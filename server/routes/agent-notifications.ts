import { createRoute } from "@hono/zod-openapi";
import { AgentNotificationsSchema } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { isoTime } from "../domain/iso-time.js";
import { dashboardCounts } from "../tickets/dashboard-counts.js";
import { access, errors, jsonResponse } from "./openapi.js";

const notifications = createRoute({
  method: "get",
  path: "/v1/agent/notifications",
  tags: ["agent"],
  security: access.agent,
  summary: "Dashboard counts over the caller's sites: open, in progress, unassigned, at risk, breached, my unread",
  description:
    "Counted at the server's clock over unfinished tickets (open, in_progress, pending_customer, escalated) of the sites the caller works on (every site for an admin). " +
    "Fetch again when the site room sends ticket.created, ticket.updated, unread.changed, sla.warning or sla.breached.",
  responses: { 200: jsonResponse(AgentNotificationsSchema, "The counts."), ...errors("unauthorized") },
});

export function agentNotificationRoutes(services: Services) {
  return routeGroup().openapi(notifications, async (c) => {
    const at = services.now();
    const counts = await dashboardCounts(services.db.orm, c.get("siteScope"), c.get("agent").id, at);
    return c.json({ at: isoTime(at), counts }, 200);
  });
}
