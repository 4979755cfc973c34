import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import {
  AgentSchema,
  AgentSiteBodySchema,
  AgentSiteParamsSchema,
  CreateAgentBodySchema,
  CursorQuerySchema,
  IdParamsSchema,
  OkSchema,
  UpdateAgentBodySchema,
  pageOf,
} from "../../protocol/index.js";
import { afterCursor, isEmpty, pageFrom } from "../admin/request.js";
import { hashPassword } from "../auth/password.js";
import { routeGroup, type Services } from "../context.js";
import type { Reader } from "../db/client.js";
import { agentSites, agents, categories, sites } from "../db/schema.js";
import { ApiError, notFound } from "../middleware/errors.js";
import { deactivateAgent as deactivate, deactivateInScope, statusChangedInScope } from "../commands/agent-commands.js";
import { runCommand } from "../commands/command.js";
import { changeMembershipInScope, type MembershipChange } from "../commands/site-membership.js";
import { siteIdsOfAgents } from "../tickets/scope.js";
import { newId } from "../tickets/store.js";
import { assertDepartmentExists } from "./admin-departments.js";
import { toAgent } from "./auth.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const tags = ["admin"];
const security = access.admin;
const params = IdParamsSchema;

const listAgents = createRoute({
  method: "get",
  path: "/v1/admin/agents",
  tags,
  summary: "Agents by name, deactivated ones included",
  security,
  request: { query: CursorQuerySchema },
  responses: { 200: jsonResponse(pageOf(AgentSchema), "A page of agents."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const createAgent = createRoute({
  method: "post",
  path: "/v1/admin/agents",
  tags,
  summary: "Create an agent or admin account",
  security,
  request: { body: jsonBody(CreateAgentBodySchema) },
  responses: {
    201: jsonResponse(AgentSchema, "The new agent."),
    ...errors("validation_failed", "unauthorized", "forbidden", "conflict"),
  },
});

const getAgent = createRoute({
  method: "get",
  path: "/v1/admin/agents/{id}",
  tags,
  summary: "One agent",
  security,
  request: { params },
  responses: { 200: jsonResponse(AgentSchema, "The agent."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const updateAgent = createRoute({
  method: "patch",
  path: "/v1/admin/agents/{id}",
  tags,
  summary: "Change an agent's profile, role, routing or password (a new password signs out their existing tokens)",
  security,
  request: { params, body: jsonBody(UpdateAgentBodySchema) },
  responses: {
    200: jsonResponse(AgentSchema, "The agent."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict"),
  },
});

const deactivateAgent = createRoute({
  method: "delete",
  path: "/v1/admin/agents/{id}",
  tags,
  summary: "Deactivate an agent (never deleted: history keeps pointing at them); their tokens stop working and their open tickets are unassigned",
  security,
  request: { params },
  responses: {
    200: jsonResponse(OkSchema, "Deactivated."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict"),
  },
});

const addSite = createRoute({
  method: "post",
  path: "/v1/admin/agents/{id}/sites",
  tags,
  summary: "Make the agent a member of a site: it sees and works on that site's tickets from its next request on",
  security,
  request: { params, body: jsonBody(AgentSiteBodySchema) },
  responses: { 200: jsonResponse(AgentSchema, "The agent with its sites."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const removeSite = createRoute({
  method: "delete",
  path: "/v1/admin/agents/{id}/sites/{siteId}",
  tags,
  summary: "Take a site away from the agent: its tickets there go back to the queue and its live connections to that site close",
  security,
  request: { params: AgentSiteParamsSchema },
  responses: { 200: jsonResponse(AgentSchema, "The agent with its remaining sites."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const siteAgents = createRoute({
  method: "get",
  path: "/v1/admin/sites/{id}/agents",
  tags,
  summary: "The members of a site, by name (admins work on every site and appear only if they are members)",
  security,
  request: { params, query: CursorQuerySchema },
  responses: { 200: jsonResponse(pageOf(AgentSchema), "A page of the site's agents."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

/** Skills name categories by id; an unknown one is refused rather than silently matching nothing. */
async function assertCategoriesExist(orm: Reader, ids: readonly string[] | undefined) {
  if (!ids || ids.length === 0) return;
  const found = new Set((await orm.select({ id: categories.id }).from(categories).where(inArray(categories.id, [...ids]))).map((row) => row.id));
  const unknown = ids.map((id, index) => ({ id, index })).filter(({ id }) => !found.has(id));
  if (unknown.length > 0) {
    throw new ApiError(
      "validation_failed",
      `unknown categor${unknown.length === 1 ? "y" : "ies"} ${unknown.map(({ id }) => `"${id}"`).join(", ")}`,
      unknown.map(({ index }) => ({ path: `skills.${index}`, message: "unknown category" })),
    );
  }
}

async function agentById(orm: Reader, id: string) {
  const agent = await orm.query.agents.findFirst({ where: eq(agents.id, id) });
  if (!agent) throw notFound(`agent ${id}`);
  return agent;
}

export function adminAgentRoutes(services: Services) {
  const app = routeGroup();
  const { orm } = services.db;

  return app
    .openapi(listAgents, async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const rows = await orm
        .select()
        .from(agents)
        .where(afterCursor(agents.name, agents.id, cursor))
        .orderBy(asc(agents.name), asc(agents.id))
        .limit(limit + 1);
      const sitesOf = await siteIdsOfAgents(orm, rows.map((row) => row.id));
      return c.json(pageFrom(rows, limit, (row) => [row.name, row.id], (row) => toAgent(row, sitesOf.get(row.id) ?? [])), 200);
    })
    .openapi(createAgent, async (c) => {
      const { password, siteIds, ...body } = c.req.valid("json");
      // Logins look the address up in lower case.
      const email = body.email.toLowerCase();
      const passwordHash = await hashPassword(password, services.passwordIterations);
      const created = await runCommand(services, async (scope) => {
        const { tx } = scope;
        const taken = await tx.query.agents.findFirst({ where: eq(agents.email, email) });
        if (taken) throw new ApiError("conflict", `an agent with email ${email} already exists`);
        await assertDepartmentExists(tx, body.departmentId);
        await assertCategoriesExist(tx, body.skills);
        const [row] = await tx
          .insert(agents)
          .values({ ...body, id: newId(), email, passwordHash, departmentId: body.departmentId ?? null, createdAt: services.now() })
          .returning();
        const membership = await changeMembershipInScope(scope, { before: row!, after: row!, siteIds, actor: { type: "agent", id: c.get("agent").id }, joinedTicketRooms: [] });
        return toAgent(row!, membership.siteIds);
      });
      return c.json(created, 201);
    })
    .openapi(getAgent, async (c) => {
      const agent = await agentById(orm, c.req.valid("param").id);
      return c.json(toAgent(agent, (await siteIdsOfAgents(orm, [agent.id])).get(agent.id) ?? []), 200);
    })
    .openapi(updateAgent, async (c) => {
      const { id } = c.req.valid("param");
      const { password, active, siteIds, ...changes } = c.req.valid("json");
      const admin = c.get("agent");
      // Keeps at least one admin able to undo mistakes: only another admin can remove this one.
      if (id === admin.id && changes.role === "agent") throw new ApiError("conflict", "you cannot remove your own admin role; ask another admin");
      if (id === admin.id && active === false) throw new ApiError("conflict", "you cannot deactivate your own account; ask another admin");
      // Hashing is deliberately slow, so it happens before the write lock is taken.
      const passwordHash = password === undefined ? undefined : await hashPassword(password, services.passwordIterations);
      let revokedTicketRooms: string[] = [];
      const agent = await runCommand(services, async (scope) => {
        const { tx } = scope;
        const before = await agentById(tx, id);
        let agent = before;
        await assertDepartmentExists(tx, changes.departmentId);
        await assertCategoriesExist(tx, changes.skills);
        // A new password signs every existing session of the account out.
        const revoke = passwordHash === undefined ? {} : { tokenEpoch: sql`${agents.tokenEpoch} + 1` };
        const set = { ...changes, passwordHash, ...revoke, ...(active === true ? { active } : {}) };
        if (!isEmpty(set)) {
          const [updated] = await tx.update(agents).set(set).where(eq(agents.id, id)).returning();
          agent = updated!;
        }
        // New sites, or a role that no longer sees every site, take effect (and revoke) with the rest.
        const membership = await changeMembershipInScope(scope, { before, after: agent, siteIds, actor: { type: "agent", id: admin.id }, joinedTicketRooms: services.ticketRooms.roomsOf(id) });
        revokedTicketRooms = membership.revokedTicketRooms;
        const actor = { type: "agent" as const, id: admin.id };
        // A deactivation sets away and hands back every ticket itself; it is told the status the agent had.
        if (active === false && agent.active) agent = await deactivateInScope(scope, { ...agent, status: before.status }, actor, services.ticketRooms.roomsOf(id));
        else await statusChangedInScope(scope, before, agent, actor);
        return toAgent(agent, membership.siteIds);
      });
      // Committed with the revocation entries for the rooms they were let into: nothing left to remember.
      if (active === false) services.ticketRooms.forget(id);
      else services.ticketRooms.forgetRooms(id, revokedTicketRooms);
      return c.json(agent, 200);
    })
    .openapi(deactivateAgent, async (c) => {
      const { id } = c.req.valid("param");
      await deactivate(services, { agentId: id, actor: { type: "agent", id: c.get("agent").id }, ticketRoomIds: services.ticketRooms.roomsOf(id) });
      // Committed with the revocation entries for those rooms: nothing left to remember.
      services.ticketRooms.forget(id);
      return c.json({ ok: true as const }, 200);
    })
    .openapi(addSite, async (c) => {
      const { id } = c.req.valid("param");
      const { siteId } = c.req.valid("json");
      const agent = await runCommand(services, async (scope) => {
        const row = await agentById(scope.tx, id);
        return toAgent(row, (await changeMembershipInScope(scope, { before: row, after: row, add: [siteId], actor: { type: "agent", id: c.get("agent").id }, joinedTicketRooms: [] })).siteIds);
      });
      return c.json(agent, 200);
    })
    .openapi(removeSite, async (c) => {
      const { id, siteId } = c.req.valid("param");
      let revoked: string[] = [];
      const agent = await runCommand(services, async (scope) => {
        const row = await agentById(scope.tx, id);
        const site = await scope.tx.query.sites.findFirst({ where: eq(sites.id, siteId) });
        if (!site) throw notFound(`site ${siteId}`);
        const change: MembershipChange = { before: row, after: row, remove: [siteId], actor: { type: "agent", id: c.get("agent").id }, joinedTicketRooms: services.ticketRooms.roomsOf(id) };
        const membership = await changeMembershipInScope(scope, change);
        revoked = membership.revokedTicketRooms;
        return toAgent(row, membership.siteIds);
      });
      // Committed with the revocations of those rooms: they need no remembering any more.
      services.ticketRooms.forgetRooms(id, revoked);
      return c.json(agent, 200);
    })
    .openapi(siteAgents, async (c) => {
      const { id } = c.req.valid("param");
      const { cursor, limit } = c.req.valid("query");
      const site = await orm.query.sites.findFirst({ where: eq(sites.id, id) });
      if (!site) throw notFound(`site ${id}`);
      const rows = await orm
        .select({ agent: agents })
        .from(agentSites)
        .innerJoin(agents, eq(agents.id, agentSites.agentId))
        .where(and(eq(agentSites.siteId, id), afterCursor(agents.name, agents.id, cursor)))
        .orderBy(asc(agents.name), asc(agents.id))
        .limit(limit + 1);
      const sitesOf = await siteIdsOfAgents(orm, rows.map((row) => row.agent.id));
      return c.json(pageFrom(rows, limit, ({ agent }) => [agent.name, agent.id], ({ agent }) => toAgent(agent, sitesOf.get(agent.id) ?? [])), 200);
    });
}
