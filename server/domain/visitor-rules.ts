import type { TicketPriority, TicketStatus } from "../../protocol/index.js";

/**
 * The highest priority a visitor may choose. `urgent` jumps every queue and starts the
 * 15-minute clock, so it is the team's call, not the customer's: a visitor asking for it gets
 * `high`. (There is no per-category priority rule yet; when one lands it may raise the capped
 * value, as an agent or admin may.)
 */
export const VISITOR_PRIORITY_CAP: TicketPriority = "high";

export function visitorPriority(requested: TicketPriority | undefined): TicketPriority | undefined {
  return requested === "urgent" ? VISITOR_PRIORITY_CAP : requested;
}

/**
 * A customer may close their own ticket once the team has resolved it (confirming the fix);
 * before that, closing would end work the team has not finished, so it is refused.
 */
export function customerCloseRefusal(status: TicketStatus): string | null {
  if (status === "resolved") return null;
  if (status === "closed") return "the ticket is already closed";
  return `only a resolved ticket can be closed by its customer; this one is ${status}`;
}
