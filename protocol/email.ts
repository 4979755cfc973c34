import { z } from "zod";
import { CursorQuerySchema, IsoDateSchema, TicketNumberSchema } from "./common.js";

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

/** The emails Parley sends (templates under server/delivery/email/). */
export const EmailTemplateSchema = z.enum([
  "ticket-created",
  "agent-replied",
  "ticket-resolved",
  "ticket-closed",
  "ticket-assigned",
  "ticket-escalated",
  "rating-reminder",
  "chat-transcript",
  "sla-warning",
  "sla-breached",
]);
export type EmailTemplateName = z.infer<typeof EmailTemplateSchema>;

export const EmailDeliveryStatusSchema = z.enum(["pending", "delivered", "dead"]);
export const EmailDeliveryListQuerySchema = CursorQuerySchema.extend({ status: EmailDeliveryStatusSchema.optional() });
export type EmailDeliveryListQuery = z.infer<typeof EmailDeliveryListQuerySchema>;
export const EmailDeliveryParamsSchema = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** The last attempt at an email: what the SMTP server (or the channel) said. */
export const EmailAttemptSchema = z.object({
  attempt: z.number().int(),
  outcome: z.enum(["delivered", "retry", "dead"]),
  /** The SMTP reply code of a refusal (550, 451…); null otherwise. */
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  /** Why a "delivered" email was not actually sent (the customer unsubscribed, read the reply meanwhile…). */
  note: z.string().nullable(),
  latencyMs: z.number().int(),
  at: IsoDateSchema,
});

/** One email in the admins' delivery log (an outbox entry of the email channel), newest first. */
export const EmailDeliverySchema = z.object({
  id: z.number().int(),
  to: z.string(),
  audience: z.enum(["customer", "agent"]).nullable(),
  /** Null only for an entry whose stored payload this server cannot read. */
  template: EmailTemplateSchema.nullable(),
  /** The domain event that caused it (ticket.created, message.created…). */
  eventType: z.string(),
  ticketNumber: TicketNumberSchema.nullable(),
  status: EmailDeliveryStatusSchema,
  attempts: z.number().int(),
  lastAttempt: EmailAttemptSchema.nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoDateSchema,
  /** When the dispatcher tries it next (pending), or null once settled. */
  nextAttemptAt: IsoDateSchema.nullable(),
  deliveredAt: IsoDateSchema.nullable(),
});
export type EmailDelivery = z.infer<typeof EmailDeliverySchema>;

/** A redelivery: the same entry (same Message-ID, same content) back in line with a fresh count of attempts. */
export const EmailRedeliverySchema = z.object({
  id: z.number().int(),
  /** `pending`: the email was not settled yet and stays where it was in line. */
  status: z.enum(["queued", "pending"]),
  nextAttemptAt: IsoDateSchema,
});
export type EmailRedelivery = z.infer<typeof EmailRedeliverySchema>;
