import { eq, sql } from "drizzle-orm";
import type { AgentTicket } from "../../protocol/index.js";
import { executorOf, type Reader } from "../db/client.js";
import { readCategoryTable, type CategoryTable } from "../db/reference-cache.js";
import { tickets, visitors } from "../db/schema.js";
import { compile, compiler, type RowValues } from "../db/statement.js";
import { ticketContactVerified } from "../domain/visitor-profile.js";
import { toAgentTicket, type TicketRow } from "./views.js";

/**
 * What a ticket needs beyond its row to be shown to agents: the customer messages the team has
 * not read (counted along the (ticket_id, seq) index from the ticket's read mark) and the
 * customer's identity, with what the site's signature covered. Select these over `tickets`
 * left-joined to `visitors` on the ticket's visitor, in this order.
 */
export const extrasFields = [
  // Spelled out with aliases: drizzle leaves a one-table select's columns unqualified, and an
  // unqualified "id" inside the subquery would be the message's own id. No message lies above
  // last_seq (the highest seq handed out), so a ticket read up to it counts none without a
  // look at its messages: most of a queue page, a quarter of its statement's time otherwise.
  sql<number>`(case when tickets.last_seq > tickets.agent_read_seq then (select count(*) from messages m where m.ticket_id = tickets.id and m.seq > tickets.agent_read_seq and m.internal = 0 and m.sender_type = 'customer') else 0 end)`,
  visitors.verified,
  visitors.name,
  visitors.nameVerified,
  visitors.email,
  visitors.emailVerified,
];

export interface TicketExtras {
  unread: number;
  /** Null when the ticket has no visitor (a contact form or email ticket). */
  verified: boolean | null;
  name: string | null;
  nameVerified: boolean;
  email: string | null;
  emailVerified: boolean;
}

/** Reads `extrasFields` out of a result row, starting at column `offset`. */
export function readExtras(row: RowValues, offset: number): TicketExtras {
  const verified = row[offset + 1];
  return {
    unread: Number(row[offset]),
    verified: verified === null || verified === undefined ? null : Boolean(verified),
    name: (row[offset + 2] ?? null) as string | null,
    nameVerified: Boolean(row[offset + 3]),
    email: (row[offset + 4] ?? null) as string | null,
    emailVerified: Boolean(row[offset + 5]),
  };
}

// One JSON array instead of one placeholder per id keeps a single statement for any page size.
const selectExtras = compile<{ ids: string }>(
  compiler
    .select({ id: tickets.id, ...Object.fromEntries(extrasFields.map((field, i) => [`extra${i}`, field])) })
    .from(tickets)
    .leftJoin(visitors, eq(visitors.id, tickets.visitorId))
    .where(sql`${tickets.id} in (select value from json_each(${sql.placeholder("ids")}))`),
);

const unverified = { verified: false, nameVerified: false, emailVerified: false };

/** Renders tickets whose extras were read with them (the queue reads both in one statement). */
export function presentWithExtras(rows: TicketRow[], extras: (TicketExtras | undefined)[], categories: CategoryTable, now: number): AgentTicket[] {
  return rows.map((row, i) => {
    const extra = extras[i];
    // Only the contact the site's signature covered counts; a typed or merely sent one never does.
    const identity =
      extra && extra.verified !== null
        ? { verified: extra.verified, ...ticketContactVerified(extra, { name: row.customerName, email: row.customerEmail }) }
        : unverified;
    return toAgentTicket(row, categories.slugOf(row.categoryId), extra?.unread ?? 0, identity, now);
  });
}

/**
 * Renders tickets for agents: their extras in one query; the category table comes from the
 * caller's cache (services.reference), or one more query without it.
 */
export async function presentAgentTickets(orm: Reader, rows: TicketRow[], now: number, categories?: CategoryTable): Promise<AgentTicket[]> {
  if (rows.length === 0) return [];
  const [table, found] = await Promise.all([
    categories ?? readCategoryTable(orm),
    selectExtras.rows(executorOf(orm), { ids: JSON.stringify(rows.map((row) => row.id)) }),
  ]);
  const byId = new Map(found.map((row) => [row[0] as string, readExtras(row, 1)]));
  return presentWithExtras(
    rows,
    rows.map((row) => byId.get(row.id)),
    table,
    now,
  );
}

export async function presentAgentTicket(orm: Reader, row: TicketRow, now: number, categories?: CategoryTable): Promise<AgentTicket> {
  const [ticket] = await presentAgentTickets(orm, [row], now, categories);
  return ticket!;
}
