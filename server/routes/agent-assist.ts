import { createRoute } from "@hono/zod-openapi";
import { AgentAssistSchema, TicketNumberParamsSchema } from "../../protocol/index.js";
import { assistForTicket } from "../assistant/agent-assist.js";
import { routeGroup, type Services } from "../context.js";
import { access, errors, jsonResponse } from "./openapi.js";

const assist = createRoute({
  method: "get",
  path: "/v1/agent/tickets/{number}/assist",
  tags: ["agent"],
  security: access.agent,
  summary: "Suggested articles for the ticket's latest customer messages and a reply draft to edit (nothing is sent)",
  request: { params: TicketNumberParamsSchema },
  responses: { 200: jsonResponse(AgentAssistSchema, "Articles and a draft (null when no article fits)."), ...errors("validation_failed", "unauthorized", "not_found") },
});

export function agentAssistRoutes(services: Services) {
  return routeGroup().openapi(assist, async (c) => c.json(await assistForTicket(services.db.orm, c.get("siteScope"), c.req.valid("param").number, services.email.publicUrl), 200));
}
