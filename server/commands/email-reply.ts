import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { tickets } from "../db/schema.js";
import { appendMessage, createTicket } from "../tickets/store.js";
import { toMessage, type MessageRow, type TicketRow } from "../tickets/views.js";
import { runCommand, type CommandContext } from "./command.js";
import { routeIfAutomatic } from "./route-ticket.js";
import { snapshotOf } from "./snapshot.js";

/** The longest body a message or a ticket description may have (MessageBodySchema, the ticket body schema). */
const BODY_LIMIT = 10_000;
const SUBJECT_LIMIT = 200;

const clip = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

/**
 * An idempotency key for a mail: the same Message-ID (an MTA retrying, a relay posting twice)
 * lands once. Without one, the caller passes a digest of the raw bytes.
 */
export const emailClientId = (messageKey: string) => `email-${createHash("sha256").update(messageKey).digest("hex").slice(0, 40)}`;

export interface EmailReply {
  ticketNumber: string;
  /** The verified sender (the reply address was signed for it). */
  sender: string;
  senderName: string | null;
  body: string;
  messageKey: string;
}

export type EmailReplyOutcome =
  | { ok: true; message: MessageRow; ticket: TicketRow; created: boolean; statusChanged: boolean }
  | { ok: false; reason: "unknown_ticket" | "ticket_closed" };

/**
 * Adds a customer's email reply to its ticket, through the same message store as the widget
 * (seq, status move, history row), announced as any new message is; a resend announces nothing.
 */
export async function postCustomerEmailReply(context: CommandContext, reply: EmailReply): Promise<EmailReplyOutcome> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const ticket = await tx.query.tickets.findFirst({ where: eq(tickets.number, reply.ticketNumber) });
    if (!ticket) return { ok: false, reason: "unknown_ticket" } as const;
    const clientId = emailClientId(reply.messageKey);
    const result = await tx.query.messages.findFirst({ where: (m) => and(eq(m.ticketId, ticket.id), eq(m.clientId, clientId)) });
    if (result) return { ok: true, message: result, ticket, created: false, statusChanged: false } as const;
    if (ticket.status === "closed") return { ok: false, reason: "ticket_closed" } as const;
    const appended = await appendMessage(
      tx,
      ticket,
      {
        clientId,
        body: clip(reply.body, BODY_LIMIT),
        senderType: "customer",
        // An email-only customer has no visitor row; the ticket's visitor (if any) is who the reply address was signed for.
        senderId: ticket.visitorId,
        senderName: reply.senderName ?? ticket.customerName,
        internal: false,
        attachments: [],
      },
      at,
    );
    const snapshot = snapshotOf(appended.ticket);
    const { message } = appended;
    await announce({ type: "message.created", ticket: snapshot, message: toMessage(message), visibleSeq: message.visibleSeq, senderType: "customer" });
    if (appended.statusChanged) await announce({ type: "ticket.updated", ticket: snapshot, changes: ["status"] });
    return { ok: true, ...appended } as const;
  });
}

export interface EmailTicketRequest {
  siteId: string;
  sender: string;
  senderName: string | null;
  subject: string | null;
  body: string;
  messageKey: string;
}

/**
 * A mail to a site's inbound address (`support+<site key>@…`) without a reply address opens a
 * ticket with source `email`; the same mail twice opens it once.
 */
export async function startTicketFromEmail(context: CommandContext, request: EmailTicketRequest): Promise<{ ticket: TicketRow; created: boolean }> {
  const clientId = emailClientId(request.messageKey);
  return runCommand(context, async (scope) => {
    const { tx, at, announce } = scope;
    const existing = await tx.query.tickets.findFirst({
      where: and(eq(tickets.siteId, request.siteId), isNull(tickets.visitorId), eq(tickets.source, "email"), eq(tickets.clientId, clientId)),
    });
    if (existing) return { ticket: existing, created: false };
    const subject = request.subject && request.subject.length >= 3 ? clip(request.subject, SUBJECT_LIMIT) : clip(`Email from ${request.sender}`, SUBJECT_LIMIT);
    const ticket = await createTicket(
      tx,
      {
        siteId: request.siteId,
        visitorId: null,
        customerName: request.senderName,
        customerEmail: request.sender,
        subject,
        description: clip(request.body, BODY_LIMIT),
        source: "email",
        clientId,
      },
      { type: "customer", id: null },
      at,
    );
    await announce({ type: "ticket.created", ticket: snapshotOf(ticket) });
    return { ticket: await routeIfAutomatic(scope, ticket), created: true };
  });
}
