import { eq } from "drizzle-orm";
import { tickets } from "../db/schema.js";
import { recordEvent } from "../tickets/store.js";
import type { TicketRow } from "../tickets/views.js";
import { runCommand, type CommandContext } from "./command.js";
import { snapshotOf } from "./snapshot.js";

export type EmailRatingOutcome = { ok: true; ticket: TicketRow } | { ok: false; reason: "unknown_ticket" | "not_resolved" | "already_rated" };

/**
 * A rating sent from the link in the "resolved" email: the same rule as the widget's (once,
 * after resolution), announced as the widget's is.
 */
export async function rateTicketFromEmail(context: CommandContext, rating: { ticketNumber: string; score: number; comment: string | null }): Promise<EmailRatingOutcome> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const ticket = await tx.query.tickets.findFirst({ where: eq(tickets.number, rating.ticketNumber) });
    if (!ticket) return { ok: false, reason: "unknown_ticket" } as const;
    if (ticket.status !== "resolved" && ticket.status !== "closed") return { ok: false, reason: "not_resolved" } as const;
    if (ticket.rating !== null) return { ok: false, reason: "already_rated" } as const;
    const [updated] = await tx
      .update(tickets)
      .set({ rating: rating.score, ratingComment: rating.comment, ratedAt: at, updatedAt: at })
      .where(eq(tickets.id, ticket.id))
      .returning();
    await recordEvent(tx, ticket.id, "rated", { type: "customer", id: ticket.visitorId }, { score: rating.score, comment: rating.comment, via: "email" }, at);
    await announce({ type: "rating.created", ticket: snapshotOf(updated!), score: rating.score, comment: rating.comment });
    return { ok: true, ticket: updated! } as const;
  });
}
