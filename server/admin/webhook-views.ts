import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from "../../protocol/index.js";
import { webhookMessageId, type WebhookEndpointRow } from "../delivery/webhooks/webhook-channel.js";
import type { EndpointDeliveryRow } from "../delivery/webhooks/endpoint-log.js";
import { isoTime } from "../domain/iso-time.js";

/** An endpoint without its signing secret, which is answered only at creation and rotation. */
export const toWebhookEndpoint = (row: WebhookEndpointRow): WebhookEndpoint => ({
  id: row.id,
  siteId: row.siteId,
  url: row.url,
  description: row.description,
  events: row.events,
  enabled: row.enabled,
  createdAt: isoTime(row.createdAt),
  updatedAt: isoTime(row.updatedAt),
});

export const toWebhookEndpointWithSecret = (row: WebhookEndpointRow): WebhookEndpointWithSecret => ({ ...toWebhookEndpoint(row), secret: row.secret });

export const toWebhookDelivery = (row: EndpointDeliveryRow): WebhookDelivery => ({
  id: row.id,
  messageId: webhookMessageId(row.outboxId),
  eventType: row.eventType,
  attempt: row.attempt,
  outcome: row.outcome,
  statusCode: row.statusCode,
  latencyMs: row.latencyMs,
  error: row.error,
  at: isoTime(row.at),
  entryStatus: row.entryStatus,
});
