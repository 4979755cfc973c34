import { eq, sql } from "drizzle-orm";
import type { RoutingMode } from "../../protocol/index.js";
import { executorOf, type Reader, type Tx } from "../db/client.js";
import { agentSites, agents, routingPointers, sites } from "../db/schema.js";
import { compile, compiler } from "../db/statement.js";
import { ACTIVE_STATUSES, type RoutableTicket, type RoutingCandidate } from "../domain/routing.js";

/**
 * Routing's reads and its pointer, for the routing command (commands/route-ticket.ts). Every
 * read runs on the write transaction's connection: the loads are counted under the write lock,
 * so no other write can assign or finish a ticket between the count and the assignment.
 */

const selectSiteRouting = compile<{ siteId: string }>(
  compiler.select({ routing: sites.routing, releaseOnAway: sites.releaseOnAway }).from(sites).where(eq(sites.id, sql.placeholder("siteId"))).limit(1),
);

export interface SiteRouting {
  routing: RoutingMode;
  releaseOnAway: boolean;
}

/** A site's routing settings (one primary-key read; every ticket creation makes it). */
export async function siteRouting(reader: Reader, siteId: string): Promise<SiteRouting> {
  const row = await selectSiteRouting.first(executorOf(reader), { siteId });
  return { routing: (row?.[0] as RoutingMode | undefined) ?? "manual", releaseOnAway: Number(row?.[1] ?? 0) === 1 };
}

const activeList = ACTIVE_STATUSES.map((status) => `'${status}'`).join(", ");

/**
 * The members of a site with their active-ticket load (exported for EXPLAIN in its test). The load is a count over the
 * (assignee_id, status, …) index of each agent's tickets, so it is exact by construction: it is
 * read from the tickets themselves, never kept beside them.
 */
export const selectCandidates = compile<{ siteId: string }>(
  compiler
    .select({
      id: agents.id,
      active: agents.active,
      status: agents.status,
      departmentId: agents.departmentId,
      tier: agents.tier,
      capacity: agents.capacity,
      skills: agents.skills,
      load: sql<number>`(select count(*) from "tickets" where "tickets"."assignee_id" = "agents"."id" and "tickets"."status" in (${sql.raw(activeList)}))`,
    })
    .from(agentSites)
    .innerJoin(agents, eq(agents.id, agentSites.agentId))
    .where(eq(agentSites.siteId, sql.placeholder("siteId"))),
);

export async function routingCandidates(tx: Tx, ticket: RoutableTicket): Promise<RoutingCandidate[]> {
  const rows = await selectCandidates.rows(executorOf(tx), { siteId: ticket.siteId });
  return rows.map((row) => ({
    id: String(row[0]),
    active: Number(row[1]) === 1,
    status: String(row[2]) as RoutingCandidate["status"],
    departmentId: row[3] === null ? null : String(row[3]),
    tier: Number(row[4]),
    capacity: Number(row[5]),
    skills: JSON.parse(String(row[6] ?? "[]")) as string[],
    load: Number(row[7]),
    memberOfSite: true,
  }));
}

const departmentKey = (departmentId: string | null) => departmentId ?? "";

const selectPointer = compile<{ siteId: string; departmentKey: string }>(
  compiler
    .select({ lastAgentId: routingPointers.lastAgentId })
    .from(routingPointers)
    .where(sql`${routingPointers.siteId} = ${sql.placeholder("siteId")} and ${routingPointers.departmentKey} = ${sql.placeholder("departmentKey")}`)
    .limit(1),
);

/** The agent who last got a ticket of this site and department by routing, or null. */
export async function routingPointer(tx: Tx, ticket: RoutableTicket): Promise<string | null> {
  const row = await selectPointer.first(executorOf(tx), { siteId: ticket.siteId, departmentKey: departmentKey(ticket.departmentId) });
  return row ? String(row[0]) : null;
}

const upsertPointer = compile<{ siteId: string; departmentKey: string; lastAgentId: string; updatedAt: number }>(
  compiler
    .insert(routingPointers)
    .values({ siteId: sql.placeholder("siteId"), departmentKey: sql.placeholder("departmentKey"), lastAgentId: sql.placeholder("lastAgentId"), updatedAt: sql.placeholder("updatedAt") })
    .onConflictDoUpdate({ target: [routingPointers.siteId, routingPointers.departmentKey], set: { lastAgentId: sql`excluded.last_agent_id`, updatedAt: sql`excluded.updated_at` } }),
);

export async function moveRoutingPointer(tx: Tx, ticket: RoutableTicket, agentId: string, at: number): Promise<void> {
  await upsertPointer.rows(executorOf(tx), { siteId: ticket.siteId, departmentKey: departmentKey(ticket.departmentId), lastAgentId: agentId, updatedAt: at });
}
