import { and, eq } from "drizzle-orm";
import { contactMessages, tickets } from "../db/schema.js";
import { createTicket, newId, type NewTicket } from "../tickets/store.js";
import type { TicketRow } from "../tickets/views.js";
import { runCommand, type Actor, type CommandContext } from "./command.js";
import { routeIfAutomatic } from "./route-ticket.js";
import { snapshotOf } from "./snapshot.js";

/** openTicket: a new ticket, idempotent by the visitor's clientId (a repeat answers the stored one, created: false). */
export async function openTicket(context: CommandContext, input: NewTicket, actor: Actor): Promise<{ ticket: TicketRow; created: boolean }> {
  return runCommand(context, async (scope) => {
    const { tx, at, announce } = scope;
    if (input.clientId && input.visitorId) {
      const existing = await tx.query.tickets.findFirst({ where: and(eq(tickets.visitorId, input.visitorId), eq(tickets.clientId, input.clientId)) });
      if (existing) return { ticket: existing, created: false };
    }
    const ticket = await createTicket(tx, input, actor, at);
    await announce({ type: "ticket.created", ticket: snapshotOf(ticket) });
    // Announced first: the team hears of the ticket, then of whom it went to (or that nobody could take it).
    return { ticket: await routeIfAutomatic(scope, ticket), created: true };
  });
}

/** submitContact: the contact form's ticket (no visitor), with the form kept as it was sent. */
export async function submitContact(
  context: CommandContext,
  input: { siteId: string; name: string; email: string; subject: string; message: string },
): Promise<{ ticket: TicketRow; at: number }> {
  return runCommand(context, async (scope) => {
    const { tx, at, announce } = scope;
    const ticket = await createTicket(
      tx,
      { siteId: input.siteId, visitorId: null, customerName: input.name, customerEmail: input.email, subject: input.subject, description: input.message, source: "contact" },
      { type: "customer", id: null },
      at,
    );
    await tx.insert(contactMessages).values({ id: newId(), siteId: input.siteId, ticketId: ticket.id, name: input.name, email: input.email, subject: input.subject, message: input.message, createdAt: at });
    const snapshot = snapshotOf(ticket);
    await announce({ type: "ticket.created", ticket: snapshot });
    await announce({ type: "contact.created", ticket: snapshot });
    return { ticket: await routeIfAutomatic(scope, ticket), at };
  });
}
