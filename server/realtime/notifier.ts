import type { RoomNotify } from "../../protocol/index.js";
import { signNotify } from "./signature.js";

/** Posts signed frames to the rooms. */
export interface Notifier {
  send(party: "ticket" | "site", room: string, notify: RoomNotify): Promise<void>;
  /** Resolves when everything sent so far has been delivered or has failed (and been logged). */
  idle(): Promise<void>;
}

/**
 * Delivery runs after the commit and off the request path. Calls to one room are chained so
 * that frames arrive in commit order; a failed call is logged, and clients still converge
 * because they resume from their last seq over HTTP.
 */
export function createNotifier(options: { url: string; secret: string; now: () => number; log: (message: string, error?: unknown) => void }): Notifier {
  const chains = new Map<string, Promise<void>>();

  async function deliver(path: string, notify: RoomNotify) {
    const body = JSON.stringify(notify);
    const res = await fetch(`${options.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-parley-signature": await signNotify(options.secret, body, options.now()) },
      body,
    });
    if (!res.ok) throw new Error(`room answered ${res.status}: ${await res.text()}`);
  }

  return {
    send(party, room, notify) {
      const path = `/parties/${party}/${room}`;
      const previous = chains.get(path) ?? Promise.resolve();
      const next = previous.then(() => deliver(path, notify)).catch((error: unknown) => options.log(`notify ${path} (${notify.frame.type}) failed`, error));
      chains.set(path, next);
      // Forget finished chains so the map only holds rooms with calls in flight.
      void next.then(() => {
        if (chains.get(path) === next) chains.delete(path);
      });
      return next;
    },
    async idle() {
      await Promise.all(chains.values());
    },
  };
}
