import { usableResponse } from "../canned/store.js";
import type { CannedCaller } from "../domain/canned-access.js";
import { renderTemplate } from "../domain/canned-template.js";
import { DomainError } from "../domain/errors.js";
import type { MessageRow } from "../tickets/views.js";
import type { CommandContext } from "./command.js";
import { postMessage } from "./ticket-messages.js";
import { loadTicket, type TicketRef } from "./ticket-ref.js";

/**
 * A canned response filled in for one ticket, and sent as the agent's reply (or note) when
 * asked: the ticket is reached through the same reference, and so the same access check, as
 * every other agent route; the response must be one the agent may use (404 otherwise, like
 * one that does not exist) and, for a site response, of the ticket's own site.
 */
export async function useCannedResponse(
  context: CommandContext,
  input: {
    ticket: TicketRef;
    responseId: string;
    agent: CannedCaller & { name: string };
    send: { clientId: string; internal: boolean } | null;
  },
): Promise<{ body: string; message: MessageRow | null; created: boolean }> {
  const ticket = await loadTicket(context.db.orm, input.ticket);
  const response = await usableResponse(context.db.orm, input.agent, input.responseId);
  if (response.scope === "site" && response.siteId !== ticket.siteId) {
    throw new DomainError("validation_failed", `${response.shortcut} belongs to another site than ticket ${ticket.number}`, [{ path: "id", message: "a response of another site" }]);
  }
  const body = renderTemplate(response.body, {
    "customer.name": ticket.customerName,
    "agent.name": input.agent.name,
    "ticket.number": ticket.number,
    "ticket.subject": ticket.subject,
  });
  if (!input.send) return { body, message: null, created: false };
  const sent = await postMessage(context, {
    ticket: input.ticket,
    clientId: input.send.clientId,
    body,
    sender: { type: "agent", id: input.agent.id, name: input.agent.name },
    internal: input.send.internal,
    attachments: [],
  });
  return { body, message: sent.message, created: sent.created };
}
