import { createRoute } from "@hono/zod-openapi";
import { AssistantInteractionListQuerySchema, AssistantInteractionSchema, pageOf } from "../../protocol/index.js";
import { listInteractions } from "../assistant/interactions.js";
import { routeGroup, type Services } from "../context.js";
import { access, errors, jsonResponse } from "./openapi.js";

const listAssistantInteractions = createRoute({
  method: "get",
  path: "/v1/admin/assistant/interactions",
  tags: ["admin"],
  summary: "A site's assistant interactions, newest first: provider, model, prompt, response, citations, latency, confidence, tokens, handoff, error",
  security: access.admin,
  request: { query: AssistantInteractionListQuerySchema },
  responses: { 200: jsonResponse(pageOf(AssistantInteractionSchema), "A page of interactions."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

export function adminAssistantRoutes(services: Services) {
  return routeGroup().openapi(listAssistantInteractions, async (c) => c.json(await listInteractions(services.db.orm, c.req.valid("query")), 200));
}
