import type { Attachment, Message } from "../protocol/index.js";
import { ParleyError } from "./errors.js";
import type { Http } from "./http.js";
import { newClientId } from "./ids.js";
import type { Outbox, OutboxEntry } from "./outbox.js";

export interface SendOptions {
  /** Reuse to retry a send safely; generated when omitted. */
  clientId?: string;
  attachments?: Attachment[];
  /** Agents only: an internal note customers never see. */
  internal?: boolean;
}

/** Statuses after which an unsent message is worth trying again later. */
const RETRY_LATER = new Set([401, 429, 500, 502, 503, 504]);

/** True when a failed send should stay queued and be tried again. */
export const worthRetrying = (error: unknown) => !(error instanceof ParleyError) || RETRY_LATER.has(error.status);

/**
 * Sends messages through the outbox: queued first, removed once the server has committed
 * them (or refused them for good). Re-sending a queued entry is safe: same clientId, one row.
 */
export function createSender(http: Http, outbox: Outbox, messagesPath: (number: string) => string) {
  async function deliver(entry: OutboxEntry): Promise<Message> {
    let message: Message;
    try {
      message = await http<Message>("POST", messagesPath(entry.number), {
        body: {
          body: entry.body,
          clientId: entry.clientId,
          ...(entry.attachments.length ? { attachments: entry.attachments } : {}),
          ...(entry.internal ? { internal: true } : {}),
        },
        idempotent: true,
      });
    } catch (error) {
      if (!worthRetrying(error)) await outbox.remove(entry.clientId);
      throw error;
    }
    await outbox.remove(entry.clientId);
    return message;
  }

  return {
    deliver,
    async queue(number: string, body: string, options: SendOptions = {}): Promise<OutboxEntry> {
      const entry: OutboxEntry = {
        number,
        clientId: options.clientId ?? newClientId(),
        body,
        attachments: options.attachments ?? [],
        queuedAt: Date.now(),
        ...(options.internal ? { internal: true } : {}),
      };
      await outbox.put(entry);
      return entry;
    },
    /** Sends a message and resolves with it once committed; on failure it stays queued. */
    async send(number: string, body: string, options: SendOptions = {}): Promise<Message> {
      return deliver(await this.queue(number, body, options));
    },
    pending: (number?: string) => outbox.list(number),
    /** Drops every queued message (logout). */
    clear: () => outbox.clear(),
    /** Retries every queued message (after coming back online); resolves with what was committed. */
    async flush(number?: string): Promise<Message[]> {
      const sent: Message[] = [];
      for (const entry of await outbox.list(number)) sent.push(await deliver(entry));
      return sent;
    },
  };
}

export type Sender = ReturnType<typeof createSender>;
