import { and, eq, notInArray, sql } from "drizzle-orm";
import type { AgentStatus } from "../../protocol/index.js";
import type { Tx } from "../db/client.js";
import type { AgentRow } from "../db/rows.js";
import { agents, sites, tickets } from "../db/schema.js";
import { recordEvent } from "../tickets/store.js";
import { DomainError, notFound } from "../domain/errors.js";
import { runCommand, type Actor, type CommandContext, type CommandScope } from "./command.js";
import { agentSiteIds } from "../tickets/scope.js";
import { releaseOnAway } from "./route-ticket.js";
import { snapshotOf } from "./snapshot.js";

const siteIds = async (tx: Tx) => (await tx.select({ id: sites.id }).from(sites)).map((site) => site.id);

/**
 * setAgentStatus: available, busy or away; every site's team hears of a change. Going away
 * hands the agent's unfinished tickets back on the sites whose `releaseOnAway` says so (and
 * routes them again on automatic sites), in the same transaction.
 */
export function setAgentStatus(context: CommandContext, input: { agentId: string; status: AgentStatus }): Promise<AgentRow> {
  return runCommand(context, async (scope) => {
    const { tx, announce } = scope;
    const before = await tx.query.agents.findFirst({ where: eq(agents.id, input.agentId) });
    const [row] = await tx.update(agents).set({ status: input.status }).where(eq(agents.id, input.agentId)).returning();
    if (row && before && before.status !== row.status) {
      await announce({ type: "agent.status_changed", agentId: row.id, status: row.status, siteIds: await siteIds(tx) });
      if (row.status === "away") await releaseOnAway(scope, row.id, await agentSiteIds(tx, row.id), { type: "agent", id: row.id });
    }
    return row!;
  });
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
  { tx, at, announce }: CommandScope,
  agent: AgentRow,
  actor: Actor,
  ticketRoomIds: readonly string[],
): Promise<AgentRow> {
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
