import type { Attachment, SenderType } from "../../protocol/index.js";
import { DomainError } from "../domain/errors.js";
import { pageOfRows } from "../domain/paging.js";
import { messagesAfter, messagesBefore, unreadCounts } from "../tickets/access.js";
import { slaChangesBetween } from "../tickets/sla-clock.js";
import { appendMessage, moveReadMark } from "../tickets/store.js";
import { toCustomerMessage, toMessage, type MessageRow, type TicketRow } from "../tickets/views.js";
import { runCommand, type Actor, type CommandContext, type CommandScope } from "./command.js";
import { snapshotOf } from "./snapshot.js";
import { loadTicket, type TicketRef } from "./ticket-ref.js";

export interface PostMessageInput {
  ticket: TicketRef;
  clientId: string;
  body: string;
  /** Who speaks: the customer, an agent (a reply, or an internal note), the system or a bot. */
  sender: { type: SenderType; id: string | null; name: string | null };
  internal: boolean;
  attachments: Attachment[];
}

/**
 * postMessage: appends a message (idempotent by clientId) and announces it, with the status
 * move it caused. A resend announces nothing.
 */
export async function postMessage(context: CommandContext, input: PostMessageInput): Promise<{ message: MessageRow; ticket: TicketRow; created: boolean }> {
  if (input.internal && input.sender.type === "customer") throw new DomainError("validation_failed", "a customer cannot write an internal note");
  return runCommand(context, async (scope) => appendAndAnnounce(scope, await loadTicket(scope.tx, input.ticket), input));
}

/**
 * The message part of a command: appends to a ticket read in this transaction and announces
 * message.created (and the status move it caused). `closing` marks the message a close
 * posts: the closed email quotes it, so it sends no "agent replied" email of its own.
 */
export async function appendAndAnnounce(
  { tx, at, announce }: CommandScope,
  ticket: TicketRow,
  input: Omit<PostMessageInput, "ticket">,
  options: { closing?: boolean } = {},
): Promise<{ message: MessageRow; ticket: TicketRow; created: boolean }> {
  const result = await appendMessage(
    tx,
    ticket,
    {
      clientId: input.clientId,
      body: input.body,
      senderType: input.sender.type,
      senderId: input.sender.id,
      senderName: input.sender.name,
      internal: input.internal,
      attachments: input.attachments,
    },
    at,
  );
  if (result.created) {
    const snapshot = snapshotOf(result.ticket);
    const { message } = result;
    await announce({
      type: "message.created",
      ticket: snapshot,
      message: toMessage(message),
      visibleSeq: message.internal ? null : message.visibleSeq,
      senderType: input.sender.type,
      ...(options.closing ? { closing: true as const } : {}),
    });
    // The first response, a pause that ended (due times pushed later) or a breach change the SLA.
    const sla = slaChangesBetween(ticket, result.ticket);
    if (result.statusChanged || sla.length > 0) {
      await announce({ type: "ticket.updated", ticket: snapshot, changes: [...(result.statusChanged ? ["status"] : []), ...sla] });
    }
  }
  return { message: result.message, ticket: result.ticket, created: result.created };
}

/** markRead: moves one side's read mark forward and answers the mark with that side's unread count. */
export async function markRead(
  context: CommandContext,
  input: { ticket: TicketRef; side: "customer" | "agent"; seq: number; actor: Actor },
): Promise<{ number: string; seq: number; unreadCount: number }> {
  const ticket = await runCommand(context, async ({ tx, at, announce }) => {
    const { ticket, moved } = await moveReadMark(tx, await loadTicket(tx, input.ticket), input.side, input.seq, input.actor, at);
    if (moved) await announce({ type: "read.updated", ticket: snapshotOf(ticket), side: input.side, ...readMarkOf(ticket, input.side) });
    return ticket;
  });
  const unread = await unreadCounts(context.db.orm, [ticket], input.side);
  // Each side answers in its own numbering: the customer's mark counts visible messages only.
  const mark = readMarkOf(ticket, input.side);
  return { number: ticket.number, seq: input.side === "customer" ? mark.visibleSeq : mark.seq, unreadCount: unread.get(ticket.id) ?? 0 };
}

/** One side's read mark in both numberings (the team's seq, the customer's visible seq). */
function readMarkOf(ticket: TicketRow, side: "customer" | "agent"): { seq: number; visibleSeq: number } {
  return side === "customer"
    ? { seq: ticket.visitorReadSeq, visibleSeq: ticket.visitorReadVisibleSeq }
    : { seq: ticket.agentReadSeq, visibleSeq: ticket.agentReadVisibleSeq };
}

/**
 * The messages after a seq, one page. The customer never sees internal notes and pages in
 * visible seqs (their own numbering); the team pages in seqs.
 */
export async function listMessages(
  context: Pick<CommandContext, "db">,
  input: { ticket: TicketRef; after: number; limit: number; before?: number },
): Promise<{ items: ReturnType<typeof toMessage>[]; nextCursor: string | null }> {
  const { orm } = context.db;
  const ticket = await loadTicket(orm, input.ticket);
  const customer = Boolean(input.ticket.visitor);
  if (input.before !== undefined && !customer) {
    const { page, last, more } = pageOfRows(await messagesBefore(orm, ticket.id, input.before, input.limit + 1), input.limit);
    // Read newest first, answered in seq order like every other page; the cursor is the oldest seq.
    return { items: page.reverse().map(toMessage), nextCursor: more && last ? String(last.seq) : null };
  }
  const rows = await messagesAfter(orm, ticket.id, input.after, input.limit + 1, customer ? "customer" : "team");
  const { page, last, more } = pageOfRows(rows, input.limit);
  if (customer) return { items: page.map(toCustomerMessage), nextCursor: more && last ? String(last.visibleSeq) : null };
  return { items: page.map(toMessage), nextCursor: more && last ? String(last.seq) : null };
}
