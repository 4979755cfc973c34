import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import {
  CannedRenderingSchema,
  CannedResponseListQuerySchema,
  CannedResponseSchema,
  CreateCannedResponseBodySchema,
  IdParamsSchema,
  IdSchema,
  OkSchema,
  TicketNumberSchema,
  UpdateCannedResponseBodySchema,
  UseCannedResponseBodySchema,
  pageOf,
} from "../../protocol/index.js";
import { afterCursor, pageFrom } from "../admin/request.js";
import { createCannedResponse, deleteCannedResponse, listUsable, updateCannedResponse, usableResponse } from "../canned/store.js";
import { toCannedResponse } from "../canned/views.js";
import { useCannedResponse } from "../commands/canned-reply.js";
import type { SiteScope } from "../domain/site-scope.js";
import { routeGroup, type AgentRow, type Services } from "../context.js";
import { cannedResponses } from "../db/schema.js";
import type { CannedCaller } from "../domain/canned-access.js";
import { toMessage } from "../tickets/views.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const tags = ["agent"];
const security = access.agent;
const path = "/v1/agent/canned-responses";
const scopes =
  "Scopes: `site` (every agent of the site), `team` (one department's agents, and admins) and `personal` (the author alone; " +
  "nobody else, admins included, sees it). Agents write personal responses; admins write any scope.";

const list = createRoute({
  method: "get",
  path,
  tags,
  security,
  summary: "The canned responses the caller may use, in shortcut order",
  description: `${scopes} A personal, a team and a site response may share a shortcut; each is listed.`,
  request: { query: CannedResponseListQuerySchema },
  responses: { 200: jsonResponse(pageOf(CannedResponseSchema), "A page of responses."), ...errors("validation_failed", "unauthorized") },
});

const create = createRoute({
  method: "post",
  path,
  tags,
  security,
  summary: "Write a canned response: a shortcut, a title and a body with placeholders",
  description: `${scopes} Placeholders: \`{{customer.name}}\`, \`{{agent.name}}\`, \`{{ticket.number}}\`, \`{{ticket.subject}}\`, with an optional fallback \`{{customer.name | there}}\`; any other \`{{…}}\` is refused.`,
  request: { body: jsonBody(CreateCannedResponseBodySchema) },
  responses: { 201: jsonResponse(CannedResponseSchema, "The new response."), ...errors("validation_failed", "unauthorized", "forbidden", "conflict") },
});

const get = createRoute({
  method: "get",
  path: `${path}/{id}`,
  tags,
  security,
  summary: "One canned response the caller may use (any other is 404)",
  request: { params: IdParamsSchema },
  responses: { 200: jsonResponse(CannedResponseSchema, "The response."), ...errors("validation_failed", "unauthorized", "not_found") },
});

const update = createRoute({
  method: "patch",
  path: `${path}/{id}`,
  tags,
  security,
  summary: "Change a canned response's shortcut, title or body (its scope stays)",
  request: { params: IdParamsSchema, body: jsonBody(UpdateCannedResponseBodySchema) },
  responses: { 200: jsonResponse(CannedResponseSchema, "The response."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict") },
});

const remove = createRoute({
  method: "delete",
  path: `${path}/{id}`,
  tags,
  security,
  summary: "Delete a canned response",
  request: { params: IdParamsSchema },
  responses: { 200: jsonResponse(OkSchema, "Deleted."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const use = createRoute({
  method: "post",
  path: "/v1/agent/tickets/{number}/canned/{id}",
  tags,
  security,
  summary: "Fill a canned response in for a ticket, and send it as the caller's reply with `send: true`",
  description:
    "Placeholders are filled on the server from the ticket and the caller; the values are inserted as plain text and never read as template or markup. " +
    "Without `send` (or with `send: false`) nothing is stored. With `send: true` and a `clientId` the text is posted like any reply (idempotent by clientId; `internal: true` makes it a note).",
  request: { params: z.object({ number: TicketNumberSchema, id: IdSchema }), body: jsonBody(UseCannedResponseBodySchema) },
  responses: {
    200: jsonResponse(CannedRenderingSchema, "The filled-in text (and the stored message, when this clientId was already sent)."),
    201: jsonResponse(CannedRenderingSchema, "Sent: the filled-in text and the new message."),
    ...errors("validation_failed", "unauthorized", "not_found", "conflict"),
  },
});

const callerOf = (agent: AgentRow, sites: SiteScope): CannedCaller => ({ id: agent.id, role: agent.role, departmentId: agent.departmentId, sites });

export function agentCannedResponseRoutes(services: Services) {
  const { db } = services;
  return routeGroup()
    .openapi(list, async (c) => {
      const query = c.req.valid("query");
      const rows = await listUsable(db.orm, callerOf(c.get("agent"), c.get("siteScope")), query, afterCursor(cannedResponses.shortcut, cannedResponses.id, query.cursor));
      return c.json(pageFrom(rows, query.limit, (row) => [row.shortcut, row.id], toCannedResponse), 200);
    })
    .openapi(create, async (c) => {
      const row = await createCannedResponse(db, services.now(), callerOf(c.get("agent"), c.get("siteScope")), c.req.valid("json"));
      return c.json(toCannedResponse(row), 201);
    })
    .openapi(get, async (c) => c.json(toCannedResponse(await usableResponse(db.orm, callerOf(c.get("agent"), c.get("siteScope")), c.req.valid("param").id)), 200))
    .openapi(update, async (c) => {
      const row = await updateCannedResponse(db, services.now(), callerOf(c.get("agent"), c.get("siteScope")), c.req.valid("param").id, c.req.valid("json"));
      return c.json(toCannedResponse(row), 200);
    })
    .openapi(remove, async (c) => {
      await deleteCannedResponse(db, callerOf(c.get("agent"), c.get("siteScope")), c.req.valid("param").id);
      return c.json({ ok: true as const }, 200);
    })
    .openapi(use, async (c) => {
      const { number, id } = c.req.valid("param");
      const body = c.req.valid("json");
      const agent = c.get("agent");
      const result = await useCannedResponse(services, {
        // The same reference the other agent ticket routes build, so the same access check applies.
        ticket: { number, scope: c.get("siteScope") },
        responseId: id,
        agent: { ...callerOf(agent, c.get("siteScope")), name: agent.name },
        send: body.send ? { clientId: body.clientId, internal: body.internal } : null,
      });
      const rendering = { responseId: id, body: result.body, message: result.message ? toMessage(result.message) : null };
      return c.json(rendering, result.created ? 201 : 200);
    });
}
