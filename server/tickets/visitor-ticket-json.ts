import type { Database } from "../db/client.js";
import type { CategoryTable } from "../db/reference-cache.js";
import type { VisitorRow } from "../db/rows.js";
import { stampedCachePerDatabase } from "../db/stamped-cache.js";
import { visitorTicketWithUnread } from "./access.js";
import { toTicket, type TicketRow } from "./views.js";

interface KeptTicket {
  ticket: TicketRow;
  unread: number;
  /** The answer's text, and the category slug it was written with. */
  presented?: { slug: string | null; json: string };
}

// A widget reads its ticket on every open and reconnect; the visitor's id is part of the key,
// so an entry exists only for the visitor the ticket was checked to belong to.
const keptTickets = stampedCachePerDatabase<KeptTicket>(2000);

/**
 * `JSON.stringify(toTicket(…))` of the visitor's ticket `number`, as `GET /v1/tickets/:number`
 * answers it: read (one query) only when the database changed since the last answer for this
 * visitor and ticket. The category's slug comes from the in-process table, which changes on its
 * own schedule, so it is compared on each use. `stamp`: the request's, when it read one before
 * its first query.
 */
export async function visitorTicketJson(db: Database, visitor: VisitorRow, number: string, categories: CategoryTable, stamp = db.changeStamp()): Promise<string> {
  const kept = await keptTickets(db).remember(`${visitor.id} ${number}`, stamp, () => visitorTicketWithUnread(db.orm, visitor, number));
  const slug = categories.slugOf(kept.ticket.categoryId);
  if (kept.presented?.slug !== slug) kept.presented = { slug, json: JSON.stringify(toTicket(kept.ticket, slug, kept.unread)) };
  return kept.presented.json;
}
