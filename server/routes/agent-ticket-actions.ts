import { createRoute } from "@hono/zod-openapi";
import type { ZodObject } from "zod";
import {
  AgentTicketSchema,
  AssignTicketBodySchema,
  EscalateTicketBodySchema,
  CloseTicketBodySchema,
  ResolveTicketBodySchema,
  RoutingResultSchema,
  TicketNumberParamsSchema,
} from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { assign as assignTicket, claim as claimTicket, close as closeTicket, escalate as escalateTicket, resolve as resolveTicket } from "../commands/ticket-actions.js";
import { routeTicket } from "../commands/route-ticket.js";
import { presentAgentTicket } from "../tickets/present.js";
import type { Actor } from "../tickets/store.js";
import type { TicketRow } from "../tickets/views.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const action = <Path extends string, Body extends ZodObject>(
  path: Path,
  summary: string,
  body: Body,
) =>
  createRoute({
    method: "post",
    path,
    tags: ["agent"],
    security: access.agent,
    summary,
    request: { params: TicketNumberParamsSchema, body: jsonBody(body) },
    responses: {
      200: jsonResponse(AgentTicketSchema, "The updated ticket."),
      ...errors("validation_failed", "unauthorized", "not_found", "conflict"),
    },
  });

const assign = action("/v1/agent/tickets/{number}/assign", "Assign to an agent, or unassign with null", AssignTicketBodySchema);
const escalate = action(
  "/v1/agent/tickets/{number}/escalate",
  "Escalate to the next tier or a named one, optionally into another department and to a named agent (a member of the site of that tier or higher)",
  EscalateTicketBodySchema,
);
const resolve = action("/v1/agent/tickets/{number}/resolve", "Mark resolved", ResolveTicketBodySchema);
const close = action(
  "/v1/agent/tickets/{number}/close",
  "Close for good; a note is said to the customer (posted in the conversation and quoted in the closed email)",
  CloseTicketBodySchema,
);

const claim = createRoute({
  method: "post",
  path: "/v1/agent/tickets/{number}/claim",
  tags: ["agent"],
  security: access.agent,
  summary: "Take an unassigned ticket (or keep one already yours); 409 when another agent has it",
  description: "Recorded in the history and announced as an assignment (ticket.assigned). Of two agents claiming at once, exactly one gets the ticket.",
  request: { params: TicketNumberParamsSchema },
  responses: {
    200: jsonResponse(AgentTicketSchema, "The ticket, now assigned to the caller."),
    ...errors("validation_failed", "unauthorized", "not_found", "conflict"),
  },
});

const route = createRoute({
  method: "post",
  path: "/v1/agent/tickets/{number}/route",
  tags: ["agent"],
  security: access.agent,
  summary: "Route an unassigned ticket now: to the least loaded available agent of its site, department and tier whose skills cover it (round-robin among equals)",
  description:
    "Works on manual and automatic sites alike. Recorded and announced as an assignment by `system`. With no candidate the ticket stays unassigned, `reason` says why and the site's team hears `ticket.unrouted`. 409 when the ticket is already assigned or finished.",
  request: { params: TicketNumberParamsSchema },
  responses: {
    200: jsonResponse(RoutingResultSchema, "What routing did: the ticket and whom it went to (or why nobody)."),
    ...errors("validation_failed", "unauthorized", "not_found", "conflict"),
  },
});

export function agentTicketActionRoutes(services: Services) {
  const { orm } = services.db;
  const actorOf = (agentId: string): Actor => ({ type: "agent", id: agentId });
  const present = async (ticket: TicketRow) => presentAgentTicket(orm, ticket, services.now(), await services.reference.categories());

  return routeGroup()
    .openapi(assign, async (c) => {
      const ticket = await assignTicket(services, { ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") }, agentId: c.req.valid("json").agentId, actor: actorOf(c.get("agent").id) });
      return c.json(await present(ticket), 200);
    })
    .openapi(escalate, async (c) => {
      const { reason, departmentId, tier, agentId } = c.req.valid("json");
      const ticket = await escalateTicket(services, {
        ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") },
        reason: reason ?? null,
        departmentId,
        tier,
        agentId,
        actor: actorOf(c.get("agent").id),
      });
      return c.json(await present(ticket), 200);
    })
    .openapi(resolve, async (c) => {
      const ticket = await resolveTicket(services, { ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") }, resolution: c.req.valid("json").note, actor: actorOf(c.get("agent").id) });
      return c.json(await present(ticket), 200);
    })
    .openapi(claim, async (c) => {
      const ticket = await claimTicket(services, { ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") }, agentId: c.get("agent").id });
      return c.json(await present(ticket), 200);
    })
    .openapi(route, async (c) => {
      const outcome = await routeTicket(services, { ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") } });
      return c.json({ ticket: await present(outcome.ticket), assigneeId: outcome.assigneeId, reason: outcome.reason }, 200);
    })
    .openapi(close, async (c) => {
      const ticket = await closeTicket(services, { ticket: { number: c.req.valid("param").number, scope: c.get("siteScope") }, message: c.req.valid("json").note, actor: actorOf(c.get("agent").id) });
      return c.json(await present(ticket), 200);
    });
}
