import type { Reader } from "../db/client.js";
import type { VisitorRow } from "../db/rows.js";
import { ticketByNumber, visitorTicket } from "../tickets/access.js";
import type { TicketRow } from "../tickets/views.js";

/**
 * Which ticket a command acts on, and from which side: a visitor reaches only their own
 * tickets (403 otherwise), the team reaches every ticket.
 */
export type TicketRef = { number: string; visitor: VisitorRow } | { number: string; visitor?: undefined };

export const loadTicket = (reader: Reader, ref: TicketRef): Promise<TicketRow> =>
  ref.visitor ? visitorTicket(reader, ref.visitor, ref.number) : ticketByNumber(reader, ref.number);
