/**
 * What a webhook endpoint can subscribe to; receivers must ignore types they do not know.
 * `sla.warning`: a ticket passed 80 % of its pending target; `sla.breached`: it missed it (and
 * was escalated). Plain data without zod, so the inbox's checklist reads it without the schemas.
 */
export const WEBHOOK_EVENT_TYPES = [
  "ticket.created",
  "ticket.updated",
  "ticket.assigned",
  "ticket.unrouted",
  "ticket.escalated",
  "ticket.resolved",
  "ticket.closed",
  "message.created",
  "rating.created",
  "contact.created",
  "sla.warning",
  "sla.breached",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (value: unknown): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);
