import { createRoute } from "@hono/zod-openapi";
import { MessageHitSchema, MessageSearchQuerySchema, pageOf } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { searchMessages } from "../tickets/message-search.js";
import { access, errors, jsonResponse } from "./openapi.js";

const searchMessagesRoute = createRoute({
  method: "get",
  path: "/v1/agent/search/messages",
  tags: ["agent"],
  security: access.agent,
  summary: "Full-text search over the messages and internal notes of the tickets the caller may see, newest first",
  request: { query: MessageSearchQuerySchema },
  responses: {
    200: jsonResponse(pageOf(MessageHitSchema), "A page of matching messages; excerpts mark matched words with **."),
    ...errors("validation_failed", "unauthorized"),
  },
});

export function agentSearchRoutes(services: Services) {
  const { orm } = services.db;
  return routeGroup().openapi(searchMessagesRoute, async (c) => {
    // Messages are indexed after their commit: what is still waiting is indexed first, so a search never misses one.
    await services.messageIndex.catchUp();
    return c.json(await searchMessages(orm, c.get("siteScope"), c.req.valid("query")), 200);
  });
}
