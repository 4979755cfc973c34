import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
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
import { tickets } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { messagesAfter, unreadCounts, visitorTicket } from "../tickets/access.js";
import { appendMessage, moveReadMark, recordEvent } from "../tickets/store.js";
import { announceMessage } from "../realtime/fanout.js";
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

export function conversationRoutes(services: Services) {
  const app = routeGroup();
  app.on("POST", "/v1/tickets/:number/messages", serviceRateLimit(services, { limit: 60, windowMs: 60_000, key: (c) => `message:${c.get("visitor").id}`}));
  const { orm } = services.db;

  return app
    .openapi(listMessages, async (c) => {
      const { after, limit } = c.req.valid("query");
      const ticket = await visitorTicket(orm, c.get("visitor"), c.req.valid("param").number);
      const rows = await messagesAfter(orm, ticket.id, after, limit + 1, "customer");
      const page = rows.slice(0, limit);
      const more = rows.length > limit;
      return c.json({ items: page.map(toCustomerMessage), nextCursor: more ? String(page.at(-1)!.visibleSeq) : null }, 200);
    })
    .openapi(sendMessage, async (c) => {
      const body = c.req.valid("json");
      const visitor = c.get("visitor");
      const { number } = c.req.valid("param");
      const result = await services.db.write(async (tx) => {
        const ticket = await visitorTicket(tx, visitor, number);
        return appendMessage(
          tx,
          ticket,
          {
            clientId: body.clientId,
            body: body.body,
            senderType: "customer",
            senderId: visitor.id,
            senderName: visitor.name,
            internal: false,
            attachments: body.attachments ?? [],
          },
          services.now(),
        );
      });
      announceMessage(services.fanout, result);
      return c.json(toCustomerMessage(result.message), result.created ? 201 : 200);
    })
    .openapi(markRead, async (c) => {
      const { seq } = c.req.valid("json");
      const visitor = c.get("visitor");
      const { number } = c.req.valid("param");
      const { ticket, moved } = await services.db.write(async (tx) =>
        moveReadMark(tx, await visitorTicket(tx, visitor, number), "customer", seq, { type: "customer", id: visitor.id }, services.now()),
      );
      if (moved) services.fanout.readMarked(ticket, "customer");
      const unread = await unreadCounts(orm, [ticket], "customer");
      return c.json({ number: ticket.number, seq: ticket.visitorReadVisibleSeq, unreadCount: unread.get(ticket.id) ?? 0 }, 200);
    })
    .openapi(rateTicket, async (c) => {
      const { score, comment } = c.req.valid("json");
      const visitor = c.get("visitor");
      const { number } = c.req.valid("param");
      const ticket = await services.db.write(async (tx) => {
        const ticket = await visitorTicket(tx, visitor, number);
        if (ticket.status !== "resolved" && ticket.status !== "closed") {
          throw new ApiError("illegal_transition", `a ticket can be rated once it is resolved; this one is ${ticket.status}`, { status: ticket.status });
        }
        if (ticket.rating !== null) throw new ApiError("conflict", "this ticket has already been rated");
        const at = services.now();
        const [updated] = await tx
          .update(tickets)
          .set({ rating: score, ratingComment: comment ?? null, ratedAt: at, updatedAt: at })
          .where(eq(tickets.id, ticket.id))
          .returning();
        await recordEvent(tx, ticket.id, "rated", { type: "customer", id: visitor.id }, { score, comment: comment ?? null }, at);
        return updated!;
      });
      services.fanout.ticketChanged(ticket);
      return c.json(toTicket(ticket, (await services.reference.categories()).slugOf(ticket.categoryId), 0), 200);
    });
}
