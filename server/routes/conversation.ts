import { createRoute } from "@hono/zod-openapi";
import {
  CreateMessageBodySchema,
  MessageListQuerySchema,
  MessageSchema,
  RatingBodySchema,
  ReadMarkBodySchema,
  ReadMarkSchema,
  TicketNumberParamsSchema,
  TicketSchema,
  pageOf,
} from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { close, rate } from "../commands/ticket-actions.js";
import { listMessages as listMessagesOf, markRead as markReadOf, postMessage } from "../commands/ticket-messages.js";
import { toCustomerMessage, toTicket } from "../tickets/views.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const params = TicketNumberParamsSchema;

const listMessages = createRoute({
  method: "get",
  path: "/v1/tickets/{number}/messages",
  tags: ["visitor"],
  summary: "Messages after a seq (internal notes never appear; seqs count the customer's messages 1, 2, 3… without gaps)",
  security: access.visitor,
  request: { params, query: MessageListQuerySchema },
  responses: {
    200: jsonResponse(pageOf(MessageSchema), "Messages in seq order; nextCursor is the seq to pass as `after` for more."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found"),
  },
});

const sendMessage = createRoute({
  method: "post",
  path: "/v1/tickets/{number}/messages",
  tags: ["visitor"],
  summary: "Send a message (idempotent by clientId)",
  security: access.visitor,
  request: { params, body: jsonBody(CreateMessageBodySchema) },
  responses: {
    201: jsonResponse(MessageSchema, "Stored with its seq."),
    200: jsonResponse(MessageSchema, "This clientId was already stored; the stored message."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict", "rate_limited"),
  },
});

const markRead = createRoute({
  method: "post",
  path: "/v1/tickets/{number}/read",
  tags: ["visitor"],
  summary: "Mark messages up to a seq as read",
  security: access.visitor,
  request: { params, body: jsonBody(ReadMarkBodySchema) },
  responses: { 200: jsonResponse(ReadMarkSchema, "The read mark."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const rateTicket = createRoute({
  method: "post",
  path: "/v1/tickets/{number}/rating",
  tags: ["visitor"],
  summary: "Rate a resolved or closed ticket (CSAT 1–5)",
  security: access.visitor,
  request: { params, body: jsonBody(RatingBodySchema) },
  responses: {
    200: jsonResponse(TicketSchema, "The rated ticket."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict"),
  },
});

const closeTicket = createRoute({
  method: "post",
  path: "/v1/tickets/{number}/close",
  tags: ["visitor"],
  summary: "Close your own resolved ticket (confirms the fix); any other state is 409",
  security: access.visitor,
  request: { params },
  responses: {
    200: jsonResponse(TicketSchema, "The closed ticket."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict"),
  },
});

export function conversationRoutes(services: Services) {
  const app = routeGroup();
  app.on("POST", "/v1/tickets/:number/messages", serviceRateLimit(services, { limit: 60, windowMs: 60_000, key: (c) => `message:${c.get("visitor").id}`}));
  return app
    .openapi(listMessages, async (c) => {
      const { after, limit } = c.req.valid("query");
      return c.json(await listMessagesOf(services, { ticket: { number: c.req.valid("param").number, visitor: c.get("visitor") }, after, limit }), 200);
    })
    .openapi(sendMessage, async (c) => {
      const body = c.req.valid("json");
      const visitor = c.get("visitor");
      const result = await postMessage(services, {
        ticket: { number: c.req.valid("param").number, visitor },
        clientId: body.clientId,
        body: body.body,
        sender: { type: "customer", id: visitor.id, name: visitor.name },
        internal: false,
        attachments: body.attachments ?? [],
      });
      return c.json(toCustomerMessage(result.message), result.created ? 201 : 200);
    })
    .openapi(markRead, async (c) => {
      const visitor = c.get("visitor");
      const mark = await markReadOf(services, {
        ticket: { number: c.req.valid("param").number, visitor },
        side: "customer",
        seq: c.req.valid("json").seq,
        actor: { type: "customer", id: visitor.id },
      });
      return c.json(mark, 200);
    })
    .openapi(rateTicket, async (c) => {
      const { score, comment } = c.req.valid("json");
      const visitor = c.get("visitor");
      const ticket = await rate(services, { ticket: { number: c.req.valid("param").number, visitor }, score, comment: comment ?? null, actor: { type: "customer", id: visitor.id } });
      return c.json(toTicket(ticket, (await services.reference.categories()).slugOf(ticket.categoryId), 0), 200);
    })
    .openapi(closeTicket, async (c) => {
      const visitor = c.get("visitor");
      const ticket = await close(services, { ticket: { number: c.req.valid("param").number, visitor }, actor: { type: "customer", id: visitor.id } });
      return c.json(toTicket(ticket, (await services.reference.categories()).slugOf(ticket.categoryId), 0), 200);
    });
}
