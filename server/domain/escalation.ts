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
 * Where an escalation takes a ticket: the next tier (capped at MAX_TIER), optionally into
 * another department. Answers a refusal instead when there is nowhere further to go.
 */
export function planEscalation(
  ticket: { tier: number; departmentId: string | null },
  toDepartmentId: string | undefined,
): { ok: true; plan: EscalationPlan } | { ok: false; reason: string } {
  const movesDepartment = toDepartmentId !== undefined && toDepartmentId !== ticket.departmentId;
  if (ticket.tier >= MAX_TIER && !movesDepartment) {
    return { ok: false, reason: `the ticket is already at tier ${MAX_TIER}; escalate to another department instead` };
  }
  return {
    ok: true,
    plan: { fromTier: ticket.tier, toTier: Math.min(MAX_TIER, ticket.tier + 1), departmentId: toDepartmentId ?? ticket.departmentId, movesDepartment },
  };
}

/** An escalated ticket that someone at the new tier picks up is being worked on again. */
export const statusAfterPickUp = (status: TicketStatus): TicketStatus | null => (status === "escalated" ? "in_progress" : null);
