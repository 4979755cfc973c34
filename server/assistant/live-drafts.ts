import type { RoomDelivery } from "../realtime/notifier.js";

/**
 * A provider's answer shown while it is written: the text so far goes to everyone in the
 * ticket's room as an `assistant.draft` frame. Drafts are never stored; the committed bot
 * message replaces them, so a lost draft costs nothing.
 */
export interface LiveDrafts {
  show(ticketId: string, text: string): void;
  /** Resolves once no draft of this ticket is on its way, so none can arrive after the answer. */
  settled(ticketId: string): Promise<void>;
}

/**
 * One draft in flight per ticket; while it is, only the newest text waits (a slow room gets
 * fewer, larger steps, never a backlog). A failed delivery is logged and the answer still commits.
 */
export function liveDrafts(delivery: RoomDelivery, log: (message: string, error?: unknown) => void): LiveDrafts {
  const inFlight = new Map<string, { next: string | null; done: Promise<void> }>();

  const run = async (ticketId: string, state: { next: string | null }, text: string): Promise<void> => {
    let value: string | null = text;
    while (value !== null) {
      try {
        await delivery.deliver("ticket", ticketId, { audience: "everyone", frame: { type: "assistant.draft", text: value } });
      } catch (error) {
        log(`assistant draft for ticket room ${ticketId} failed`, error);
      }
      value = state.next;
      state.next = null;
    }
    inFlight.delete(ticketId);
  };

  return {
    show(ticketId, text) {
      if (!delivery.reachable("ticket", ticketId)) return;
      const current = inFlight.get(ticketId);
      if (current) {
        current.next = text;
        return;
      }
      const state = { next: null as string | null, done: Promise.resolve() };
      inFlight.set(ticketId, state);
      state.done = run(ticketId, state, text);
    },
    async settled(ticketId) {
      await inFlight.get(ticketId)?.done;
    },
  };
}
