import type { RoomDelivery } from "../realtime/notifier.js";
import { signNotify } from "../realtime/signature.js";
import type { RoomHost } from "./room-host.js";

/** Never resolved or fetched: only the path matters to the room. */
const INTERNAL_ORIGIN = "http://rooms.internal";

/**
 * Hands a frame to a room hosted in this process: no HTTP hop, no socket. It still goes
 * through the room's own onRequest with a signed request, so the checks the room makes on
 * PartyKit (signature, frame shape, who may hear it) are the same code here; signing is a
 * node:crypto HMAC of a few microseconds and the room verifies with a cached key.
 */
export function inProcessDelivery(host: RoomHost, options: { secret: string; now: () => number }): RoomDelivery {
  return {
    reachable: (party, room) => host.isOpen(party, room),
    async deliver(party, room, notify) {
      const body = JSON.stringify(notify);
      const path = `/parties/${party}/${encodeURIComponent(room)}`;
      const request = new Request(`${INTERNAL_ORIGIN}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-parley-signature": signNotify(options.secret, body, options.now()) },
        body,
      });
      const res = await host.notify(party, room, request);
      if (res && !res.ok) throw new Error(`room ${path} answered ${res.status}: ${await res.text()}`);
    },
  };
}
