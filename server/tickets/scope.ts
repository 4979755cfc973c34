import { asc, eq, sql } from "drizzle-orm";
import { executorOf, type Reader } from "../db/client.js";
import type { AgentRow } from "../db/rows.js";
import { agentSites, agents, sites, tickets } from "../db/schema.js";
import { compile, compiler, type RowValues } from "../db/statement.js";
import { DomainError } from "../domain/errors.js";
import { mayAgentSeeTicket, siteScopeOf, type SiteScope } from "../domain/site-scope.js";
import { ticketByNumber } from "./access.js";
import type { TicketRow } from "./views.js";

export { EVERY_SITE, mayAgentSeeTicket, mayWorkOnSite, scopeIncludesSite, type SiteScope } from "../domain/site-scope.js";

/**
 * Team scoping, the database side: which sites an agent works on (`agent_sites`), read fresh
 * on every request (one primary-key range, folded into the agent's own lookup by the auth
 * middleware), so a membership removed on one server counts on every server from the next
 * request on, with no cache to invalidate.
 */

/**
 * Columns to add to a select from `agents`: the agent's site ids as a JSON array, and how many
 * sites there are. `scopeFromColumns` turns them into a SiteScope.
 */
export const scopeColumns = {
  memberSiteIds: sql<string>`(select json_group_array("site_id") from "agent_sites" where "agent_sites"."agent_id" = "agents"."id")`,
  siteCount: sql<number>`(select count(*) from "sites")`,
};

/** Reads the two `scopeColumns` at `offset` of a result row. */
export function scopeFromColumns(agent: Pick<AgentRow, "role">, row: RowValues, offset: number): { scope: SiteScope; memberSiteIds: string[] } {
  const memberSiteIds = JSON.parse(String(row[offset] ?? "[]")) as string[];
  return { scope: siteScopeOf(agent, memberSiteIds, Number(row[offset + 1])), memberSiteIds };
}

const selectMemberships = compile<{ agentId: string }>(
  compiler.select(scopeColumns).from(agents).where(eq(agents.id, sql.placeholder("agentId"))).limit(1),
);

/** The ids of the sites an agent is a member of (whatever its role), in no particular order. */
export async function agentSiteIds(reader: Reader, agentId: string): Promise<string[]> {
  const row = await selectMemberships.first(executorOf(reader), { agentId });
  return row ? (JSON.parse(String(row[0])) as string[]) : [];
}

/** The scope of an agent read from the database (the auth middleware already has it for the caller: `c.get("siteScope")`). */
export async function agentScope(reader: Reader, agent: Pick<AgentRow, "id" | "role">): Promise<SiteScope> {
  const row = await selectMemberships.first(executorOf(reader), { agentId: agent.id });
  return row ? scopeFromColumns(agent, row, 0).scope : siteScopeOf(agent, [], 0);
}

/** Whether the agent is a member of the site (an admin's stored memberships count too). */
export async function isMemberOfSite(reader: Reader, agentId: string, siteId: string): Promise<boolean> {
  return (await agentSiteIds(reader, agentId)).includes(siteId);
}

/**
 * A ticket the agent may see, by number. A ticket of a site outside the scope answers the
 * same 404 as a number that does not exist, so nobody learns another team's ticket numbers.
 */
export async function agentTicket(reader: Reader, scope: SiteScope, number: string): Promise<TicketRow> {
  const ticket = await ticketByNumber(reader, number);
  if (!mayAgentSeeTicket(scope, ticket)) throw new DomainError("not_found", `ticket ${number} not found`);
  return ticket;
}

/** The site ids of each agent in `agentIds` (each agent present, with [] when it has none). */
export async function siteIdsOfAgents(reader: Reader, agentIds: readonly string[]): Promise<Map<string, string[]>> {
  const byAgent = new Map(agentIds.map((id) => [id, [] as string[]]));
  if (agentIds.length === 0) return byAgent;
  const rows = await reader
    .select({ agentId: agentSites.agentId, siteId: agentSites.siteId })
    .from(agentSites)
    .where(sql`${agentSites.agentId} in (select value from json_each(${JSON.stringify(agentIds)}))`)
    .orderBy(asc(agentSites.siteId));
  for (const row of rows) byAgent.get(row.agentId)?.push(row.siteId);
  return byAgent;
}

/** The ids of every site, for admins' "all" and for what a demotion takes away. */
export async function allSiteIds(reader: Reader): Promise<string[]> {
  return (await reader.select({ id: sites.id }).from(sites).orderBy(asc(sites.id))).map((row) => row.id);
}

/** Of the ticket rooms `ticketIds`, those of tickets on `siteIds` (the rooms a lost membership must revoke). */
export async function ticketIdsOnSites(reader: Reader, ticketIds: readonly string[], siteIds: readonly string[]): Promise<string[]> {
  if (ticketIds.length === 0 || siteIds.length === 0) return [];
  const rows = await reader
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      sql`${tickets.id} in (select value from json_each(${JSON.stringify(ticketIds)})) and ${tickets.siteId} in (select value from json_each(${JSON.stringify(siteIds)}))`,
    );
  return rows.map((row) => row.id);
}
