import { and, eq, sql } from "drizzle-orm";
import type {
  ActorType,
  Attachment,
  SenderType,
  TicketEventType,
  TicketPriority,
  TicketSource,
  TicketStatus,
} from "../../protocol/index.js";
import type { Tx } from "../db/client.js";
import { categories, messages, slaPolicies, ticketCounters, ticketEvents, tickets } from "../db/schema.js";
import { defaultSlaTargets, slaDueTimes } from "../domain/sla.js";
import { formatTicketNumber } from "../domain/ticket-number.js";
import {
  isFinished,
  statusAfterAgentReply,
  statusAfterCustomerMessage,
  transitionRefusal,
} from "../domain/ticket-lifecycle.js";
import { ApiError } from "../middleware/errors.js";
import type { MessageRow, TicketRow } from "./views.js";

/** Who did something to a ticket, as recorded in its history. */
export interface Actor {
  type: ActorType;
  id: string | null;
}

export const newId = () => crypto.randomUUID();

/** Appends one immutable row to the ticket's history; call inside the write it describes. */
export async function recordEvent(
  tx: Tx,
  ticketId: string,
  type: TicketEventType,
  actor: Actor,
  data: Record<string, unknown>,
  at: number,
) {
  await tx.insert(ticketEvents).values({ id: newId(), ticketId, type, actorType: actor.type, actorId: actor.id, data, createdAt: at });
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
  if (!category) throw new ApiError("validation_failed", `unknown category "${slug}"`, [{ path: "category", message: "unknown category" }]);
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
}

export async function createTicket(tx: Tx, input: NewTicket, actor: Actor, at: number): Promise<TicketRow> {
  const category = input.categorySlug ? await categoryBySlug(tx, input.categorySlug) : null;
  const priority = input.priority ?? "normal";
  const policy = await tx.query.slaPolicies.findFirst({ where: eq(slaPolicies.priority, priority) });
  const due = slaDueTimes(at, policy ?? defaultSlaTargets[priority]);
  const [ticket] = await tx
    .insert(tickets)
    .values({
      id: newId(),
      number: await nextTicketNumber(tx, at),
      siteId: input.siteId,
      visitorId: input.visitorId,
      customerName: input.customerName,
      customerEmail: input.customerEmail,
      subject: input.subject,
      description: input.description,
      categoryId: category?.id ?? null,
      departmentId: category?.departmentId ?? null,
      priority,
      source: input.source,
      clientId: input.clientId ?? null,
      ...due,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await recordEvent(tx, ticket!.id, "created", actor, { number: ticket!.number, source: input.source, priority }, at);
  return ticket!;
}

/** Moves a ticket to `to` or refuses with 409; stamps resolved/closed times and records the change. */
export async function changeStatus(tx: Tx, ticket: TicketRow, to: TicketStatus, actor: Actor, at: number, note?: string) {
  const refusal = transitionRefusal(ticket.status, to);
  if (refusal) throw new ApiError("illegal_transition", refusal, { from: ticket.status, to });
  const stamps: Partial<TicketRow> = { status: to, updatedAt: at };
  if (to === "resolved") stamps.resolvedAt = at;
  if (to === "closed") stamps.closedAt = at;
  if (to === "escalated") stamps.escalatedAt = at;
  if (!isFinished(to)) Object.assign(stamps, { resolvedAt: null, closedAt: null });
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
 */
export async function appendMessage(
  tx: Tx,
  ticket: TicketRow,
  input: NewMessage,
  at: number,
): Promise<{ message: MessageRow; ticket: TicketRow; created: boolean; statusChanged: boolean }> {
  const existing = await tx.query.messages.findFirst({
    where: and(eq(messages.ticketId, ticket.id), eq(messages.clientId, input.clientId)),
  });
  if (existing) return { message: existing, ticket, created: false, statusChanged: false };
  if (ticket.status === "closed") {
    throw new ApiError("illegal_transition", "this ticket is closed; open a new ticket to continue", { status: ticket.status });
  }

  const actor: Actor = { type: input.senderType === "customer" ? "customer" : input.senderType === "agent" ? "agent" : "system", id: input.senderId };
  const visible = !input.internal;
  const [bumped] = await tx
    .update(tickets)
    .set({
      lastSeq: sql`${tickets.lastSeq} + 1`,
      ...(visible ? { messageCount: sql`${tickets.messageCount} + 1`, lastMessageAt: at } : {}),
      updatedAt: at,
    })
    .where(eq(tickets.id, ticket.id))
    .returning();
  const [message] = await tx
    .insert(messages)
    .values({ id: newId(), ticketId: ticket.id, seq: bumped!.lastSeq, ...input, createdAt: at })
    .returning();
  await recordEvent(tx, ticket.id, input.internal ? "note" : "message", actor, { seq: message!.seq, messageId: message!.id }, at);

  let current = bumped!;
  if (visible && input.senderType === "customer") {
    const next = statusAfterCustomerMessage(current.status);
    if (next) current = await changeStatus(tx, current, next, actor, at);
  }
  if (visible && input.senderType === "agent") {
    if (current.firstResponseAt === null) {
      [current] = (await tx.update(tickets).set({ firstResponseAt: at }).where(eq(tickets.id, ticket.id)).returning()) as [TicketRow];
    }
    const next = statusAfterAgentReply(current.status);
    if (next) current = await changeStatus(tx, current, next, actor, at);
  }
  return { message: message!, ticket: current, created: true, statusChanged: current.status !== ticket.status };
}

/**
 * Moves one side's read mark forward (never back, never past the last message) and records
 * it. Answers the ticket as it now stands, and whether the mark moved.
 */
export async function moveReadMark(tx: Tx, ticket: TicketRow, side: "customer" | "agent", seq: number, actor: Actor, at: number) {
  const current = side === "customer" ? ticket.visitorReadSeq : ticket.agentReadSeq;
  const mark = Math.min(Math.max(seq, current), ticket.lastSeq);
  if (mark === current) return { ticket, moved: false };
  const [updated] = await tx
    .update(tickets)
    .set(side === "customer" ? { visitorReadSeq: mark } : { agentReadSeq: mark })
    .where(eq(tickets.id, ticket.id))
    .returning();
  await recordEvent(tx, ticket.id, "read", actor, { seq: mark }, at);
  return { ticket: updated!, moved: true };
}
