import type { TicketStatus } from "../../protocol/index.js";

export const MIN_SCORE = 1;
export const MAX_SCORE = 5;

/**
 * Why a customer may not rate this ticket now, or null when they may: only once it is
 * resolved or closed, with a whole score from 1 to 5, and only once (a rating is never
 * overwritten).
 */
export function ratingRefusal(
  ticket: { status: TicketStatus; rating: number | null },
  score: number,
): { code: "illegal_transition" | "conflict" | "validation_failed"; message: string } | null {
  if (!Number.isInteger(score) || score < MIN_SCORE || score > MAX_SCORE) {
    return { code: "validation_failed", message: `a rating is a whole number from ${MIN_SCORE} to ${MAX_SCORE}` };
  }
  if (ticket.status !== "resolved" && ticket.status !== "closed") {
    return { code: "illegal_transition", message: `a ticket can be rated once it is resolved; this one is ${ticket.status}` };
  }
  if (ticket.rating !== null) return { code: "conflict", message: "this ticket has already been rated" };
  return null;
}
