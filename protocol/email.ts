import { z } from "zod";
import { TicketNumberSchema } from "./common.js";

/** What POST /v1/inbound/email answers once a mail is on a ticket. */
export const InboundEmailReceiptSchema = z.object({
  number: TicketNumberSchema,
  /** True when the mail opened this ticket (sent to a site's inbound address); false for a reply. */
  startedTicket: z.boolean(),
  /** The stored message's seq; null when the mail became the new ticket's description. */
  seq: z.number().int().nullable(),
  /** The same mail (by Message-ID) was already stored; nothing new was written. */
  duplicate: z.boolean(),
});
export type InboundEmailReceipt = z.infer<typeof InboundEmailReceiptSchema>;

export const EmailLinkQuerySchema = z.object({ token: z.string().min(10).max(2048) });
