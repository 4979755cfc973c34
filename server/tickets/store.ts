import { and, eq, lte, sql, type SQL } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type {
  ActorType,
  Attachment,
  SenderType,
  TicketEventType,
  TicketPriority,
  TicketSource,
  TicketStatus,
} from "../../protocol/index.js";
import { executorOf, type Tx } from "../db/client.js";
import { categories, messages, ticketCounters, ticketEvents, tickets } from "../db/schema.js";
import { compile, compiledByShape, compiler, type Executor } from "../db/statement.js";
import { breachesAt } from "../domain/sla.js";
import { formatTicketNumber } from "../domain/ticket-number.js";
import {
  isFinished,
  statusAfterAgentReply,
  statusAfterCustomerMessage,
  transitionRefusal,
} from "../domain/ticket-lifecycle.js";
import { DomainError } from "../domain/errors.js";
import { messageRow, ticketRow } from "./access.js";
import { slaColumnsFor, slaOnStatusChange } from "./sla-clock.js";
import type { MessageRow, TicketRow } from "./views.js";

/** Who did something to a ticket, as recorded in its history. */
export interface Actor {
  type: ActorType;
  id: string | null;
}

/**
 * A new row id: a UUIDv7, whose leading 48 bits are the time in ms, so ids made later sort
 * later. A table's rows and the indexes on their ids then grow at one end, instead of each
 * insert landing on a random page (as a random UUID does) that the commit writes out whole.
 */
export const newId = (): string => uuidv7();

// The statements every message write runs, compiled once (see db/statement.ts).
const placeholders = <K extends string>(...names: K[]) =>
  Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as unknown as Record<K, ReturnType<typeof sql.placeholder>>;
// `update().set()` takes SQL rather than bare placeholders; these columns need no encoding.
const sqlPlaceholders = <K extends string>(...names: K[]) => Object.fromEntries(names.map((name) => [name, sql`${sql.placeholder(name)}`])) as unknown as Record<K, SQL>;

const insertEvent = compile<{ id: string; ticketId: string; type: TicketEventType; actorType: ActorType; actorId: string | null; data: Record<string, unknown>; createdAt: number }>(
  compiler.insert(ticketEvents).values(placeholders("id", "ticketId", "type", "actorType", "actorId", "data", "createdAt")),
);

/**
 * Idempotent by clientId: a second insert with the same (ticket, clientId) changes no row and
 * writes nothing. It sets every column, so the row it stores is the one it was given (no
 * RETURNING to read it back).
 */
const insertMessage = compile<MessageRow>(
  compiler
    .insert(messages)
    .values(placeholders("id", "ticketId", "seq", "visibleSeq", "clientId", "senderType", "senderId", "senderName", "body", "internal", "attachments", "createdAt"))
    .onConflictDoNothing({ target: [messages.ticketId, messages.clientId] }),
);

const selectStoredMessage = compile<{ ticketId: string; clientId: string }>(
  compiler
    .select(messageRow.columns)
    .from(messages)
    .where(and(eq(messages.ticketId, sql.placeholder("ticketId")), eq(messages.clientId, sql.placeholder("clientId"))))
    .limit(1),
);

/** Everything a new message changes on its ticket, in one statement; the values are worked out under the write lock. */
const slaFields = [
  "firstResponseDueAt",
  "firstResponseWarnAt",
  "resolutionDueAt",
  "resolutionWarnAt",
  "firstResponseBreachedAt",
  "resolutionBreachedAt",
  "slaPausedAt",
  "slaPausedMs",
] as const;
const afterMessageFields = ["lastSeq", "messageCount", "lastMessageAt", "updatedAt", "status", "resolvedAt", "closedAt", "escalatedAt", "firstResponseAt", ...slaFields] as const;
type AfterMessageField = (typeof afterMessageFields)[number];
type AfterMessage = Pick<TicketRow, AfterMessageField>;

/**
 * The ticket's update after a message sets only the columns whose value changed. SQLite
 * rewrites the entry of every index over a column an UPDATE sets, changed or not, and the
 * queue keeps two dozen indexes over status, the SLA times and `updated_at`: setting them all
 * made this one statement the costliest of a message write. An ordinary message changes four
 * columns, so its update touches the few indexes over `updated_at`. One statement per set of
 * changed columns, compiled when first met (a handful occur).
 */
const updateTicketAfterMessage = compiledByShape(
  (changed: readonly AfterMessageField[]) =>
    compile<AfterMessage & { id: string }>(compiler.update(tickets).set(sqlPlaceholders(...changed)).where(eq(tickets.id, sql.placeholder("id")))),
  (changed) => changed.join(","),
);

async function insertEventRow(connection: Executor, ticketId: string, type: TicketEventType, actor: Actor, data: Record<string, unknown>, at: number) {
  await insertEvent.run(connection, { id: newId(), ticketId, type, actorType: actor.type, actorId: actor.id, data, createdAt: at });
}

/** Appends one immutable row to the ticket's history; call inside the write it describes. */
export async function recordEvent(
  tx: Tx,
  ticketId: string,
  type: TicketEventType,
  actor: Actor,
  data: Record<string, unknown>,
  at: number,
) {
  await insertEventRow(executorOf(tx), ticketId, type, actor, data, at);
}

async function nextTicketNumber(tx: Tx, at: number): Promise<string> {
  const year = new Date(at).getUTCFullYear();
  const [counter] = await tx
    .insert(ticketCounters)
    .values({ year, last: 1 })
    .onConflictDoUpdate({ target: ticketCounters.year, set: { last: sql`${ticketCounters.last} + 1` } })
    .returning();
  return formatTicketNumber(year, counter!.last);
}

/** Resolves a category slug to its row, or refuses with a clear 400. */
export async function categoryBySlug(tx: Tx, slug: string) {
  const category = await tx.query.categories.findFirst({ where: eq(categories.slug, slug) });
  if (!category) throw new DomainError("validation_failed", `unknown category "${slug}"`, [{ path: "category", message: "unknown category" }]);
  return category;
}

export interface NewTicket {
  siteId: string;
  visitorId: string | null;
  customerName: string | null;
  customerEmail: string | null;
  subject: string;
  description: string;
  categorySlug?: string | undefined;
  priority?: TicketPriority | undefined;
  source: TicketSource;
  clientId?: string | undefined;
  /** The page the ticket was opened from, without query or fragment (domain/visitor-context.ts). */
  pageUrl?: string | null | undefined;
  customerLocale?: string | null | undefined;
}

export async function createTicket(tx: Tx, input: NewTicket, actor: Actor, at: number): Promise<TicketRow> {
  const category = input.categorySlug ? await categoryBySlug(tx, input.categorySlug) : null;
  const priority = input.priority ?? "normal";
  const sla = await slaColumnsFor(tx, { siteId: input.siteId, priority, categoryId: category?.id ?? null, openedAt: at, pausedMs: 0 });
  const [ticket] = await tx
    .insert(tickets)
    .values({
      id: newId(),
      number: await nextTicketNumber(tx, at),
      siteId: input.siteId,
      visitorId: input.visitorId,
      customerName: input.customerName,
      customerEmail: input.customerEmail,
      pageUrl: input.pageUrl ?? null,
      customerLocale: input.customerLocale ?? null,
      subject: input.subject,
      description: input.description,
      categoryId: category?.id ?? null,
      departmentId: category?.departmentId ?? null,
      priority,
      source: input.source,
      clientId: input.clientId ?? null,
      ...sla,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await recordEvent(tx, ticket!.id, "created", actor, { number: ticket!.number, source: input.source, priority }, at);
  return ticket!;
}

/** The fields a move to `to` stamps: the time of resolving, closing or escalating; reopening clears resolved/closed. */
function statusStamps(to: TicketStatus, at: number): Partial<TicketRow> {
  const stamps: Partial<TicketRow> = { status: to, updatedAt: at };
  if (to === "resolved") stamps.resolvedAt = at;
  if (to === "closed") stamps.closedAt = at;
  if (to === "escalated") stamps.escalatedAt = at;
  // A reopened ticket is no longer resolved by anyone; its history keeps who did and what they wrote.
  if (!isFinished(to)) Object.assign(stamps, { resolvedAt: null, resolvedBy: null, resolution: null, closedAt: null });
  return stamps;
}

/** Moves a ticket to `to` or refuses with 409; stamps resolved/closed times and records the change. */
export async function changeStatus(tx: Tx, ticket: TicketRow, to: TicketStatus, actor: Actor, at: number, note?: string) {
  const refusal = transitionRefusal(ticket.status, to);
  if (refusal) throw new DomainError("illegal_transition", refusal, { from: ticket.status, to });
  // The SLA clock moves with the status: breaches missed by now are stamped, a pause starts or ends.
  const stamps = { ...statusStamps(to, at), ...(await slaOnStatusChange(tx, ticket, to, at)) };
  const [updated] = await tx.update(tickets).set(stamps).where(eq(tickets.id, ticket.id)).returning();
  await recordEvent(tx, ticket.id, "status_changed", actor, note ? { from: ticket.status, to, note } : { from: ticket.status, to }, at);
  return updated!;
}

export interface NewMessage {
  clientId: string;
  body: string;
  senderType: SenderType;
  senderId: string | null;
  senderName: string | null;
  internal: boolean;
  attachments: Attachment[];
}

/**
 * Appends a message with the ticket's next seq, idempotently: the same `clientId` on the
 * same ticket returns the stored message (created: false) and writes nothing.
 *
 * `ticket` must have been read inside this write (`tx`): the write lock and the IMMEDIATE
 * transaction keep it current, so the next seq, the counters and any status move are worked
 * out here and written in one update. A new message costs three statements (message, ticket,
 * history row), four when it also moves the status; a resend costs two.
 */
export async function appendMessage(
  tx: Tx,
  ticket: TicketRow,
  input: NewMessage,
  at: number,
): Promise<{ message: MessageRow; ticket: TicketRow; created: boolean; statusChanged: boolean }> {
  const connection = executorOf(tx);
  const stored = async () => {
    const rows = await selectStoredMessage.rows(connection, { ticketId: ticket.id, clientId: input.clientId });
    return rows[0] ? messageRow.read(rows[0]) : undefined;
  };
  if (ticket.status === "closed") {
    // A resend of a message stored before the ticket closed still gets its answer.
    const existing = await stored();
    if (existing) return { message: existing, ticket: withoutGeneratedSla(ticket), created: false, statusChanged: false };
    throw new DomainError("illegal_transition", "this ticket is closed; open a new ticket to continue", { status: ticket.status });
  }

  // messageCount counts the visible messages, so the next visible one is numbered after them.
  const message: MessageRow = { id: newId(), ticketId: ticket.id, seq: ticket.lastSeq + 1, visibleSeq: input.internal ? null : ticket.messageCount + 1, ...input, createdAt: at };
  if ((await insertMessage.run(connection, message)) === 0) {
    const existing = await stored();
    if (!existing) throw new Error(`message ${input.clientId} on ticket ${ticket.number} was neither inserted nor found`);
    return { message: existing, ticket: withoutGeneratedSla(ticket), created: false, statusChanged: false };
  }

  const actor: Actor = { type: input.senderType, id: input.senderId };
  const visible = !input.internal;
  const next = !visible
    ? null
    : input.senderType === "customer"
      ? statusAfterCustomerMessage(ticket.status)
      : input.senderType === "agent"
        ? statusAfterAgentReply(ticket.status, input.senderId !== null && input.senderId === ticket.assigneeId)
        : null;
  const moved = next ? statusStamps(next, at) : {};
  // A status move may end a pause (reading the site's calendar, rarely); otherwise only the
  // breach stamps, pure arithmetic on the row in hand, so an ordinary message costs no query.
  const sla = ticket.slaClock === null ? {} : next ? await slaOnStatusChange(tx, ticket, next, at) : breachesAt(ticket, at);
  const slaValues = Object.fromEntries(slaFields.map((field) => [field, sla[field] !== undefined ? sla[field] : ticket[field]])) as Pick<TicketRow, (typeof slaFields)[number]>;
  const after: AfterMessage = {
    ...slaValues,
    lastSeq: message.seq,
    messageCount: ticket.messageCount + (visible ? 1 : 0),
    lastMessageAt: visible ? at : ticket.lastMessageAt,
    updatedAt: at,
    status: moved.status ?? ticket.status,
    resolvedAt: moved.resolvedAt !== undefined ? moved.resolvedAt : ticket.resolvedAt,
    closedAt: moved.closedAt !== undefined ? moved.closedAt : ticket.closedAt,
    escalatedAt: moved.escalatedAt !== undefined ? moved.escalatedAt : ticket.escalatedAt,
    firstResponseAt: visible && input.senderType === "agent" && ticket.firstResponseAt === null ? at : ticket.firstResponseAt,
  };
  // lastSeq always moves, so the update always sets something. The row was read in this
  // write and only these columns change; the one generated column a TicketRow carries
  // (priorityRank) follows `priority`, which a message never sets. So the ticket as it now
  // stands is known without reading it back.
  const changed = afterMessageFields.filter((field) => after[field] !== ticket[field]);
  if ((await updateTicketAfterMessage(changed).run(connection, { ...after, id: ticket.id })) !== 1) throw new Error(`ticket ${ticket.number} vanished during its own write`);
  const current: TicketRow = { ...withoutGeneratedSla(ticket), ...after };
  await insertEventRow(connection, ticket.id, input.internal ? "note" : "message", actor, { seq: message.seq, messageId: message.id }, at);
  if (next) {
    const refusal = transitionRefusal(ticket.status, next);
    if (refusal) throw new Error(`the lifecycle moved a ${ticket.status} ticket to ${next}, which it refuses: ${refusal}`);
    await insertEventRow(connection, ticket.id, "status_changed", actor, { from: ticket.status, to: next }, at);
  }
  return { message, ticket: current, created: true, statusChanged: current.status !== ticket.status };
}

/**
 * A TicketRow of any ticket row. A whole row (`tx.query.tickets…`) also carries the generated
 * SLA columns, which a message's changes move; a TicketRow leaves them out, so they cannot go stale.
 */
function withoutGeneratedSla(row: TicketRow): TicketRow {
  if (!("slaDueAt" in row)) return row;
  const { slaDueAt: _dueAt, slaWarnAt: _warnAt, slaAlarmAt: _alarmAt, slaWatched: _watched, ...stored } = row as typeof tickets.$inferSelect;
  return stored;
}

/** The full seq of a ticket's visible message numbered `visibleSeq` (0 for none). */
async function seqOfVisible(tx: Tx, ticketId: string, visibleSeq: number): Promise<number> {
  if (visibleSeq === 0) return 0;
  const [row] = await tx
    .select({ seq: messages.seq })
    .from(messages)
    .where(and(eq(messages.ticketId, ticketId), eq(messages.visibleSeq, visibleSeq)))
    .limit(1);
  if (!row) throw new Error(`ticket ${ticketId} has no visible message ${visibleSeq}`);
  return row.seq;
}

/** The highest visible seq at or below the full seq `seq` (0 when no visible message is). */
async function visibleAtOrBelow(tx: Tx, ticketId: string, seq: number): Promise<number> {
  const [row] = await tx
    .select({ visibleSeq: sql<number | null>`max(${messages.visibleSeq})` })
    .from(messages)
    .where(and(eq(messages.ticketId, ticketId), lte(messages.seq, seq)))
    .limit(1);
  return Number(row?.visibleSeq ?? 0);
}

/**
 * Moves one side's read mark forward (never back, never past the last message that side can
 * see) and records it; both forms of the mark move together. The customer marks by visible
 * seq, the team by full seq. Answers the ticket as it now stands, and whether the mark moved.
 */
export async function moveReadMark(tx: Tx, ticket: TicketRow, side: "customer" | "agent", seq: number, actor: Actor, at: number) {
  let marks: { seq: number; visibleSeq: number };
  if (side === "customer") {
    const visibleSeq = Math.min(Math.max(seq, ticket.visitorReadVisibleSeq), ticket.messageCount);
    if (visibleSeq === ticket.visitorReadVisibleSeq) return { ticket, moved: false };
    marks = { seq: await seqOfVisible(tx, ticket.id, visibleSeq), visibleSeq };
  } else {
    const mark = Math.min(Math.max(seq, ticket.agentReadSeq), ticket.lastSeq);
    if (mark === ticket.agentReadSeq) return { ticket, moved: false };
    marks = { seq: mark, visibleSeq: await visibleAtOrBelow(tx, ticket.id, mark) };
  }
  const [updated] = await tx
    .update(tickets)
    .set(
      side === "customer"
        ? { visitorReadSeq: marks.seq, visitorReadVisibleSeq: marks.visibleSeq }
        : { agentReadSeq: marks.seq, agentReadVisibleSeq: marks.visibleSeq },
    )
    .where(eq(tickets.id, ticket.id))
    .returning();
  await recordEvent(tx, ticket.id, "read", actor, marks, at);
  return { ticket: updated!, moved: true };
}
