import { Webhook } from "standardwebhooks";

/** The three Standard Webhooks headers that let a receiver check who sent a body, and when. */
export interface WebhookSignatureHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** A fresh signing secret in the `whsec_<base64>` form Standard Webhooks libraries read (32 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
}

/**
 * Signs `body` exactly as it will be sent: HMAC-SHA256 over `<id>.<timestamp>.<body>`, as
 * `v1,<base64>`. The id names the event (the same on every retry and replay, so receivers can
 * dedupe); the timestamp is this attempt's, so receivers can refuse stale replays of the bytes.
 */
export function signWebhook(secret: string, messageId: string, at: number, body: string): WebhookSignatureHeaders {
  const timestamp = new Date(at);
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, timestamp, body),
  };
}
