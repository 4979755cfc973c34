import type { CategoryTable } from "../db/reference-cache.js";
import { slaState, type SlaState } from "../domain/sla.js";
import { presentWithExtras, type TicketExtras } from "./present.js";
import type { TicketRow } from "./views.js";

/** One ticket a queue statement answered, read out of its row's text (queue.ts). */
export interface FoundTicket {
  row: TicketRow;
  rowid: number;
  extras: TicketExtras;
}

/** A queue row read from its text, and once presented, its serialized form and what that was worked out from. */
export interface KeptTicket extends FoundTicket {
  presented?: { json: string; slug: string | null; state: SlaState };
}

export interface PresentedTickets {
  /** The ticket a queue row's text holds: the one kept for that text, else read from it and kept. */
  found(text: string): KeptTicket;
  /** `JSON.stringify` of the ticket as `presentWithExtras` presents it against these categories at `now`. */
  json(ticket: KeptTicket, categories: CategoryTable, now: number): string;
  readonly size: number;
}

interface Kept {
  text: string;
  ticket: KeptTicket;
}

/**
 * Queue rows kept by their text, with the tickets presented from them. A queue page is read
 * again and again (every agent's inbox refreshes it on each queue event) while most of its
 * tickets stay as they were, and reading, presenting and serializing 25 tickets cost more than
 * the statement that found them. Nothing needs invalidating: the row's text carries every
 * column and extra that presenting reads (the unread count, the customer's identity), so a
 * changed ticket has another text. Presenting reads two things beyond the row, and both are
 * compared on each use: the category's slug, and the clock, which only moves the SLA state
 * (`toAgentTicket`).
 *
 * One entry per ticket: `keyOf` names the ticket a text belongs to (its id), and a new text for
 * it replaces the old. The key only finds the entry; what is reused is what the very same text
 * gave, so a key two texts shared would cost a reading, never a wrong answer. (Looking a whole
 * row's text up in a Map hashes all of it, which on Node cost as much as parsing it.) Up to
 * `capacity` tickets are kept, the least recently read leaving first.
 */
export function createPresentedTickets(read: (text: string) => FoundTicket, keyOf: (text: string) => string, capacity: number): PresentedTickets {
  const byKey = new Map<string, Kept>();
  return {
    found(text) {
      const key = keyOf(text);
      let kept = byKey.get(key);
      // Re-inserting keeps the Map in least-recently-used order.
      if (kept) byKey.delete(key);
      if (kept?.text !== text) kept = { text, ticket: read(text) };
      byKey.set(key, kept);
      if (byKey.size > capacity) byKey.delete(byKey.keys().next().value!);
      return kept.ticket;
    },
    json(ticket, categories, now) {
      const kept = ticket.presented;
      if (kept && kept.state === slaState(ticket.row, now) && kept.slug === categories.slugOf(ticket.row.categoryId)) return kept.json;
      const [presented] = presentWithExtras([ticket.row], [ticket.extras], categories, now);
      ticket.presented = { json: JSON.stringify(presented), slug: presented!.category, state: presented!.slaState };
      return ticket.presented.json;
    },
    get size() {
      return byKey.size;
    },
  };
}
