import { eq, sql } from "drizzle-orm";
import type { AgentTicket } from "../../protocol/index.js";
import { executorOf, type Reader } from "../db/client.js";
import { readCategoryTable, type CategoryTable } from "../db/reference-cache.js";
import { tickets, visitors } from "../db/schema.js";
import { compile, compiler } from "../db/statement.js";
import { ticketContactVerified } from "../domain/visitor-profile.js";
import { toAgentTicket, type TicketRow } from "./views.js";

/**
 * What a page of tickets needs beyond its rows, for all of them in one statement: the
 * customer messages the team has not read (the same count as `unreadCounts`, read along
 * the (ticket_id, seq) index from the ticket's read mark) and the customer's identity, with
 * what the site's signature covered.
 */
const selectExtras = compile<{ ids: string }>(
  compiler
    .select({
      id: tickets.id,
      // Spelled out with aliases: drizzle leaves a one-table select's columns unqualified, and an
      // unqualified "id" inside the subquery would be the message's own id.
      unread: sql<number>`(select count(*) from messages m where m.ticket_id = tickets.id and m.seq > tickets.agent_read_seq and m.internal = 0 and m.sender_type = 'customer')`,
      verified: visitors.verified,
      name: visitors.name,
      nameVerified: visitors.nameVerified,
      email: visitors.email,
      emailVerified: visitors.emailVerified,
    })
    .from(tickets)
    .leftJoin(visitors, eq(visitors.id, tickets.visitorId))
    // One JSON array instead of one placeholder per id keeps a single statement for any page size.
    .where(sql`${tickets.id} in (select value from json_each(${sql.placeholder("ids")}))`),
);

/**
 * Renders tickets for agents: unread counts and identity in one query; the category table
 * comes from the caller's cache (services.reference), or one more query without it.
 */
export async function presentAgentTickets(orm: Reader, rows: TicketRow[], now: number, categories?: CategoryTable): Promise<AgentTicket[]> {
  if (rows.length === 0) return [];
  const [table, found] = await Promise.all([
    categories ?? readCategoryTable(orm),
    selectExtras.rows(executorOf(orm), { ids: JSON.stringify(rows.map((row) => row.id)) }),
  ]);
  // Columns in the order selected above.
  const byId = new Map(
    found.map((row) => [
      row[0] as string,
      {
        unread: Number(row[1]),
        verified: row[2] as number | null,
        name: row[3] as string | null,
        nameVerified: row[4],
        email: row[5] as string | null,
        emailVerified: row[6],
      },
    ]),
  );
  const unverified = { verified: false, nameVerified: false, emailVerified: false };
  return rows.map((row) => {
    const extra = byId.get(row.id);
    // Only the contact the site's signature covered counts; a typed or merely sent one never does.
    const identity =
      extra && extra.verified !== null
        ? {
            verified: Boolean(extra.verified),
            ...ticketContactVerified(
              { name: extra.name, email: extra.email, nameVerified: Boolean(extra.nameVerified), emailVerified: Boolean(extra.emailVerified) },
              { name: row.customerName, email: row.customerEmail },
            ),
          }
        : unverified;
    return toAgentTicket(row, table.slugOf(row.categoryId), Number(extra?.unread ?? 0), identity, now);
  });
}

export async function presentAgentTicket(orm: Reader, row: TicketRow, now: number, categories?: CategoryTable): Promise<AgentTicket> {
  const [ticket] = await presentAgentTickets(orm, [row], now, categories);
  return ticket!;
}
