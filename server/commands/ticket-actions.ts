import { eq } from "drizzle-orm";
import type { UpdateTicketBody } from "../../protocol/index.js";
import { agents, tickets } from "../db/schema.js";
import { assignmentRefusal, claimRefusal } from "../domain/assignment.js";
import { DomainError } from "../domain/errors.js";
import { planEscalation, statusAfterPickUp } from "../domain/escalation.js";
import { ratingRefusal } from "../domain/rating.js";
import type { Tx } from "../db/client.js";
import { changeStatus, recordEvent } from "../tickets/store.js";
import { departmentById, updateTicket } from "../tickets/update.js";
import type { TicketRow } from "../tickets/views.js";
import { runCommand, type Actor, type CommandContext, type CommandScope } from "./command.js";
import { snapshotOf } from "./snapshot.js";
import { loadTicket, type TicketRef } from "./ticket-ref.js";

/** Gives the ticket to `to` (null: back to the queue); an escalated ticket someone picks up is in progress again. */
async function moveAssignee({ tx, at, announce }: CommandScope, ticket: TicketRow, to: string | null, actor: Actor): Promise<TicketRow> {
  if (to === ticket.assigneeId) return ticket;
  await recordEvent(tx, ticket.id, "assigned", actor, { from: ticket.assigneeId, to }, at);
  let [current] = (await tx.update(tickets).set({ assigneeId: to, updatedAt: at }).where(eq(tickets.id, ticket.id)).returning()) as [TicketRow];
  const picked = to !== null ? statusAfterPickUp(current.status) : null;
  if (picked) current = await changeStatus(tx, current, picked, actor, at);
  await announce({ type: "ticket.assigned", ticket: snapshotOf(current), from: ticket.assigneeId, to });
  return current;
}

async function activeAgent(tx: Tx, id: string) {
  return tx.query.agents.findFirst({ where: eq(agents.id, id) });
}

/** assign: to an active agent, or unassign with null; a closed ticket keeps its assignee. */
export function assign(context: CommandContext, input: { ticket: TicketRef; agentId: string | null; actor: Actor }): Promise<TicketRow> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, input.ticket);
    const assignee = input.agentId === null ? null : await activeAgent(scope.tx, input.agentId);
    const refusal = assignmentRefusal(ticket, assignee, input.agentId);
    if (refusal) {
      throw refusal.code === "validation_failed"
        ? new DomainError("validation_failed", refusal.message, [{ path: "agentId", message: "unknown or inactive agent" }])
        : new DomainError(refusal.code, refusal.message);
    }
    return moveAssignee(scope, ticket, input.agentId, input.actor);
  });
}

/** claim: the acting agent takes the ticket; 409 when someone else has it. */
export function claim(context: CommandContext, input: { ticket: TicketRef; agentId: string }): Promise<TicketRow> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, input.ticket);
    const refusal = claimRefusal(ticket, input.agentId);
    if (refusal) throw new DomainError(refusal.code, refusal.message);
    return moveAssignee(scope, ticket, input.agentId, { type: "agent", id: input.agentId });
  });
}

/** escalate: the next tier, optionally into another department; the ticket goes back to that tier's queue. */
export function escalate(
  context: CommandContext,
  input: { ticket: TicketRef; reason: string | null; departmentId?: string | undefined; actor: Actor },
): Promise<TicketRow> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, input.ticket);
    if (input.departmentId) await departmentById(scope.tx, input.departmentId);
    return applyEscalation(scope, ticket, input);
  });
}

/**
 * What escalate changes, on a ticket already loaded inside a running command: for commands
 * that first check a condition of their own (the scheduled escalation of unattended tickets).
 */
export async function applyEscalation(
  { tx, at, announce }: CommandScope,
  loaded: TicketRow,
  input: { reason: string | null; departmentId?: string | undefined; actor: Actor },
): Promise<TicketRow> {
  const planned = planEscalation(loaded, input.departmentId);
  if (!planned.ok) throw new DomainError("conflict", planned.reason);
  const { plan } = planned;
  const ticket = await changeStatus(tx, loaded, "escalated", input.actor, at);
  await recordEvent(tx, ticket.id, "escalated", input.actor, { fromTier: plan.fromTier, toTier: plan.toTier, reason: input.reason, departmentId: plan.departmentId }, at);
  const [row] = await tx.update(tickets).set({ tier: plan.toTier, departmentId: plan.departmentId, assigneeId: null, updatedAt: at }).where(eq(tickets.id, ticket.id)).returning();
  await announce({
    type: "ticket.escalated",
    ticket: snapshotOf(row!),
    fromTier: plan.fromTier,
    toTier: plan.toTier,
    reason: input.reason,
    toAgentId: null,
    toDepartmentId: plan.departmentId,
  });
  return row!;
}

/** changeTicket: status, priority, category, tags or department, each with its own history row. */
export function changeTicket(context: CommandContext, input: { ticket: TicketRef; change: UpdateTicketBody; actor: Actor }): Promise<TicketRow> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const before = await loadTicket(tx, input.ticket);
    const after = await updateTicket(tx, before, input.change, input.actor, at);
    const fields = ["status", "priority", "categoryId", "departmentId"] as const;
    const changes: string[] = fields.filter((field) => before[field] !== after[field]);
    if (JSON.stringify(before.tags) !== JSON.stringify(after.tags)) changes.push("tags");
    if (changes.length > 0) await announce({ type: "ticket.updated", ticket: snapshotOf(after), changes });
    return after;
  });
}

/** resolve: marks the ticket resolved; the resolution text is kept in its history with who resolved it. */
export function resolve(context: CommandContext, input: { ticket: TicketRef; resolution?: string | undefined; actor: Actor }): Promise<TicketRow> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const moved = await changeStatus(tx, await loadTicket(tx, input.ticket), "resolved", input.actor, at, input.resolution);
    const [ticket] = (await tx
      .update(tickets)
      .set({ resolvedBy: input.actor.type === "agent" ? input.actor.id : null, resolution: input.resolution ?? null })
      .where(eq(tickets.id, moved.id))
      .returning()) as [TicketRow];
    await announce({ type: "ticket.resolved", ticket: snapshotOf(ticket), resolution: input.resolution ?? null });
    return ticket;
  });
}

/** close: for good; `message` is what the customer is told (the email channel sends it). */
export function close(context: CommandContext, input: { ticket: TicketRef; message?: string | undefined; actor: Actor }): Promise<TicketRow> {
  return runCommand(context, async (scope) => applyClose(scope, await loadTicket(scope.tx, input.ticket), input));
}

/**
 * What close changes, on a ticket already loaded inside a running command. `viaTranscript`:
 * an idle chat's archive closes it and its transcript email tells the customer instead.
 */
export async function applyClose(
  { tx, at, announce }: CommandScope,
  loaded: TicketRow,
  input: { message?: string | undefined; actor: Actor; viaTranscript?: true },
): Promise<TicketRow> {
  const ticket = await changeStatus(tx, loaded, "closed", input.actor, at, input.message);
  await announce({ type: "ticket.closed", ticket: snapshotOf(ticket), message: input.message ?? null, ...(input.viaTranscript ? { viaTranscript: true as const } : {}) });
  return ticket;
}

/** rate: the customer's CSAT score, once, after resolution. */
export function rate(context: CommandContext, input: { ticket: TicketRef; score: number; comment: string | null; actor: Actor }): Promise<TicketRow> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const ticket = await loadTicket(tx, input.ticket);
    const refusal = ratingRefusal(ticket, input.score);
    if (refusal) throw new DomainError(refusal.code, refusal.message, refusal.code === "illegal_transition" ? { status: ticket.status } : undefined);
    const [updated] = await tx.update(tickets).set({ rating: input.score, ratingComment: input.comment, ratedAt: at, updatedAt: at }).where(eq(tickets.id, ticket.id)).returning();
    await recordEvent(tx, ticket.id, "rated", input.actor, { score: input.score, comment: input.comment }, at);
    await announce({ type: "rating.created", ticket: snapshotOf(updated!), score: input.score, comment: input.comment });
    return updated!;
  });
}
