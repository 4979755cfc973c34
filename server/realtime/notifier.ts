import type { RoomNotify } from "../../protocol/index.js";
import { signNotify } from "./signature.js";

export type Party = "ticket" | "site";

/** A frame for a room, or the work that produces it (a read after the commit). */
export type PendingNotify = RoomNotify | (() => Promise<RoomNotify>);

/** Hands committed changes to the rooms. */
export interface Notifier {
  /**
   * Takes the frame's place in the room's queue now (so frames leave in commit order), and
   * delivers it once the frames before it have gone. When nobody can be listening in that
   * room, nothing is done at all: not even the read that would produce the frame.
   */
  send(party: Party, room: string, notify: PendingNotify): Promise<void>;
  /** Resolves when everything sent so far has been delivered or has failed (and been logged). */
  idle(): Promise<void>;
}

/** How one frame reaches one room: a signed POST to PartyKit, or an in-process hand-over. */
export interface RoomDelivery {
  deliver(party: Party, room: string, notify: RoomNotify): Promise<void>;
  /** False when the room certainly has no listener; true when it may (always, over HTTP). */
  reachable(party: Party, room: string): boolean;
}

/**
 * Delivery runs after the commit and off the request path. Calls to one room are chained so
 * that frames arrive in commit order; a failed call is logged, and clients still converge
 * because they resume from their last seq over HTTP.
 */
export function createNotifier(delivery: RoomDelivery, log: (message: string, error?: unknown) => void): Notifier {
  const chains = new Map<string, Promise<void>>();

  return {
    send(party, room, notify) {
      if (!delivery.reachable(party, room)) return Promise.resolve();
      const key = `${party}/${room}`;
      // Start producing the frame now, beside the frames queued before it; only delivery waits.
      const frame = typeof notify === "function" ? notify() : Promise.resolve(notify);
      // Its failure is logged where the chain awaits it below; this only stops an early
      // rejection from counting as unhandled while it waits its turn.
      frame.catch(() => undefined);
      const previous = chains.get(key) ?? Promise.resolve();
      const next = previous
        .then(async () => {
          const ready = await frame;
          await delivery.deliver(party, room, ready);
        })
        .catch((error: unknown) => log(`notify /parties/${key} failed`, error));
      chains.set(key, next);
      // Forget finished chains so the map only holds rooms with calls in flight.
      void next.then(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
      return next;
    },
    async idle() {
      while (chains.size > 0) await Promise.all(chains.values());
    },
  };
}

/** Signed POSTs to rooms on PartyKit (`partykit dev` or `partykit deploy`). */
export function httpDelivery(options: { url: string; secret: string; now: () => number }): RoomDelivery {
  return {
    reachable: () => true,
    async deliver(party, room, notify) {
      const body = JSON.stringify(notify);
      const res = await fetch(`${options.url}/parties/${party}/${encodeURIComponent(room)}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-parley-signature": signNotify(options.secret, { party, room, body }, options.now()) },
        body,
      });
      if (!res.ok) throw new Error(`room answered ${res.status}: ${await res.text()}`);
    },
  };
}
