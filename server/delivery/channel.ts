/**
 * The contract between the outbox and the channels that deliver from it. A command writes
 * `NewOutboxEntry` rows in its own transaction; the dispatcher hands each stored entry to the
 * channel it names, at least once, and logs every attempt.
 */
export type OutboxChannel = "room" | "webhook" | "email";

export interface NewOutboxEntry {
  channel: OutboxChannel;
  /**
   * Where it goes, and the ordering key: entries with the same channel and target are
   * delivered one after another in id order (room: `ticket:<id>` or `site:<id>`; webhook:
   * the endpoint id; email: the recipient address).
   */
  target: string;
  /** The event name it carries (`message.created`, …); webhooks send it as `type`. */
  eventType: string;
  /** JSON the channel understands; stored as written, so a replay sends the same bytes. */
  payload: unknown;
  ticketId: string | null;
  /** Earliest delivery time (epoch ms); now when unset. */
  notBefore?: number;
}

export interface OutboxEntry extends NewOutboxEntry {
  id: number;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: number;
}

export type DeliveryOutcome =
  | { ok: true; statusCode?: number; note?: string }
  /** `permanent`: retrying cannot help (the endpoint was deleted, the URL is refused): dead at once. */
  | { ok: false; statusCode?: number; error: string; permanent?: boolean };

export interface Channel {
  readonly name: OutboxChannel;
  deliver(entry: OutboxEntry): Promise<DeliveryOutcome>;
}
