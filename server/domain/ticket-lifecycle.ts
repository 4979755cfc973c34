import type { TicketStatus } from "../../protocol/index.js";

/**
 * The ticket state machine. `escalated` is a detour: an escalated ticket goes back to
 * `in_progress` once someone at the new tier picks it up. `closed` is final.
 */
const transitions: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ["in_progress", "pending_customer", "escalated", "resolved", "closed"],
  in_progress: ["pending_customer", "escalated", "resolved", "closed"],
  pending_customer: ["in_progress", "escalated", "resolved", "closed"],
  escalated: ["in_progress", "resolved", "closed"],
  resolved: ["in_progress", "closed"],
  closed: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return transitions[from].includes(to);
}

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return transitions[from];
}

/** Why a move is refused, in words an agent can act on; null when it is legal. */
export function transitionRefusal(from: TicketStatus, to: TicketStatus): string | null {
  if (from === to) return `the ticket is already ${from}`;
  if (canTransition(from, to)) return null;
  if (from === "closed") return "a closed ticket cannot change; open a new ticket instead";
  return `a ${from} ticket cannot become ${to}; it can become ${transitions[from].join(", ")}`;
}

/** Where a ticket goes when its customer writes: a reply to a waiting or resolved ticket reopens work. */
export function statusAfterCustomerMessage(status: TicketStatus): TicketStatus | null {
  switch (status) {
    case "pending_customer":
    case "resolved":
      return "in_progress";
    case "open":
    case "in_progress":
    case "escalated":
      return null;
    case "closed":
      return null;
  }
}

/**
 * An agent's first public reply starts work on an open ticket; on an escalated one, the reply
 * of the agent now holding it (`byOwner`) is the new owner acting, so work goes on (in_progress).
 */
export function statusAfterAgentReply(status: TicketStatus, byOwner = false): TicketStatus | null {
  if (status === "open") return "in_progress";
  return status === "escalated" && byOwner ? "in_progress" : null;
}

export const isFinished = (status: TicketStatus) => status === "resolved" || status === "closed";
