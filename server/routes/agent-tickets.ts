import { createRoute } from "@hono/zod-openapi";
import { agentAssistRoutes } from "./agent-assist.js";
import { eq, sql } from "drizzle-orm";
import {
  AgentTicketListQuerySchema,
  AgentTicketSchema,
  CreateAgentMessageBodySchema,
  AgentMessageListQuerySchema,
  MessageSchema,
  ReadMarkBodySchema,
  ReadMarkSchema,
  TicketEventSchema,
  TicketNumberParamsSchema,
  UpdateTicketBodySchema,
  pageOf,
  type AgentTicket,
  type Page,
} from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { ticketEvents } from "../db/schema.js";
import { changeTicket } from "../commands/ticket-actions.js";
import { listMessages as listMessagesOf, markRead as markReadOf, postMessage } from "../commands/ticket-messages.js";
import { agentTicket } from "../tickets/scope.js";
import { presentAgentTicket } from "../tickets/present.js";
import { queueJson } from "../tickets/queue.js";
import { toMessage, toTicketEvent } from "../tickets/views.js";
import { agentBulkRoutes } from "./agent-bulk.js";
import { agentCannedResponseRoutes } from "./agent-canned-responses.js";
import { agentNotificationRoutes } from "./agent-notifications.js";
import { agentProfileRoutes } from "./agent-profile.js";
import { agentSearchRoutes } from "./agent-search.js";
import { agentStatsRoutes } from "./agent-stats.js";
import { agentTicketActionRoutes } from "./agent-ticket-actions.js";
import { access, errors, jsonBody, jsonResponse, serializedJson } from "./openapi.js";

const params = TicketNumberParamsSchema;
const tags = ["agent"];
const security = access.agent;

const listQueue = createRoute({
  method: "get",
  path: "/v1/agent/tickets",
  tags,
  security,
  summary: "The ticket queue: filters, search, sort and cursor pagination",
  request: { query: AgentTicketListQuerySchema },
  responses: { 200: jsonResponse(pageOf(AgentTicketSchema), "A page of tickets."), ...errors("validation_failed", "unauthorized") },
});

const getTicket = createRoute({
  method: "get",
  path: "/v1/agent/tickets/{number}",
  tags,
  security,
  summary: "One ticket with routing and SLA fields",
  request: { params },
  responses: { 200: jsonResponse(AgentTicketSchema, "The ticket."), ...errors("validation_failed", "unauthorized", "not_found") },
});

const patchTicket = createRoute({
  method: "patch",
  path: "/v1/agent/tickets/{number}",
  tags,
  security,
  summary: "Change status, priority, category, tags or department",
  request: { params, body: jsonBody(UpdateTicketBodySchema) },
  responses: {
    200: jsonResponse(AgentTicketSchema, "The updated ticket."),
    ...errors("validation_failed", "unauthorized", "not_found", "conflict"),
  },
});

const listMessages = createRoute({
  method: "get",
  path: "/v1/agent/tickets/{number}/messages",
  tags,
  security,
  summary: "Messages and internal notes after a seq, or (with `before`) the page just below one",
  request: { params, query: AgentMessageListQuerySchema },
  responses: { 200: jsonResponse(pageOf(MessageSchema), "Messages in seq order; nextCursor is the seq to pass as `after` (or, paging back, as `before`) for more."), ...errors("validation_failed", "unauthorized", "not_found") },
});

const sendMessage = createRoute({
  method: "post",
  path: "/v1/agent/tickets/{number}/messages",
  tags,
  security,
  summary: "Reply to the customer, or add an internal note (internal: true)",
  request: { params, body: jsonBody(CreateAgentMessageBodySchema) },
  responses: {
    201: jsonResponse(MessageSchema, "Stored with its seq."),
    200: jsonResponse(MessageSchema, "This clientId was already stored; the stored message."),
    ...errors("validation_failed", "unauthorized", "not_found", "conflict"),
  },
});

const history = createRoute({
  method: "get",
  path: "/v1/agent/tickets/{number}/history",
  tags,
  security,
  summary: "The ticket's immutable audit trail, oldest first",
  request: { params },
  responses: { 200: jsonResponse(pageOf(TicketEventSchema), "Every recorded change."), ...errors("validation_failed", "unauthorized", "not_found") },
});

const markRead = createRoute({
  method: "post",
  path: "/v1/agent/tickets/{number}/read",
  tags,
  security,
  summary: "Mark the customer's messages up to a seq as read by the team",
  request: { params, body: jsonBody(ReadMarkBodySchema) },
  responses: { 200: jsonResponse(ReadMarkSchema, "The team's read mark."), ...errors("validation_failed", "unauthorized", "not_found") },
});

export function agentTicketRoutes(services: Services) {
  const { orm } = services.db;
  return routeGroup()
    .openapi(listQueue, async (c) => {
      const now = services.now();
      const json = await queueJson(services.db, c.req.valid("query"), c.get("agent").id, c.get("siteScope"), await services.reference.categories(), now, c.get("changeStamp"));
      return serializedJson<Page<AgentTicket>, 200>(c, json, 200);
    })
    .openapi(getTicket, async (c) => {
      const ticket = await agentTicket(orm, c.get("siteScope"), c.req.valid("param").number);
      return c.json(await presentAgentTicket(orm, ticket, services.now(), await services.reference.categories()), 200);
    })
    .openapi(patchTicket, async (c) => {
      const ticket = await changeTicket(services, { ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") }, change: c.req.valid("json"), actor: { type: "agent", id: c.get("agent").id } });
      return c.json(await presentAgentTicket(orm, ticket, services.now(), await services.reference.categories()), 200);
    })
    .openapi(listMessages, async (c) => {
      const { after, limit, before } = c.req.valid("query");
      return c.json(await listMessagesOf(services, { ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") }, after, limit, before }), 200);
    })
    .openapi(sendMessage, async (c) => {
      const body = c.req.valid("json");
      const agent = c.get("agent");
      const result = await postMessage(services, {
        ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") },
        clientId: body.clientId,
        body: body.body,
        sender: { type: "agent", id: agent.id, name: agent.name },
        internal: body.internal,
        attachments: body.attachments ?? [],
      });
      return c.json(toMessage(result.message), result.created ? 201 : 200);
    })
    .openapi(history, async (c) => {
      const ticket = await agentTicket(orm, c.get("siteScope"), c.req.valid("param").number);
      const rows = await orm.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id)).orderBy(sql`rowid`);
      return c.json({ items: rows.map(toTicketEvent), nextCursor: null }, 200);
    })
    .openapi(markRead, async (c) => {
      const agent = c.get("agent");
      const mark = await markReadOf(services, { ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") }, side: "agent", seq: c.req.valid("json").seq, actor: { type: "agent", id: agent.id } });
      return c.json(mark, 200);
    })
    .route("/", agentTicketActionRoutes(services))
    .route("/", agentBulkRoutes(services))
    .route("/", agentAssistRoutes(services))
    .route("/", agentCannedResponseRoutes(services))
    .route("/", agentProfileRoutes(services))
    .route("/", agentNotificationRoutes(services))
    .route("/", agentStatsRoutes(services))
    .route("/", agentSearchRoutes(services));
}
