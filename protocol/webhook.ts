import { z } from "zod";
import { CursorQuerySchema, IdSchema, IsoDateSchema, TagsSchema, TicketNumberSchema } from "./common.js";
import { SenderTypeSchema, SlaTargetSchema, TicketPrioritySchema, TicketSourceSchema, TicketStatusSchema } from "./enums.js";
import { AttachmentSchema } from "./message.js";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./webhook-events.js";

/** What an endpoint can subscribe to (the list: webhook-events.ts). */
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

/** Sent only by `POST /v1/admin/webhooks/{id}/test`; nobody subscribes to it. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

/** The ticket as a site's own systems see it: routing and customer included, never internal notes. */
export const WebhookTicketSchema = z.object({
  id: IdSchema,
  number: TicketNumberSchema,
  siteId: IdSchema,
  subject: z.string(),
  status: TicketStatusSchema,
  priority: TicketPrioritySchema,
  source: TicketSourceSchema,
  categoryId: IdSchema.nullable(),
  departmentId: IdSchema.nullable(),
  tier: z.number().int(),
  tags: TagsSchema,
  assigneeId: IdSchema.nullable(),
  customer: z.object({
    visitorId: IdSchema.nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
  }),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  resolvedAt: IsoDateSchema.nullable(),
  closedAt: IsoDateSchema.nullable(),
});
export type WebhookTicket = z.infer<typeof WebhookTicketSchema>;

/** A message the customer can see; internal notes never become webhooks. */
export const WebhookMessageSchema = z.object({
  id: IdSchema,
  seq: z.number().int(),
  senderType: SenderTypeSchema,
  senderName: z.string().nullable(),
  body: z.string(),
  attachments: z.array(AttachmentSchema),
  createdAt: IsoDateSchema,
});
export type WebhookMessage = z.infer<typeof WebhookMessageSchema>;

const ticketData = { ticket: WebhookTicketSchema };

/** The `data` of each event type. */
export const WebhookDataSchemas = {
  "ticket.created": z.object(ticketData),
  "ticket.updated": z.object({ ...ticketData, changes: z.array(z.string()) }),
  "ticket.assigned": z.object({ ...ticketData, from: IdSchema.nullable(), to: IdSchema.nullable() }),
  /** Routing found no agent; the ticket waits unassigned. */
  "ticket.unrouted": z.object({ ...ticketData, reason: z.string() }),
  "ticket.escalated": z.object({
    ...ticketData,
    fromTier: z.number().int(),
    toTier: z.number().int(),
    reason: z.string().nullable(),
    toAgentId: IdSchema.nullable(),
    toDepartmentId: IdSchema.nullable(),
  }),
  "ticket.resolved": z.object({ ...ticketData, resolution: z.string().nullable() }),
  "ticket.closed": z.object({ ...ticketData, message: z.string().nullable() }),
  "message.created": z.object({ ...ticketData, message: WebhookMessageSchema }),
  "rating.created": z.object({ ...ticketData, rating: z.object({ score: z.number().int().min(1).max(5), comment: z.string().nullable() }) }),
  "contact.created": z.object(ticketData),
  "sla.warning": z.object({ ...ticketData, target: SlaTargetSchema, dueAt: IsoDateSchema }),
  "sla.breached": z.object({ ...ticketData, target: SlaTargetSchema, dueAt: IsoDateSchema, fromTier: z.number().int(), toTier: z.number().int().nullable() }),
} satisfies Record<WebhookEventType, z.ZodType>;

const bodyOf = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp: IsoDateSchema, data });

/**
 * The body of every delivery, per the Standard Webhooks specification: `type`, `timestamp`
 * (when the change happened) and `data`. The headers `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` travel beside it; the id stays the same across retries and replays.
 */
export const WebhookPayloadSchema = z.discriminatedUnion("type", [
  bodyOf("ticket.created", WebhookDataSchemas["ticket.created"]),
  bodyOf("ticket.updated", WebhookDataSchemas["ticket.updated"]),
  bodyOf("ticket.assigned", WebhookDataSchemas["ticket.assigned"]),
  bodyOf("ticket.unrouted", WebhookDataSchemas["ticket.unrouted"]),
  bodyOf("ticket.escalated", WebhookDataSchemas["ticket.escalated"]),
  bodyOf("ticket.resolved", WebhookDataSchemas["ticket.resolved"]),
  bodyOf("ticket.closed", WebhookDataSchemas["ticket.closed"]),
  bodyOf("message.created", WebhookDataSchemas["message.created"]),
  bodyOf("rating.created", WebhookDataSchemas["rating.created"]),
  bodyOf("contact.created", WebhookDataSchemas["contact.created"]),
  bodyOf("sla.warning", WebhookDataSchemas["sla.warning"]),
  bodyOf("sla.breached", WebhookDataSchemas["sla.breached"]),
  bodyOf(WEBHOOK_TEST_EVENT, z.object({ endpointId: IdSchema, message: z.string() })),
]);
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;
/** A body that announces a change (every type but the test event). */
export type WebhookEventPayload = Exclude<WebhookPayload, { type: typeof WEBHOOK_TEST_EVENT }>;

// ── Admin: /v1/admin/webhooks ────────────────────────────────────────────────

/** Only http and https; whether the host may be reached is the server's call (SSRF guard). */
const WebhookUrlSchema = z
  .url({ protocol: /^https?$/, error: "an http or https URL" })
  .max(2048)
  .refine((url) => !URL.canParse(url) || (new URL(url).username === "" && new URL(url).password === ""), {
    message: "credentials do not belong in the URL; they would be listed with it",
  });

const WebhookEventsSchema = z
  .array(WebhookEventTypeSchema)
  .min(1, "subscribe to at least one event type")
  .max(WebhookEventTypeSchema.options.length)
  .refine((events) => new Set(events).size === events.length, { message: "each event type once" });

export const WebhookEndpointSchema = z.object({
  id: IdSchema,
  siteId: IdSchema,
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(WebhookEventTypeSchema),
  enabled: z.boolean(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/** Only answered once: at creation and when the secret is rotated. */
export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  /** `whsec_<base64>`, the key a Standard Webhooks library verifies with. */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/),
});
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecretSchema>;

const endpointFields = {
  url: WebhookUrlSchema,
  events: WebhookEventsSchema,
  description: z.string().trim().max(280).nullable(),
  enabled: z.boolean(),
};

export const CreateWebhookEndpointBodySchema = z.object({
  siteId: IdSchema,
  url: endpointFields.url,
  events: endpointFields.events,
  description: endpointFields.description.optional(),
  enabled: endpointFields.enabled.default(true),
});
export type CreateWebhookEndpointBody = z.input<typeof CreateWebhookEndpointBodySchema>;

/** Built from the bare fields so a PATCH never fills in creation defaults; the site is fixed. */
export const UpdateWebhookEndpointBodySchema = z.object(endpointFields).partial();
export type UpdateWebhookEndpointBody = z.infer<typeof UpdateWebhookEndpointBodySchema>;

export const WebhookListQuerySchema = CursorQuerySchema.extend({ siteId: IdSchema.optional() });
export type WebhookListQuery = z.infer<typeof WebhookListQuerySchema>;

export const WebhookIdParamsSchema = z.object({ id: IdSchema });
export const WebhookDeliveryParamsSchema = z.object({ id: IdSchema, deliveryId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export const WebhookEntryStatusSchema = z.enum(["pending", "delivered", "dead"]);

/** One attempt in an endpoint's delivery log, newest first. */
export const WebhookDeliverySchema = z.object({
  id: z.number().int(),
  /** The `webhook-id` header: the same on every attempt and replay of one event. */
  messageId: z.string(),
  eventType: z.string(),
  attempt: z.number().int(),
  /** What the attempt led to: the event delivered, to be retried, or given up. */
  outcome: z.enum(["delivered", "retry", "dead"]),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
  at: IsoDateSchema,
  /** Where the event itself stands now (a later attempt may have succeeded). */
  entryStatus: WebhookEntryStatusSchema,
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/**
 * A replay: the logged event is put back in the outbox as it was stored (same `webhook-id`,
 * same bytes) and the dispatcher sends it with its usual retries; its attempts appear in the
 * delivery log. `pending`: the event had not been settled yet and stays where it was in line.
 */
export const WebhookReplaySchema = z.object({
  messageId: z.string(),
  status: z.enum(["queued", "pending"]),
  /** When the dispatcher will next try it. */
  nextAttemptAt: IsoDateSchema,
});
export type WebhookReplay = z.infer<typeof WebhookReplaySchema>;

/** What one attempt made right now (the test event) came to. */
export const WebhookAttemptResultSchema = z.object({
  messageId: z.string(),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
});
export type WebhookAttemptResult = z.infer<typeof WebhookAttemptResultSchema>;
