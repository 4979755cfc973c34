import { createRoute } from "@hono/zod-openapi";
import {
  CreateTicketBodySchema,
  TicketNumberParamsSchema,
  TicketSchema,
  VisitorTicketListQuerySchema,
  pageOf,
  type Ticket,
} from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { ticketCustomer } from "../domain/visitor-profile.js";
import { visitorPriority } from "../domain/visitor-rules.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { visitorTicketJson } from "../tickets/visitor-ticket-json.js";
import { openTicket } from "../commands/open-ticket.js";
import { pageWithoutQuery } from "../domain/visitor-context.js";
import { listVisitorTickets } from "../commands/visitor-tickets.js";
import type { Actor } from "../tickets/store.js";
import { toTicket } from "../tickets/views.js";
import { access, errors, jsonBody, jsonResponse, serializedJson } from "./openapi.js";

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
          // A visitor asking for `urgent` gets `high` (visitor-rules.ts); the team may raise it.
          priority: visitorPriority(body.priority),
          source: body.source ?? "widget",
          clientId: body.clientId,
          pageUrl: pageWithoutQuery(body.pageUrl),
          customerLocale: body.locale ?? null,
        },
        actor,
      );
      const view = toTicket(ticket, (await services.reference.categories()).slugOf(ticket.categoryId), 0);
      return created ? c.json(view, 201) : c.json(view, 200);
    })
    .openapi(listTickets, async (c) => {
      const { status, cursor, limit } = c.req.valid("query");
      const page = await listVisitorTickets({ db: services.db, categories: () => services.reference.categories() }, { visitor: c.get("visitor"), status, cursor, limit });
      return c.json(page, 200);
    })
    .openapi(getTicket, async (c) => {
      // With the visitor+site row the auth check read, this is the request's second and last
      // query; neither runs again while the database stays as it was (the stamp auth read).
      const json = await visitorTicketJson(services.db, c.get("visitor"), c.req.valid("param").number, await services.reference.categories(), c.get("changeStamp"));
      return serializedJson<Ticket, 200>(c, json, 200);
    });
}
