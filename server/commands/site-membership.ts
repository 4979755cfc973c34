import { and, count, eq, inArray, notInArray } from "drizzle-orm";
import type { AgentRow } from "../db/rows.js";
import { agentSites, sites, tickets } from "../db/schema.js";
import { invalidField } from "../domain/errors.js";
import { siteScopeOf, sitesLost } from "../domain/site-scope.js";
import type { Tx } from "../db/client.js";
import { recordEvent } from "../tickets/store.js";
import { agentSiteIds, allSiteIds, ticketIdsOnSites } from "../tickets/scope.js";
import type { Actor, CommandScope } from "./command.js";
import { routeReleased } from "./route-ticket.js";
import { snapshotOf } from "./snapshot.js";

/** Refuses with 400 (`siteIds`) when any of these sites does not exist. */
export async function assertSitesExist(tx: Tx, siteIds: readonly string[], path = "siteIds"): Promise<void> {
  const wanted = [...new Set(siteIds)];
  if (wanted.length === 0) return;
  const found = new Set((await tx.select({ id: sites.id }).from(sites).where(inArray(sites.id, wanted))).map((row) => row.id));
  const unknown = wanted.filter((id) => !found.has(id));
  if (unknown.length > 0) throw invalidField(path, `unknown site${unknown.length > 1 ? "s" : ""} ${unknown.map((id) => `"${id}"`).join(", ")}`, "unknown site");
}

export interface MembershipChange {
  /** The agent as it was before this command changed anything (its role decides what it saw). */
  before: AgentRow;
  /** The agent as the command leaves it (a new role, say). */
  after: AgentRow;
  /** The agent's sites from now on; undefined leaves them as they are. */
  siteIds?: readonly string[] | undefined;
  /** Sites to add to the current ones; `remove` to take away. */
  add?: readonly string[];
  remove?: readonly string[];
  actor: Actor;
  /** The ticket rooms the agent was let into on this server (realtime/revocation.ts). */
  joinedTicketRooms: readonly string[];
}

/**
 * Writes an agent's memberships and takes away, in the same transaction, whatever the agent
 * can no longer see: its unfinished tickets on the sites it lost go back to the queue (each
 * with a history row), and `agent.sites_removed` closes its sockets in those sites' rooms and
 * in the rooms of their tickets it was let into. Answers the agent's sites now and the ticket
 * rooms revoked (for the caller to forget once committed). Runs inside a caller's command.
 */
export async function changeMembershipInScope(
  scope: CommandScope,
  change: MembershipChange,
): Promise<{ siteIds: string[]; revokedTicketRooms: string[] }> {
  const { tx, at, announce } = scope;
  const { before, after } = change;
  const wanted = [...(change.siteIds ?? []), ...(change.add ?? [])];
  await assertSitesExist(tx, wanted, change.siteIds ? "siteIds" : "siteId");

  const had = await agentSiteIds(tx, before.id);
  const next = new Set(change.siteIds ?? had);
  for (const id of change.add ?? []) next.add(id);
  for (const id of change.remove ?? []) next.delete(id);
  const dropped = had.filter((id) => !next.has(id));
  const added = [...next].filter((id) => !had.includes(id));
  if (dropped.length > 0) await tx.delete(agentSites).where(and(eq(agentSites.agentId, before.id), inArray(agentSites.siteId, dropped)));
  if (added.length > 0) await tx.insert(agentSites).values(added.map((siteId) => ({ agentId: before.id, siteId, createdAt: at }))).onConflictDoNothing();

  const [siteCount] = await tx.select({ n: count() }).from(sites);
  const n = siteCount?.n ?? 0;
  const siteIds = [...next].sort();
  const lost = sitesLost(siteScopeOf(before, had, n), siteScopeOf(after, siteIds, n), await allSiteIds(tx));
  if (lost.length === 0) return { siteIds, revokedTicketRooms: [] };

  const released = await tx
    .update(tickets)
    .set({ assigneeId: null, updatedAt: at })
    .where(and(eq(tickets.assigneeId, before.id), inArray(tickets.siteId, lost), notInArray(tickets.status, ["resolved", "closed"])))
    .returning();
  for (const ticket of released) {
    await recordEvent(tx, ticket.id, "assigned", change.actor, { from: before.id, to: null, reason: "agent removed from the site" }, at);
  }
  const revokedTicketRooms = await ticketIdsOnSites(tx, change.joinedTicketRooms, lost);
  await announce({ type: "agent.sites_removed", agentId: before.id, siteIds: lost, ticketRoomIds: revokedTicketRooms, releasedTickets: released.map(snapshotOf) });
  await routeReleased(scope, released);
  return { siteIds, revokedTicketRooms };
}
