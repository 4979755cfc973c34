import type { RoomDelivery } from "../realtime/notifier.js";
import type { RoomHost } from "./room-host.js";

/**
 * Hands a frame to a room hosted in this process: no HTTP hop, no socket, no signature (the
 * frame never leaves the process that would sign it). The party's own relay rules still
 * decide who hears it (an internal note reaches agents only), as they do on PartyKit.
 */
export function inProcessDelivery(host: RoomHost): RoomDelivery {
  return {
    reachable: (party, room) => host.isOpen(party, room),
    async deliver(party, room, notify) {
      await host.relay(party, room, notify);
    },
  };
}
