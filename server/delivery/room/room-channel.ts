import type { RoomNotify } from "../../../protocol/index.js";
import type { Channel, DeliveryOutcome, OutboxEntry } from "../channel.js";
import { isRevocation, isRoomBuild, partsOf, RoomEntryPayloadSchema, type RoomBuild } from "./room-payload.js";

export type RoomParty = "ticket" | "site";

/** Posts one signed notify to a room; rejects when the room did not take it (unlike `Notifier.send`, which logs). */
export type RoomSend = (party: RoomParty, room: string, notify: RoomNotify) => Promise<void>;

export interface RoomChannelOptions {
  /** Builds the frames stored as a `RoomBuild` (the site room's ticket cards), from the rows as they are now. */
  complete?: (build: RoomBuild) => Promise<RoomNotify>;
  /** False when the room certainly has nobody in it: the entry is done without reading or sending anything. */
  reachable?: (party: RoomParty, room: string) => boolean;
}

/**
 * The room channel: an entry's target names the room (`ticket:<id>`, `site:<id>`) and its
 * payload is the `RoomNotify` to post, or what is needed to build it, or several of those
 * (room-payload.ts). A target or payload that cannot be a room notify is a permanent failure
 * (retrying cannot fix it); a room that does not answer is retried. `send` is the in-process
 * room host's hand-over or the signed POST to PartyKit.
 */
export function createRoomChannel(send: RoomSend, options: RoomChannelOptions = {}): Channel {
  return {
    name: "room",
    async deliver(entry: OutboxEntry): Promise<DeliveryOutcome> {
      const match = /^(ticket|site):(.+)$/.exec(entry.target);
      if (!match) return { ok: false, error: `not a room target: ${entry.target}`, permanent: true };
      const party = match[1] as RoomParty;
      const room = match[2]!;
      const payload = RoomEntryPayloadSchema.safeParse(entry.payload);
      if (!payload.success) return { ok: false, error: `payload is not a room notify: ${payload.error.message}`, permanent: true };
      // Clients that join later catch up over HTTP from their last seq: nobody to tell is done.
      if (options.reachable && !isRevocation(payload.data) && !options.reachable(party, room)) return { ok: true, note: "nobody in the room" };
      const parts = partsOf(payload.data);
      if (!options.complete && parts.some(isRoomBuild)) return { ok: false, error: "this room channel cannot build frames", permanent: true };
      try {
        // In order. A retry posts every part again, as any retry does: delivery is at least
        // once, and listeners drop a message they already have by its seq.
        for (const part of parts) {
          const notify: RoomNotify = isRoomBuild(part) ? await options.complete!(part) : part;
          await send(party, room, notify);
        }
        return { ok: true };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
