import { eq } from "drizzle-orm";
import type { Reader } from "../../db/client.js";
import { webhookEndpoints } from "../../db/schema.js";
import type { Channel, DeliveryOutcome, OutboxEntry } from "../channel.js";
import { signWebhook } from "./sign.js";
import { vetWebhookUrl, WebhookTargetRefused, type HostResolver, type SsrfPolicy, type VettedTarget } from "./ssrf-guard.js";
import { DEFAULT_WEBHOOK_LIMITS, postWebhook, WebhookRequestFailed, type WebhookRequestLimits } from "./webhook-request.js";

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;

export interface WebhookChannelOptions extends SsrfPolicy {
  orm: Reader;
  now: () => number;
  limits?: WebhookRequestLimits;
  /** How host names are resolved; node:dns unless a test needs otherwise. */
  resolve?: HostResolver;
}

/** One POST to one endpoint and what came of it. */
export interface WebhookAttempt {
  outcome: DeliveryOutcome;
  latencyMs: number;
}

export interface WebhookChannel extends Channel {
  readonly name: "webhook";
  /** Vets a URL under this channel's policy; throws `WebhookTargetRefused`. Admin routes check URLs with it. */
  vet(url: string): Promise<VettedTarget>;
  /**
   * Sends `body` to `endpoint` now, outside the outbox: only the admin's test event goes this
   * way (it is no event of the site's, and its answer is the point). Replays go through the outbox.
   */
  send(endpoint: WebhookEndpointRow, messageId: string, body: string): Promise<WebhookAttempt>;
}

/** The `webhook-id` of an outbox entry: stable across retries and replays, so receivers dedupe by it. */
export const webhookMessageId = (outboxId: number) => `msg_${outboxId}`;

/** Failure text kept in the delivery log: enough of the answer to debug, not the whole of it. */
const EXCERPT_CHARS = 500;

/**
 * The "webhook" channel of the outbox dispatcher. The endpoint is loaded afresh for every
 * attempt (its URL or secret may have changed since the event), its URL is vetted again (DNS
 * may have changed), and the stored body is signed and POSTed as stored. Retries, backoff,
 * the delivery log and the dead state are the dispatcher's: a deleted or disabled endpoint, a
 * refused address and a 410 are permanent failures; anything else may pass on a later attempt.
 *
 * @example
 * const webhook = webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: false });
 * const dispatcher = createDispatcher({ db, channels: { room, webhook, email } });
 */
export function webhookChannel(options: WebhookChannelOptions): WebhookChannel {
  const limits = options.limits ?? DEFAULT_WEBHOOK_LIMITS;

  async function send(endpoint: WebhookEndpointRow, messageId: string, body: string): Promise<WebhookAttempt> {
    const started = performance.now();
    const outcome = await attempt(endpoint, messageId, body);
    return { outcome, latencyMs: Math.round(performance.now() - started) };
  }

  async function attempt(endpoint: WebhookEndpointRow, messageId: string, body: string): Promise<DeliveryOutcome> {
    let target;
    try {
      target = await vetWebhookUrl(endpoint.url, options, options.resolve);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) {
        return error.transient ? { ok: false, error: error.message } : { ok: false, error: `refused: ${error.message}`, permanent: true };
      }
      throw error;
    }
    const headers = signWebhook(endpoint.secret, messageId, options.now(), body);
    let response;
    try {
      response = await postWebhook(target, { ...headers }, body, limits);
    } catch (error) {
      if (error instanceof WebhookRequestFailed) return { ok: false, error: error.message };
      throw error;
    }
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) return { ok: true, statusCode };
    const excerpt = response.body.slice(0, EXCERPT_CHARS).trim();
    const why =
      statusCode >= 300 && statusCode < 400
        ? `answered ${statusCode}; redirects are not followed`
        : `answered ${statusCode}${excerpt ? `: ${excerpt}` : ""}${response.truncated || response.body.length > EXCERPT_CHARS ? " …" : ""}`;
    // 410 Gone is how a receiver says "stop": retrying would only be ignored.
    return { ok: false, statusCode, error: why, ...(statusCode === 410 ? { permanent: true } : {}) };
  }

  return {
    name: "webhook",
    send,
    vet: (url) => vetWebhookUrl(url, options, options.resolve),
    async deliver(entry: OutboxEntry): Promise<DeliveryOutcome> {
      const endpoint = await options.orm.query.webhookEndpoints.findFirst({ where: eq(webhookEndpoints.id, entry.target) });
      if (!endpoint) return { ok: false, error: "the endpoint was deleted", permanent: true };
      if (!endpoint.enabled) return { ok: false, error: "the endpoint is disabled", permanent: true };
      const body = typeof entry.payload === "string" ? entry.payload : JSON.stringify(entry.payload);
      return (await send(endpoint, webhookMessageId(entry.id), body)).outcome;
    },
  };
}
