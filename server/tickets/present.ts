import { sql } from "drizzle-orm";
import type { AgentTicket } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { tickets } from "../db/schema.js";
import { categorySlugs, slugOf } from "./access.js";
import { toAgentTicket, type TicketRow } from "./views.js";

/**
 * What a page of tickets needs beyond its rows, for all of them in one statement: the
 * customer messages the team has not read (the same count as `unreadCounts`, read along
 * the (ticket_id, seq) index from the ticket's read mark) and whether the customer is verified.
 */
function buildExtras(orm: Reader) {
  return orm
    .select({
      id: tickets.id,
      // Spelled out with aliases: drizzle leaves a one-table select's columns unqualified, and an
      // unqualified "id" inside the subquery would be the message's own id.
      unread: sql<number>`(select count(*) from messages m where m.ticket_id = tickets.id and m.seq > tickets.agent_read_seq and m.internal = 0 and m.sender_type = 'customer')`,
      verified: sql<number>`coalesce((select v.verified from visitors v where v.id = tickets.visitor_id), 0)`,
    })
    .from(tickets)
    // One JSON array instead of one placeholder per id keeps a single statement for any page size.
    .where(sql`${tickets.id} in (select value from json_each(${sql.placeholder("ids")}))`)
    .prepare();
}

const prepared = new WeakMap<Reader, ReturnType<typeof buildExtras>>();

/** Renders tickets for agents: category slugs, then unread counts and identity in one query. */
export async function presentAgentTickets(orm: Reader, rows: TicketRow[]): Promise<AgentTicket[]> {
  if (rows.length === 0) return [];
  let extras = prepared.get(orm);
  if (!extras) prepared.set(orm, (extras = buildExtras(orm)));
  const slugs = await categorySlugs(orm);
  const found = await extras.all({ ids: JSON.stringify(rows.map((row) => row.id)) });
  const byId = new Map(found.map((row) => [row.id, row]));
  return rows.map((row) => {
    const extra = byId.get(row.id);
    return toAgentTicket(row, slugOf(slugs, row.categoryId), Number(extra?.unread ?? 0), Boolean(extra?.verified));
  });
}

export async function presentAgentTicket(orm: Reader, row: TicketRow): Promise<AgentTicket> {
  const [ticket] = await presentAgentTickets(orm, [row]);
  return ticket!;
}
