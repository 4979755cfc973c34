import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { ZodObject } from "zod";
import {
  AgentTicketSchema,
  AssignTicketBodySchema,
  EscalateTicketBodySchema,
  ResolveTicketBodySchema,
  TicketNumberParamsSchema,
} from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { agents, tickets } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import { ticketByNumber } from "../tickets/access.js";
import { presentAgentTicket } from "../tickets/present.js";
import { changeStatus, recordEvent, type Actor } from "../tickets/store.js";
import { departmentById } from "../tickets/update.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const MAX_TIER = 3;

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
const escalate = action("/v1/agent/tickets/{number}/escalate", "Escalate to the next tier (optionally another department)", EscalateTicketBodySchema);
const resolve = action("/v1/agent/tickets/{number}/resolve", "Mark resolved", ResolveTicketBodySchema);
const close = action("/v1/agent/tickets/{number}/close", "Close for good", ResolveTicketBodySchema);

export function agentTicketActionRoutes(services: Services) {
  const { orm } = services.db;
  const actorOf = (agentId: string): Actor => ({ type: "agent", id: agentId });

  return routeGroup()
    .openapi(assign, async (c) => {
      const { agentId } = c.req.valid("json");
      const actor = actorOf(c.get("agent").id);
      const ticket = await services.db.write(async (tx) => {
        const at = services.now();
        let ticket = await ticketByNumber(tx, c.req.valid("param").number);
        if (ticket.status === "closed") throw new ApiError("illegal_transition", "a closed ticket cannot be reassigned");
        if (agentId !== null) {
          const assignee = await tx.query.agents.findFirst({ where: eq(agents.id, agentId) });
          if (!assignee || !assignee.active) throw new ApiError("validation_failed", "no active agent with that id", [{ path: "agentId", message: "unknown or inactive agent" }]);
        }
        if (agentId === ticket.assigneeId) return ticket;
        await recordEvent(tx, ticket.id, "assigned", actor, { from: ticket.assigneeId, to: agentId }, at);
        [ticket] = (await tx.update(tickets).set({ assigneeId: agentId, updatedAt: at }).where(eq(tickets.id, ticket.id)).returning()) as [typeof ticket];
        // Someone at the new tier has picked the escalated ticket up.
        if (agentId !== null && ticket.status === "escalated") ticket = await changeStatus(tx, ticket, "in_progress", actor, at);
        return ticket;
      });
      services.fanout.ticketChanged(ticket);
      return c.json(await presentAgentTicket(orm, ticket, await services.reference.categories()), 200);
    })
    .openapi(escalate, async (c) => {
      const { reason, departmentId } = c.req.valid("json");
      const actor = actorOf(c.get("agent").id);
      const ticket = await services.db.write(async (tx) => {
        const at = services.now();
        let ticket = await ticketByNumber(tx, c.req.valid("param").number);
        if (departmentId) await departmentById(tx, departmentId);
        const movesDepartment = departmentId !== undefined && departmentId !== ticket.departmentId;
        if (ticket.tier >= MAX_TIER && !movesDepartment) {
          throw new ApiError("conflict", `the ticket is already at tier ${MAX_TIER}; escalate to another department instead`);
        }
        const toTier = Math.min(MAX_TIER, ticket.tier + 1);
        ticket = await changeStatus(tx, ticket, "escalated", actor, at);
        await recordEvent(tx, ticket.id, "escalated", actor, { fromTier: ticket.tier, toTier, reason, departmentId: departmentId ?? ticket.departmentId }, at);
        const [row] = await tx
          .update(tickets)
          .set({ tier: toTier, departmentId: departmentId ?? ticket.departmentId, assigneeId: null, updatedAt: at })
          .where(eq(tickets.id, ticket.id))
          .returning();
        return row!;
      });
      services.fanout.ticketChanged(ticket);
      return c.json(await presentAgentTicket(orm, ticket, await services.reference.categories()), 200);
    })
    .openapi(resolve, async (c) => {
      const { note } = c.req.valid("json");
      const ticket = await services.db.write(async (tx) =>
        changeStatus(tx, await ticketByNumber(tx, c.req.valid("param").number), "resolved", actorOf(c.get("agent").id), services.now(), note),
      );
      services.fanout.ticketChanged(ticket);
      return c.json(await presentAgentTicket(orm, ticket, await services.reference.categories()), 200);
    })
    .openapi(close, async (c) => {
      const { note } = c.req.valid("json");
      const ticket = await services.db.write(async (tx) =>
        changeStatus(tx, await ticketByNumber(tx, c.req.valid("param").number), "closed", actorOf(c.get("agent").id), services.now(), note),
      );
      services.fanout.ticketChanged(ticket);
      return c.json(await presentAgentTicket(orm, ticket, await services.reference.categories()), 200);
    });
}
