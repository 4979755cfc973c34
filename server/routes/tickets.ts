import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, lt, or } from "drizzle-orm";
import {
  CreateTicketBodySchema,
  TicketNumberParamsSchema,
  TicketSchema,
  VisitorTicketListQuerySchema,
  pageOf,
} from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { tickets } from "../db/schema.js";
import { ticketCustomer } from "../domain/visitor-profile.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { unreadCounts, visitorTicketWithUnread } from "../tickets/access.js";
import { decodeCursor, encodeCursor } from "../tickets/cursor.js";
import { openTicket } from "../commands/open-ticket.js";
import type { Actor } from "../tickets/store.js";
import { toTicket } from "../tickets/views.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const createTicketRoute = createRoute({
  method: "post",
  path: "/v1/tickets",
  tags: ["visitor"],
  summary: "Open a ticket (idempotent by clientId)",
  security: access.visitor,
  request: { body: jsonBody(CreateTicketBodySchema) },
  responses: {
    201: jsonResponse(TicketSchema, "The new ticket."),
    200: jsonResponse(TicketSchema, "A ticket with this clientId already existed; here it is."),
    ...errors("validation_failed", "unauthorized", "rate_limited"),
  },
});

const listTickets = createRoute({
  method: "get",
  path: "/v1/tickets",
  tags: ["visitor"],
  summary: "The visitor's own tickets, newest first",
  security: access.visitor,
  request: { query: VisitorTicketListQuerySchema },
  responses: { 200: jsonResponse(pageOf(TicketSchema), "A page of tickets."), ...errors("validation_failed", "unauthorized") },
});

const getTicket = createRoute({
  method: "get",
  path: "/v1/tickets/{number}",
  tags: ["visitor"],
  summary: "One of the visitor's tickets",
  security: access.visitor,
  request: { params: TicketNumberParamsSchema },
  responses: {
    200: jsonResponse(TicketSchema, "The ticket."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found"),
  },
});

export function ticketRoutes(services: Services) {
  const app = routeGroup();
  app.on("POST", "/v1/tickets", serviceRateLimit(services, { limit: 20, windowMs: 60_000, key: (c) => `ticket:${c.get("visitor").id}`}));
  const { orm } = services.db;

  return app
    .openapi(createTicketRoute, async (c) => {
      const body = c.req.valid("json");
      const visitor = c.get("visitor");
      const actor: Actor = { type: "customer", id: visitor.id };
      const customer = ticketCustomer(visitor, body);
      const { ticket, created } = await openTicket(
        services,
        {
          siteId: visitor.siteId,
          visitorId: visitor.id,
          customerName: customer.name,
          customerEmail: customer.email,
          subject: body.subject,
          description: body.description,
          categorySlug: body.category,
          priority: body.priority,
          source: body.source ?? "widget",
          clientId: body.clientId,
        },
        actor,
      );
      const view = toTicket(ticket, (await services.reference.categories()).slugOf(ticket.categoryId), 0);
      return created ? c.json(view, 201) : c.json(view, 200);
    })
    .openapi(listTickets, async (c) => {
      const query = c.req.valid("query");
      const visitor = c.get("visitor");
      const after = decodeCursor(query.cursor);
      const rows = await orm
        .select()
        .from(tickets)
        .where(
          and(
            eq(tickets.visitorId, visitor.id),
            query.status ? eq(tickets.status, query.status) : undefined,
            after ? or(lt(tickets.createdAt, Number(after.value)), and(eq(tickets.createdAt, Number(after.value)), lt(tickets.id, after.id))) : undefined,
          ),
        )
        .orderBy(desc(tickets.createdAt), desc(tickets.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const [categories, unread] = await Promise.all([services.reference.categories(), unreadCounts(orm, page, "customer")]);
      return c.json(
        {
          items: page.map((row) => toTicket(row, categories.slugOf(row.categoryId), unread.get(row.id) ?? 0)),
          nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
        },
        200,
      );
    })
    .openapi(getTicket, async (c) => {
      // With the visitor+site row the auth check read, this is the request's second and last query.
      const { ticket, unread } = await visitorTicketWithUnread(orm, c.get("visitor"), c.req.valid("param").number);
      return c.json(toTicket(ticket, (await services.reference.categories()).slugOf(ticket.categoryId), unread), 200);
    });
}
