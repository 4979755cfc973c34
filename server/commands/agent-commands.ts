import { and, eq, notInArray, sql } from "drizzle-orm";
import type { AgentStatus } from "../../protocol/index.js";
import type { Tx } from "../db/client.js";
import type { AgentRow } from "../db/rows.js";
import { agents, sites, tickets } from "../db/schema.js";
import { recordEvent } from "../tickets/store.js";
import { DomainError, notFound } from "../domain/errors.js";
import { runCommand, type Actor, type CommandContext, type CommandScope } from "./command.js";
import { agentSiteIds } from "../tickets/scope.js";
import { releaseOnAway, routeReleased } from "./route-ticket.js";
import { snapshotOf } from "./snapshot.js";

const siteIds = async (tx: Tx) => (await tx.select({ id: sites.id }).from(sites)).map((site) => site.id);

/**
 * setAgentStatus: available, busy or away, set by the agent; what follows a change is
 * `statusChangedInScope`'s.
 */
export function setAgentStatus(context: CommandContext, input: { agentId: string; status: AgentStatus }): Promise<AgentRow> {
  return runCommand(context, async (scope) => {
    const before = await scope.tx.query.agents.findFirst({ where: eq(agents.id, input.agentId) });
    const [row] = await scope.tx.update(agents).set({ status: input.status }).where(eq(agents.id, input.agentId)).returning();
    if (row && before) await statusChangedInScope(scope, before, row, { type: "agent", id: row.id });
    return row!;
  });
}

/**
 * What an agent's status change brings, whoever made it (the agent, or an admin's edit), inside
 * the command that stored it: every site's team hears of it, and going away hands the agent's
 * unfinished tickets back on the sites whose `releaseOnAway` says so (routing them again at once
 * on automatic sites), each audited as `actor`'s. Nothing when the status did not change.
 */
export async function statusChangedInScope(scope: CommandScope, before: AgentRow, after: AgentRow, actor: Actor): Promise<void> {
  if (before.status === after.status) return;
  const { tx, announce } = scope;
  await announce({ type: "agent.status_changed", agentId: after.id, status: after.status, siteIds: await siteIds(tx) });
  if (after.status === "away") await releaseOnAway(scope, after.id, await agentSiteIds(tx, after.id), actor);
}

/**
 * deactivate: away as well as inactive, so that nothing counts the agent as online or routes
 * work to them; a new token epoch so that reactivating the account does not bring old tokens
 * back; their unfinished tickets go back to the queue, each with a history row, and all of it
 * is announced, with a revocation to every site room and to `ticketRoomIds` (the ticket rooms
 * the agent was let into: realtime/revocation.ts) that closes their sockets. Runs inside a
 * caller's command scope (an admin's edit may deactivate too).
 */
export async function deactivateInScope(
  scope: CommandScope,
  agent: AgentRow,
  actor: Actor,
  ticketRoomIds: readonly string[],
): Promise<AgentRow> {
  const { tx, at, announce } = scope;
  const [row] = await tx.update(agents).set({ active: false, status: "away", tokenEpoch: sql`${agents.tokenEpoch} + 1` }).where(eq(agents.id, agent.id)).returning();
  const released = await tx
    .update(tickets)
    .set({ assigneeId: null, updatedAt: at })
    .where(and(eq(tickets.assigneeId, agent.id), notInArray(tickets.status, ["resolved", "closed"])))
    .returning();
  for (const ticket of released) {
    await recordEvent(tx, ticket.id, "assigned", actor, { from: agent.id, to: null, reason: "agent deactivated" }, at);
  }
  const sitesOfAll = await siteIds(tx);
  await announce({ type: "agent.deactivated", agentId: agent.id, siteIds: sitesOfAll, ticketRoomIds: [...ticketRoomIds], releasedTickets: released.map(snapshotOf) });
  // The team's presence list shows them away from now on, as if they had said so themselves.
  if (agent.status !== row!.status) await announce({ type: "agent.status_changed", agentId: agent.id, status: row!.status, siteIds: sitesOfAll });
  await routeReleased(scope, released);
  return row!;
}

/** deactivateAgent: idempotent (an inactive agent stays as it is); nobody deactivates their own account. */
export function deactivateAgent(context: CommandContext, input: { agentId: string; actor: Actor; ticketRoomIds: readonly string[] }): Promise<AgentRow> {
  if (input.actor.id === input.agentId) throw new DomainError("conflict", "you cannot deactivate your own account; ask another admin");
  return runCommand(context, async (scope) => {
    const agent = await scope.tx.query.agents.findFirst({ where: eq(agents.id, input.agentId) });
    if (!agent) throw notFound(`agent ${input.agentId}`);
    return agent.active ? deactivateInScope(scope, agent, input.actor, input.ticketRoomIds) : agent;
  });
}
