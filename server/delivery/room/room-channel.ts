import { RoomNotifySchema, type RoomNotify } from "../../../protocol/index.js";
import type { Channel, DeliveryOutcome, OutboxEntry } from "../channel.js";

/** Posts one signed notify to a room; rejects when the room did not take it (unlike `Notifier.send`, which logs). */
export type RoomSend = (party: "ticket" | "site", room: string, notify: RoomNotify) => Promise<void>;

/**
 * The room channel: an entry's target names the room (`ticket:<id>`, `site:<id>`) and its
 * payload is the `RoomNotify` to post. A target or payload that cannot be a room notify is a
 * permanent failure (retrying cannot fix it); a room that does not answer is retried.
 * `send` is the in-process room host's hand-over or the signed POST to PartyKit.
 */
export function createRoomChannel(send: RoomSend): Channel {
  return {
    name: "room",
    async deliver(entry: OutboxEntry): Promise<DeliveryOutcome> {
      const match = /^(ticket|site):(.+)$/.exec(entry.target);
      if (!match) return { ok: false, error: `not a room target: ${entry.target}`, permanent: true };
      const notify = RoomNotifySchema.safeParse(entry.payload);
      if (!notify.success) return { ok: false, error: `payload is not a room notify: ${notify.error.message}`, permanent: true };
      try {
        await send(match[1] as "ticket" | "site", match[2]!, notify.data);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
