import type { Reader } from "../db/client.js";
import type { VisitorRow } from "../db/rows.js";
import type { SiteScope } from "../domain/site-scope.js";
import { ticketByNumber, visitorTicket } from "../tickets/access.js";
import { agentTicket } from "../tickets/scope.js";
import type { TicketRow } from "../tickets/views.js";

/**
 * Which ticket a command acts on, and from which side:
 * - a visitor reaches only their own tickets (403 otherwise);
 * - an agent (`scope`: the sites it works on) only the tickets of its sites, any other one
 *   answering 404 as if it did not exist;
 * - with neither, the whole team: every ticket (the system, jobs, inbound email after its own check).
 */
export type TicketRef =
  | { number: string; visitor: VisitorRow; scope?: undefined }
  | { number: string; scope: SiteScope; visitor?: undefined }
  | { number: string; visitor?: undefined; scope?: undefined };

export const loadTicket = (reader: Reader, ref: TicketRef): Promise<TicketRow> => {
  if (ref.visitor) return visitorTicket(reader, ref.visitor, ref.number);
  if (ref.scope) return agentTicket(reader, ref.scope, ref.number);
  return ticketByNumber(reader, ref.number);
};
