import { and, eq, notInArray } from "drizzle-orm";
import { tickets } from "../db/schema.js";
import { DomainError } from "../domain/errors.js";
import { chooseAssignee, isActiveStatus } from "../domain/routing.js";
import { moveRoutingPointer, routingCandidates, routingPointer, siteRouting } from "../tickets/routing-store.js";
import type { TicketRow } from "../tickets/views.js";
import { runCommand, type Actor, type CommandContext, type CommandScope } from "./command.js";
import { snapshotOf } from "./snapshot.js";
import { moveAssignee } from "./ticket-actions.js";
import { loadTicket, type TicketRef } from "./ticket-ref.js";

/** Routing's decisions are the system's: audited and announced as assignments by `system`. */
export const ROUTING_ACTOR: Actor = { type: "system", id: null };

export interface RoutingOutcome {
  ticket: TicketRow;
  /** Null when nobody could take it; `reason` says why (announced as ticket.unrouted). */
  assigneeId: string | null;
  reason: string | null;
}

/**
 * Routes an unassigned, unfinished ticket inside a running command: counts every member's
 * load, picks by the rule (domain/routing.ts), assigns and moves the round-robin pointer, or
 * announces ticket.unrouted. Why the loads are exact: they are counted from the tickets in
 * this write transaction, and every write of this process goes through the one write queue
 * into SQLite's single writer (BEGIN IMMEDIATE), so no creation, resolution, reassignment or
 * deactivation can commit between the count and the assignment; another server on the same
 * file waits for the same lock.
 */
export async function routeInScope(scope: CommandScope, ticket: TicketRow): Promise<RoutingOutcome> {
  const candidates = await routingCandidates(scope.tx, ticket);
  const decision = chooseAssignee(ticket, candidates, await routingPointer(scope.tx, ticket));
  if (decision.agentId === null) {
    await scope.announce({ type: "ticket.unrouted", ticket: snapshotOf(ticket), reason: decision.reason });
    return { ticket, assigneeId: null, reason: decision.reason };
  }
  await moveRoutingPointer(scope.tx, ticket, decision.agentId, scope.at);
  const assigned = await moveAssignee(scope, ticket, decision.agentId, ROUTING_ACTOR);
  return { ticket: assigned, assigneeId: decision.agentId, reason: null };
}

/** On creation: routes the new ticket when its site routes automatically; a manual site's ticket waits as it is. */
export async function routeIfAutomatic(scope: CommandScope, ticket: TicketRow): Promise<TicketRow> {
  if ((await siteRouting(scope.tx, ticket.siteId)).routing !== "automatic") return ticket;
  return (await routeInScope(scope, ticket)).ticket;
}

/** Why a ticket cannot be routed on demand, or null. */
function routeRefusal(ticket: TicketRow): DomainError | null {
  if (!isActiveStatus(ticket.status)) return new DomainError("illegal_transition", `a ${ticket.status} ticket is not routed`, { status: ticket.status });
  if (ticket.assigneeId !== null) return new DomainError("conflict", "this ticket is already assigned; unassign it first to route it again");
  return null;
}

/** routeTicket: on demand (any site, manual or automatic): an unassigned, unfinished ticket goes to the agent the rule picks. */
export function routeTicket(context: CommandContext, input: { ticket: TicketRef }): Promise<RoutingOutcome> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, input.ticket);
    const refusal = routeRefusal(ticket);
    if (refusal) throw refusal;
    return routeInScope(scope, ticket);
  });
}

/**
 * An agent who went away hands back its unfinished tickets of the sites that say so
 * (`releaseOnAway`); on automatic sites each is routed again at once (the away agent is no
 * candidate). Runs inside the status change's command.
 */
export async function releaseOnAway(scope: CommandScope, agentId: string, siteIds: readonly string[], actor: Actor): Promise<TicketRow[]> {
  const released: TicketRow[] = [];
  for (const siteId of siteIds) {
    const settings = await siteRouting(scope.tx, siteId);
    if (!settings.releaseOnAway) continue;
    const held = await scope.tx.query.tickets.findMany({
      where: and(eq(tickets.assigneeId, agentId), eq(tickets.siteId, siteId), notInArray(tickets.status, ["resolved", "closed"])),
      orderBy: tickets.createdAt,
    });
    for (const ticket of held) {
      const returned = await moveAssignee(scope, ticket, null, actor);
      released.push(settings.routing === "automatic" ? (await routeInScope(scope, returned)).ticket : returned);
    }
  }
  return released;
}

/**
 * Tickets handed back by a deactivation or a lost site membership go to someone else at once
 * on sites that route automatically, as away-released ones do (the agent they left is no
 * candidate there any more): each an
 * assignment by `system`, or, with nobody to take it, left unassigned and announced as
 * ticket.unrouted to the site's team. Manual sites' tickets wait in the queue.
 */
export async function routeReleased(scope: CommandScope, released: readonly TicketRow[]): Promise<void> {
  const automatic = new Map<string, boolean>();
  for (const ticket of released) {
    if (!automatic.has(ticket.siteId)) automatic.set(ticket.siteId, (await siteRouting(scope.tx, ticket.siteId)).routing === "automatic");
    if (automatic.get(ticket.siteId)) await routeInScope(scope, ticket);
  }
}
