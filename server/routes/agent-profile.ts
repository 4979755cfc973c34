import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, inArray, sql } from "drizzle-orm";
import { AgentDirectoryEntrySchema, AgentSchema, UpdateMyStatusBodySchema } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { setAgentStatus } from "../commands/agent-commands.js";
import { agents, tickets } from "../db/schema.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";
import { toAgent } from "./auth.js";
import { agentSiteIds, scopeIncludesSite, siteIdsOfAgents } from "../tickets/scope.js";

const tags = ["agent"];
const security = access.agent;

const me = createRoute({
  method: "get",
  path: "/v1/agent/me",
  tags,
  security,
  summary: "The signed-in agent",
  responses: { 200: jsonResponse(AgentSchema, "The agent."), ...errors("unauthorized") },
});

const setStatus = createRoute({
  method: "patch",
  path: "/v1/agent/me",
  tags,
  security,
  summary: "Set one's own availability (available, busy, away)",
  request: { body: jsonBody(UpdateMyStatusBodySchema) },
  responses: { 200: jsonResponse(AgentSchema, "The agent."), ...errors("validation_failed", "unauthorized") },
});

const directory = createRoute({
  method: "get",
  path: "/v1/agent/agents",
  tags,
  security,
  summary: "Active colleagues who work on one of the caller's sites (and admins), with their open-ticket load, for assignment",
  responses: { 200: jsonResponse(z.object({ items: z.array(AgentDirectoryEntrySchema), nextCursor: z.null() }), "Every active agent."), ...errors("unauthorized") },
});

const openStatuses = ["open", "in_progress", "pending_customer", "escalated"] as const;

export function agentProfileRoutes(services: Services) {
  const { orm } = services.db;
  return routeGroup()
    .openapi(me, async (c) => c.json(toAgent(c.get("agent"), await agentSiteIds(orm, c.get("agent").id)), 200))
    .openapi(setStatus, async (c) => {
      const { status } = c.req.valid("json");
      const row = await setAgentStatus(services, { agentId: c.get("agent").id, status });
      return c.json(toAgent(row, await agentSiteIds(orm, row.id)), 200);
    })
    .openapi(directory, async (c) => {
      // Load is counted from the tickets themselves, so it can never drift from them.
      const load = orm
        .select({ assigneeId: tickets.assigneeId, n: sql<number>`count(*)`.as("n") })
        .from(tickets)
        .where(inArray(tickets.status, [...openStatuses]))
        .groupBy(tickets.assigneeId)
        .as("load");
      const rows = await orm
        .select({ agent: agents, openTickets: sql<number>`coalesce(${load.n}, 0)` })
        .from(agents)
        .leftJoin(load, eq(load.assigneeId, agents.id))
        .where(and(eq(agents.active, true)))
        .orderBy(agents.name);
      // The colleagues who could take a ticket of the caller's sites: admins (every site) and
      // members of one of them, each showing only the caller's sites among its own.
      const scope = c.get("siteScope");
      const sitesOf = await siteIdsOfAgents(orm, rows.map((row) => row.agent.id));
      const items = rows.flatMap(({ agent, openTickets }) => {
        const shared = (sitesOf.get(agent.id) ?? []).filter((siteId) => scopeIncludesSite(scope, siteId));
        if (agent.role !== "admin" && shared.length === 0) return [];
        const { email: _email, active: _active, createdAt: _createdAt, ...entry } = toAgent(agent, shared);
        return [{ ...entry, openTickets: Number(openTickets) }];
      });
      return c.json({ items, nextCursor: null }, 200);
    });
}
