import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { AssistantInteractionListQuerySchema, AssistantInteractionSchema, AssistantUsageDaySchema, AssistantUsageQuerySchema, pageOf } from "../../protocol/index.js";
import { listInteractions, usageDays } from "../assistant/interactions.js";
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

const listAssistantUsage = createRoute({
  method: "get",
  path: "/v1/admin/assistant/usage",
  tags: ["admin"],
  summary: "A site's AI tokens per UTC day, newest first, as the ai-usage job last judged them (anomaly: over three times the trailing seven-day mean)",
  security: access.admin,
  request: { query: AssistantUsageQuerySchema },
  responses: { 200: jsonResponse(z.object({ items: z.array(AssistantUsageDaySchema) }), "The days."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

export function adminAssistantRoutes(services: Services) {
  return routeGroup()
    .openapi(listAssistantInteractions, async (c) => c.json(await listInteractions(services.db.orm, c.req.valid("query")), 200))
    .openapi(listAssistantUsage, async (c) => c.json({ items: await usageDays(services.db.orm, c.req.valid("query")) }, 200));
}
