import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Message, Page } from "../../protocol/index.js";
import type { Reader } from "../db/client.js";
import { messages } from "../db/schema.js";
import { toMessage } from "./views.js";

function buildPage(orm: Reader) {
  // (ticket_id, seq) is unique and indexed, so a page is one range read in seq order.
  return orm
    .select()
    .from(messages)
    .where(and(eq(messages.ticketId, sql.placeholder("ticketId")), gt(messages.seq, sql.placeholder("after"))))
    .orderBy(asc(messages.seq))
    .limit(sql.placeholder("limit"))
    .prepare();
}

// Built once per handle: drizzle would otherwise rebuild the statement's text on every request.
const prepared = new WeakMap<Reader, ReturnType<typeof buildPage>>();

/** A ticket's messages, internal notes included, after `after` in seq order: what agents read on reconnect. */
export async function messagesAfter(orm: Reader, ticketId: string, after: number, limit: number): Promise<Page<Message>> {
  let statement = prepared.get(orm);
  if (!statement) prepared.set(orm, (statement = buildPage(orm)));
  const rows = await statement.all({ ticketId, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { items: page.map(toMessage), nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null };
}
