import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Ticket, TicketStatus } from "../../protocol/index.js";
import type { Database } from "../db/client.js";
import type { CategoryTable } from "../db/reference-cache.js";
import type { VisitorRow } from "../db/rows.js";
import { tickets } from "../db/schema.js";
import { pageOfRows } from "../domain/paging.js";
import { unreadCounts } from "../tickets/access.js";
import { decodeIntegerCursor, encodeCursor } from "../tickets/cursor.js";
import { toTicket } from "../tickets/views.js";

/** The visitor's own tickets, newest first, one keyset page with each ticket's unread count. */
export async function listVisitorTickets(
  context: { db: Database; categories: () => Promise<CategoryTable> },
  input: { visitor: VisitorRow; status?: TicketStatus | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: Ticket[]; nextCursor: string | null }> {
  const { orm } = context.db;
  // A cursor whose time is not an integer is refused (400), never compared as text.
  const after = decodeIntegerCursor(input.cursor);
  const rows = await orm
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.visitorId, input.visitor.id),
        input.status ? eq(tickets.status, input.status) : undefined,
        after ? or(lt(tickets.createdAt, after.value), and(eq(tickets.createdAt, after.value), lt(tickets.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(input.limit + 1);
  const { page, last, more } = pageOfRows(rows, input.limit);
  const [categories, unread] = await Promise.all([context.categories(), unreadCounts(orm, page, "customer")]);
  return {
    items: page.map((row) => toTicket(row, categories.slugOf(row.categoryId), unread.get(row.id) ?? 0)),
    nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
