import type { TicketStatus } from "../../protocol/index.js";

/** Support tiers run 1 (first line) to MAX_TIER; past it a ticket can only move to another department. */
export const MAX_TIER = 3;

export interface EscalationPlan {
  fromTier: number;
  toTier: number;
  /** The department the ticket ends in (its own when none was named). */
  departmentId: string | null;
  movesDepartment: boolean;
}

/**
 * Where an escalation takes a ticket: up to `toTier` (default the next tier, capped at
 * MAX_TIER; never lower than where it stands), optionally into another department or to a
 * named agent. Staying at the same tier is only an escalation when it moves the ticket to
 * another department or hands it to a named agent. Answers a refusal when there is nowhere to go.
 */
export function planEscalation(
  ticket: { tier: number; departmentId: string | null },
  toDepartmentId: string | undefined,
  target: { tier?: number | undefined; namesAgent?: boolean } = {},
): { ok: true; plan: EscalationPlan } | { ok: false; reason: string } {
  const movesDepartment = toDepartmentId !== undefined && toDepartmentId !== ticket.departmentId;
  if (target.tier !== undefined && (target.tier < ticket.tier || target.tier > MAX_TIER)) {
    return { ok: false, reason: `the ticket is at tier ${ticket.tier}; escalate it to a tier from ${ticket.tier} to ${MAX_TIER}` };
  }
  const toTier = target.tier ?? Math.min(MAX_TIER, ticket.tier + 1);
  if (toTier === ticket.tier && !movesDepartment && !target.namesAgent) {
    return {
      ok: false,
      reason: ticket.tier >= MAX_TIER ? `the ticket is already at tier ${MAX_TIER}; escalate to another department or a named agent instead` : `the ticket is already at tier ${toTier}`,
    };
  }
  return { ok: true, plan: { fromTier: ticket.tier, toTier, departmentId: toDepartmentId ?? ticket.departmentId, movesDepartment } };
}

/**
 * Who may take an escalated ticket by name: an agent whose own tier reaches the ticket's new
 * tier (a tier-3 ticket goes to a tier-3 agent; a tier-3 agent may take any). Site membership
 * and being active are checked beside it.
 */
export function escalationAgentRefusal(agent: { tier: number; name: string }, toTier: number): string | null {
  return agent.tier >= toTier ? null : `${agent.name} works at tier ${agent.tier}; a ticket escalated to tier ${toTier} needs an agent of tier ${toTier} or higher`;
}

/** An escalated ticket that someone at the new tier picks up is being worked on again. */
export const statusAfterPickUp = (status: TicketStatus): TicketStatus | null => (status === "escalated" ? "in_progress" : null);
