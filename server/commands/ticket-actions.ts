import { eq } from "drizzle-orm";
import type { UpdateTicketBody } from "../../protocol/index.js";
import { agents, tickets } from "../db/schema.js";
import { assignmentRefusal, claimRefusal } from "../domain/assignment.js";
import { DomainError } from "../domain/errors.js";
import { escalationAgentRefusal, planEscalation, statusAfterPickUp } from "../domain/escalation.js";
import { ratingRefusal } from "../domain/rating.js";
import { customerCloseRefusal } from "../domain/visitor-rules.js";
import { transitionRefusal } from "../domain/ticket-lifecycle.js";
import type { Tx } from "../db/client.js";
import type { AgentRow } from "../db/rows.js";
import { mayWorkOnSite } from "../domain/site-scope.js";
import { agentSiteIds } from "../tickets/scope.js";
import { changeStatus, recordEvent } from "../tickets/store.js";
import { slaChangesBetween } from "../tickets/sla-clock.js";
import { departmentById, updateTicket } from "../tickets/update.js";
import type { TicketRow } from "../tickets/views.js";
import { runCommand, type Actor, type CommandContext, type CommandScope } from "./command.js";
import { snapshotOf } from "./snapshot.js";
import { appendAndAnnounce } from "./ticket-messages.js";
import { loadTicket, type TicketRef } from "./ticket-ref.js";

/**
 * A ticket.updated naming the SLA changes that a command's own event does not tell: due times
 * pushed by the end of a pause, a breach stamped. (The pause's start and the pending target
 * follow from the status the event already carries.)
 */
async function announceSlaChanges(announce: CommandScope["announce"], before: TicketRow, after: TicketRow): Promise<void> {
  const changes = slaChangesBetween(before, after).filter((field) => field !== "slaPausedAt" && field !== "slaDueAt");
  if (changes.length > 0) await announce({ type: "ticket.updated", ticket: snapshotOf(after), changes });
}

/** Gives the ticket to `to` (null: back to the queue); an escalated ticket someone picks up is in progress again. */
export async function moveAssignee({ tx, at, announce }: CommandScope, ticket: TicketRow, to: string | null, actor: Actor): Promise<TicketRow> {
  if (to === ticket.assigneeId) return ticket;
  await recordEvent(tx, ticket.id, "assigned", actor, { from: ticket.assigneeId, to }, at);
  const [assigned] = await tx.update(tickets).set({ assigneeId: to, updatedAt: at }).where(eq(tickets.id, ticket.id)).returning();
  let current: TicketRow = assigned!;
  const picked = to !== null ? statusAfterPickUp(current.status) : null;
  if (picked) current = await changeStatus(tx, current, picked, actor, at);
  await announce({ type: "ticket.assigned", ticket: snapshotOf(current), from: ticket.assigneeId, to });
  await announceSlaChanges(announce, ticket, current);
  return current;
}

async function activeAgent(tx: Tx, id: string) {
  return tx.query.agents.findFirst({ where: eq(agents.id, id) });
}

/** A ticket is only ever held by someone who can open it: an admin, or a member of its site. */
async function assertMayHold(tx: Tx, agent: AgentRow, ticket: TicketRow): Promise<void> {
  if (mayWorkOnSite(agent, await agentSiteIds(tx, agent.id), ticket.siteId)) return;
  throw new DomainError("not_site_member", `${agent.name} is not a member of this ticket's site; add them to the site first`, [
    { path: "agentId", message: "not a member of the ticket's site" },
  ]);
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
    if (assignee) await assertMayHold(scope.tx, assignee, ticket);
    return moveAssignee(scope, ticket, input.agentId, input.actor);
  });
}

/** claim: the acting agent takes the ticket; 409 when someone else has it. */
export function claim(context: CommandContext, input: { ticket: TicketRef; agentId: string }): Promise<TicketRow> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, input.ticket);
    const refusal = claimRefusal(ticket, input.agentId);
    if (refusal) throw new DomainError(refusal.code, refusal.message);
    const claimer = await activeAgent(scope.tx, input.agentId);
    if (!claimer?.active) throw new DomainError("validation_failed", "no active agent with that id", [{ path: "agentId", message: "unknown or inactive agent" }]);
    await assertMayHold(scope.tx, claimer, ticket);
    return moveAssignee(scope, ticket, input.agentId, { type: "agent", id: input.agentId });
  });
}

/** What an escalation names beyond its reason: a tier, a department, an agent to hand it to. */
export interface EscalationTarget {
  reason: string | null;
  departmentId?: string | undefined;
  /** Default: the next tier. */
  tier?: number | undefined;
  /** Hands the ticket to this agent (an active member of its site, of the new tier or higher); else back to the tier's queue. */
  agentId?: string | undefined;
  actor: Actor;
}

/** escalate: up a tier (or to a named tier), optionally into another department and to a named agent; the chain is in the history. */
export function escalate(context: CommandContext, input: EscalationTarget & { ticket: TicketRef }): Promise<TicketRow> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, input.ticket);
    if (input.departmentId) await departmentById(scope.tx, input.departmentId);
    return applyEscalation(scope, ticket, input);
  });
}

/**
 * What escalate changes, on a ticket already loaded inside a running command: for commands
 * that first check a condition of their own (the scheduled escalations: unattended, SLA breach).
 */
export async function applyEscalation({ tx, at, announce }: CommandScope, loaded: TicketRow, input: EscalationTarget): Promise<TicketRow> {
  const planned = planEscalation(loaded, input.departmentId, { tier: input.tier, namesAgent: input.agentId !== undefined });
  if (!planned.ok) throw new DomainError("conflict", planned.reason);
  const { plan } = planned;
  let owner: AgentRow | null = null;
  if (input.agentId !== undefined) {
    const agent = await activeAgent(tx, input.agentId);
    if (!agent?.active) throw new DomainError("validation_failed", "no active agent with that id", [{ path: "agentId", message: "unknown or inactive agent" }]);
    await assertMayHold(tx, agent, loaded);
    const refusal = escalationAgentRefusal(agent, plan.toTier);
    if (refusal) throw new DomainError("validation_failed", refusal, [{ path: "agentId", message: `below tier ${plan.toTier}` }]);
    owner = agent;
  }
  // An escalated ticket escalated again stays escalated: the history still records the step.
  const ticket = loaded.status === "escalated" ? loaded : await changeStatus(tx, loaded, "escalated", input.actor, at);
  await recordEvent(
    tx,
    ticket.id,
    "escalated",
    input.actor,
    { fromTier: plan.fromTier, toTier: plan.toTier, reason: input.reason, departmentId: plan.departmentId, fromAgentId: loaded.assigneeId, toAgentId: owner?.id ?? null },
    at,
  );
  const [row] = await tx
    .update(tickets)
    .set({ tier: plan.toTier, departmentId: plan.departmentId, assigneeId: owner?.id ?? null, updatedAt: at })
    .where(eq(tickets.id, ticket.id))
    .returning();
  await announce({
    type: "ticket.escalated",
    ticket: snapshotOf(row!),
    fromTier: plan.fromTier,
    toTier: plan.toTier,
    reason: input.reason,
    toAgentId: owner?.id ?? null,
    toDepartmentId: plan.departmentId,
  });
  await announceSlaChanges(announce, loaded, row!);
  return row!;
}

/** changeTicket: status, priority, category, tags or department, each with its own history row. */
export function changeTicket(
  context: CommandContext,
  input: {
    ticket: TicketRef;
    /** The change, or how to work it out from the ticket as it is inside this transaction (a bulk tag edit adds to the current tags). */
    change: UpdateTicketBody | ((ticket: TicketRow) => UpdateTicketBody);
    actor: Actor;
  },
): Promise<TicketRow> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const before = await loadTicket(tx, input.ticket);
    const change = typeof input.change === "function" ? input.change(before) : input.change;
    const after = await updateTicket(tx, before, change, input.actor, at);
    const fields = ["status", "priority", "categoryId", "departmentId"] as const;
    const changes: string[] = fields.filter((field) => before[field] !== after[field]);
    if (JSON.stringify(before.tags) !== JSON.stringify(after.tags)) changes.push("tags");
    // New due times (a priority or category with another policy, the end of a pause), breaches.
    if (changes.length > 0) changes.push(...slaChangesBetween(before, after));
    if (changes.length > 0) await announce({ type: "ticket.updated", ticket: snapshotOf(after), changes });
    return after;
  });
}

/** resolve: marks the ticket resolved; the resolution text is kept in its history with who resolved it. */
export function resolve(context: CommandContext, input: { ticket: TicketRef; resolution?: string | undefined; actor: Actor }): Promise<TicketRow> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const before = await loadTicket(tx, input.ticket);
    const moved = await changeStatus(tx, before, "resolved", input.actor, at, input.resolution);
    const [resolved] = await tx
      .update(tickets)
      .set({ resolvedBy: input.actor.type === "agent" ? input.actor.id : null, resolution: input.resolution ?? null })
      .where(eq(tickets.id, moved.id))
      .returning();
    const ticket: TicketRow = resolved!;
    await announce({ type: "ticket.resolved", ticket: snapshotOf(ticket), resolution: input.resolution ?? null });
    await announceSlaChanges(announce, before, ticket);
    return ticket;
  });
}

/**
 * close: for good. A `message` is said to the customer: posted in the conversation first (a
 * visible message from the closer, with its own message.created) and quoted in the closed
 * email, which stands for both. A customer closes only their own resolved ticket
 * (visitor-rules.ts); the team closes any open one.
 */
export function close(context: CommandContext, input: { ticket: TicketRef; message?: string | undefined; actor: Actor }): Promise<TicketRow> {
  return runCommand(context, async (scope) => applyClose(scope, await loadTicket(scope.tx, input.ticket), input));
}

/**
 * What close changes, on a ticket already loaded inside a running command. `viaTranscript`:
 * an idle chat's archive closes it and its transcript email tells the customer instead.
 */
export async function applyClose(
  scope: CommandScope,
  loaded: TicketRow,
  input: { message?: string | undefined; actor: Actor; viaTranscript?: true },
): Promise<TicketRow> {
  const { tx, at, announce } = scope;
  let ticket = loaded;
  const message = input.message?.trim() || null;
  // Refused before the message is posted, so a refused close leaves no message behind.
  const refusal = input.actor.type === "customer" ? customerCloseRefusal(ticket.status) : transitionRefusal(ticket.status, "closed");
  if (refusal) throw new DomainError("illegal_transition", refusal, { from: ticket.status, to: "closed" });
  if (message) {
    const sender = { type: input.actor.type, id: input.actor.id, name: input.actor.type === "agent" && input.actor.id ? await agentName(tx, input.actor.id) : null };
    // A ticket closes once, so one closing message per ticket: its clientId says what it is.
    const posted = await appendAndAnnounce(scope, ticket, { clientId: `close:${ticket.id}`, body: message, sender, internal: false, attachments: [] }, { closing: true });
    ticket = posted.ticket;
  }
  ticket = await changeStatus(tx, ticket, "closed", input.actor, at, message ?? undefined);
  await announce({ type: "ticket.closed", ticket: snapshotOf(ticket), message, ...(input.viaTranscript ? { viaTranscript: true as const } : {}) });
  await announceSlaChanges(announce, loaded, ticket);
  return ticket;
}

async function agentName(tx: Tx, id: string): Promise<string | null> {
  const [row] = await tx.select({ name: agents.name }).from(agents).where(eq(agents.id, id)).limit(1);
  return row?.name ?? null;
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
