import { createRoute } from "@hono/zod-openapi";
import { AssistantAnswerSchema, AssistantQueryBodySchema, TicketNumberParamsSchema, TicketSchema } from "../../protocol/index.js";
import { askAssistant, handOffToPerson } from "../commands/assistant.js";
import { routeGroup, type Services } from "../context.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { toTicket } from "../tickets/views.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const queryAssistant = createRoute({
  method: "post",
  path: "/v1/assistant/query",
  tags: ["visitor"],
  summary: "Ask the assistant: a short answer quoting the site's articles, with citations and a confidence; under the site's threshold it hands off to a person. With `ticket` (your own), the question and the answer join its conversation",
  security: access.visitor,
  request: { body: jsonBody(AssistantQueryBodySchema) },
  responses: {
    200: jsonResponse(AssistantAnswerSchema, "The answer."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "illegal_transition", "rate_limited"),
  },
});

const handOff = createRoute({
  method: "post",
  path: "/v1/tickets/{number}/handoff",
  tags: ["visitor"],
  summary: "Talk to a person: the same ticket goes to the team with its whole conversation",
  security: access.visitor,
  request: { params: TicketNumberParamsSchema },
  responses: {
    200: jsonResponse(TicketSchema, "The ticket, now waiting for the team."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "illegal_transition", "rate_limited"),
  },
});

/** Questions per visitor and per site per minute: each one reads the index for every word. */
export const ASSISTANT_LIMITS = { perVisitor: 20, perSite: 600, handoffsPerVisitor: 10 };

export function assistantRoutes(services: Services) {
  const app = routeGroup();
  app.on("POST", "/v1/assistant/query", serviceRateLimit(services, { limit: ASSISTANT_LIMITS.perVisitor, windowMs: 60_000, key: (c) => `assistant:${c.get("visitor").id}` }));
  app.on("POST", "/v1/assistant/query", serviceRateLimit(services, { limit: ASSISTANT_LIMITS.perSite, windowMs: 60_000, key: (c) => `assistant-site:${c.get("site").id}` }));
  app.on("POST", "/v1/tickets/:number/handoff", serviceRateLimit(services, { limit: ASSISTANT_LIMITS.handoffsPerVisitor, windowMs: 60_000, key: (c) => `handoff:${c.get("visitor").id}` }));
  return app
    .openapi(queryAssistant, async (c) => {
      const { question, ticket, clientId } = c.req.valid("json");
      return c.json(await askAssistant({ ...services, publicUrl: services.email.publicUrl }, { site: c.get("site"), visitor: c.get("visitor"), question, ticket, clientId }), 200);
    })
    .openapi(handOff, async (c) => {
      const ticket = await handOffToPerson(services, { visitor: c.get("visitor"), ticket: c.req.valid("param").number });
      return c.json(toTicket(ticket, (await services.reference.categories()).slugOf(ticket.categoryId), 0), 200);
    });
}
