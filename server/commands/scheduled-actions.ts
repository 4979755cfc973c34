import { and, asc, eq } from "drizzle-orm";
import { emailUnsubscribes, messages, sites } from "../db/schema.js";
import { claimedAt, claimOnce, claimSince } from "../db/job-claims.js";
import {
  autoCloseDue,
  chatActivityAt,
  chatArchiveCloses,
  chatIdle,
  ratingReminderDue,
  systemMessageCopy,
  transcriptOf,
  TRANSCRIPT_MAX_LINES,
  unattendedEscalationDue,
} from "../domain/automation.js";
import { emailLocale, isUsableAddress } from "../domain/notification-rules.js";
import { recordEvent } from "../tickets/store.js";
import type { TicketRow } from "../tickets/views.js";
import { runCommand, type Actor, type CommandContext, type CommandScope } from "./command.js";
import { snapshotOf } from "./snapshot.js";
import { applyClose, applyEscalation } from "./ticket-actions.js";
import { loadTicket } from "./ticket-ref.js";
import { appendAndAnnounce } from "./ticket-messages.js";

/**
 * The commands the scheduled jobs run, as `system`. Each checks its own condition inside
 * its write (the rules in domain/automation.ts, with the site's setting read there too), and
 * answers null when the ticket no longer qualifies: changed since the job found it, or done
 * by another run on this server or another. So a second run changes nothing. The changes are
 * the same as the people's commands (applyClose, applyEscalation, appendAndAnnounce), audited in
 * ticket_events and announced through the outbox alike.
 */
const SYSTEM: Actor = { type: "system", id: null };

/** The claim names: one per job, so claims of different jobs never collide. */
export const CLAIMS = { ratingReminder: "rating-reminder", unassignedEscalation: "unassigned-escalation", chatArchive: "chat-archive" } as const;

async function siteSettings(scope: CommandScope, siteId: string) {
  const [site] = await scope.tx
    .select({
      locale: sites.locale,
      autoCloseDays: sites.autoCloseDays,
      ratingReminderHours: sites.ratingReminderHours,
      unassignedEscalationHours: sites.unassignedEscalationHours,
      chatIdleHours: sites.chatIdleHours,
    })
    .from(sites)
    .where(eq(sites.id, siteId));
  if (!site) throw new Error(`site ${siteId} of a ticket does not exist`);
  return site;
}

/** autoClose: a ticket resolved for the site's autoCloseDays closes, with a system message saying why. */
export function autoClose(context: CommandContext, input: { number: string }): Promise<TicketRow | null> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, { number: input.number });
    const site = await siteSettings(scope, ticket.siteId);
    if (!autoCloseDue(ticket, site.autoCloseDays, scope.at)) return null;
    const days = site.autoCloseDays!;
    const body = systemMessageCopy(emailLocale(site.locale)).autoClosed(days);
    // Close posts its message into the conversation itself (as the system), once per ticket.
    return applyClose(scope, ticket, { message: body, actor: SYSTEM });
  });
}

/** remindRating: the one rating reminder of a resolved, unrated ticket (claimed for good, even if it is reopened later). */
export function remindRating(context: CommandContext, input: { number: string }): Promise<TicketRow | null> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, { number: input.number });
    const site = await siteSettings(scope, ticket.siteId);
    if (!ratingReminderDue(ticket, site.ratingReminderHours, scope.at)) return null;
    if (!(await claimOnce(scope.tx, CLAIMS.ratingReminder, ticket.id, scope.at))) return null;
    await recordEvent(scope.tx, ticket.id, "rating_requested", SYSTEM, { afterHours: site.ratingReminderHours }, scope.at);
    await scope.announce({ type: "rating.requested", ticket: snapshotOf(ticket) });
    return ticket;
  });
}

/** escalateUnattended: a ticket left open and unassigned for the site's unassignedEscalationHours goes up a tier, once. */
export function escalateUnattended(context: CommandContext, input: { number: string }): Promise<TicketRow | null> {
  return runCommand(context, async (scope) => {
    const ticket = await loadTicket(scope.tx, { number: input.number });
    const site = await siteSettings(scope, ticket.siteId);
    if (!unattendedEscalationDue(ticket, site.unassignedEscalationHours, scope.at)) return null;
    // The lifecycle already makes it once (an escalated ticket is never open again); the claim keeps it so if that ever changes.
    if (!(await claimOnce(scope.tx, CLAIMS.unassignedEscalation, ticket.id, scope.at))) return null;
    const reason = `open and unassigned for ${site.unassignedEscalationHours} hours`;
    return applyEscalation(scope, ticket, { reason, actor: SYSTEM });
  });
}

/**
 * archiveChat: an idle live chat ends. The customer is emailed its transcript (the visible
 * messages before the archive's own system message); a resolved chat also closes, any other
 * stays in the queue and carries on by email (domain/automation.ts, chatArchiveCloses).
 */
export function archiveChat(context: CommandContext, input: { number: string }): Promise<TicketRow | null> {
  return runCommand(context, async (scope) => {
    const { tx, at } = scope;
    const ticket = await loadTicket(tx, { number: input.number });
    const site = await siteSettings(scope, ticket.siteId);
    if (!chatIdle(ticket, await claimedAt(tx, CLAIMS.chatArchive, ticket.id), site.chatIdleHours, at)) return null;
    if (!(await claimSince(tx, CLAIMS.chatArchive, ticket.id, at, chatActivityAt(ticket)))) return null;

    const visible = await tx
      .select({ at: messages.createdAt, sender: messages.senderType, name: messages.senderName, body: messages.body })
      .from(messages)
      .where(and(eq(messages.ticketId, ticket.id), eq(messages.internal, false)))
      .orderBy(asc(messages.seq))
      .limit(TRANSCRIPT_MAX_LINES);
    const { lines, omitted } = transcriptOf(visible, ticket.messageCount);
    const closes = chatArchiveCloses(ticket.status);
    // What the system message may promise: the email rules send the transcript only to an address that has not opted out.
    const address = ticket.customerEmail?.toLowerCase();
    const emailed =
      isUsableAddress(address) &&
      !(await tx.query.emailUnsubscribes.findFirst({ where: and(eq(emailUnsubscribes.siteId, ticket.siteId), eq(emailUnsubscribes.email, address)) }));
    const body = systemMessageCopy(emailLocale(site.locale)).chatArchived(closes, emailed);
    // A closing archive says it through close, which posts its message itself; one that keeps the chat open posts it here.
    const current = closes
      ? await applyClose(scope, ticket, { message: body, actor: SYSTEM, viaTranscript: true })
      : (
          await appendAndAnnounce(scope, ticket, {
            clientId: `chat-archive:${chatActivityAt(ticket)}`,
            body,
            sender: { type: "system", id: null, name: null },
            internal: false,
            attachments: [],
          })
        ).ticket;
    await recordEvent(tx, ticket.id, "chat_archived", SYSTEM, { idleHours: site.chatIdleHours, messages: lines.length + omitted, closed: closes }, at);
    await scope.announce({ type: "chat.archived", ticket: snapshotOf(current), transcript: lines, omitted, closed: closes });
    return current;
  });
}
