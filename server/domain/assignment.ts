import type { TicketStatus } from "../../protocol/index.js";

/** Why this ticket cannot go to this agent, or null when it can. */
export function assignmentRefusal(
  ticket: { status: TicketStatus },
  assignee: { active: boolean } | null | undefined,
  to: string | null,
): { code: "illegal_transition" | "validation_failed"; message: string } | null {
  if (ticket.status === "closed") return { code: "illegal_transition", message: "a closed ticket cannot be reassigned" };
  if (to !== null && (!assignee || !assignee.active)) return { code: "validation_failed", message: "no active agent with that id" };
  return null;
}

/**
 * Claiming takes an unassigned ticket (or one the claimer already holds); a ticket someone
 * else holds is theirs until they let go or it is reassigned.
 */
export function claimRefusal(ticket: { status: TicketStatus; assigneeId: string | null }, agentId: string): { code: "conflict" | "illegal_transition"; message: string } | null {
  if (ticket.status === "closed") return { code: "illegal_transition", message: "a closed ticket cannot be claimed" };
  if (ticket.assigneeId !== null && ticket.assigneeId !== agentId) return { code: "conflict", message: "another agent has this ticket" };
  return null;
}
