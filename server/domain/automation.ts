import type { TicketSource, TicketStatus } from "../../protocol/index.js";
import type { TranscriptLine } from "./events.js";
import { MAX_TIER } from "./escalation.js";
import { isUsableAddress, QUOTED_BODY_LIMIT, type EmailLocale } from "./notification-rules.js";

/**
 * The rules of the scheduled jobs (server/jobs/), pure. Each job's query finds candidates
 * with the same conditions in SQL; its command checks them again here, inside the write, so
 * a ticket that changed in between (or that another run got to first) is left alone.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A resolved ticket closes once it has stayed resolved `days` days. */
export function autoCloseDue(ticket: { status: TicketStatus; resolvedAt: number | null }, days: number | null, now: number): boolean {
  return days !== null && ticket.status === "resolved" && ticket.resolvedAt !== null && ticket.resolvedAt <= now - days * DAY_MS;
}

/** One reminder, `hours` after resolution, to a customer we can write to, while the ticket is resolved and unrated. */
export function ratingReminderDue(
  ticket: { status: TicketStatus; resolvedAt: number | null; rating: number | null; customerEmail: string | null },
  hours: number | null,
  now: number,
): boolean {
  return (
    hours !== null &&
    ticket.status === "resolved" &&
    ticket.rating === null &&
    ticket.resolvedAt !== null &&
    ticket.resolvedAt <= now - hours * HOUR_MS &&
    isUsableAddress(ticket.customerEmail)
  );
}

/**
 * Open (nobody ever started on it: no ticket returns to `open`) and unassigned since it was
 * created `hours` ago, below the top tier: it goes up a tier. Its lifecycle alone makes this
 * once per ticket, since an escalated ticket is never open again.
 */
export function unattendedEscalationDue(
  ticket: { status: TicketStatus; assigneeId: string | null; createdAt: number; tier: number },
  hours: number | null,
  now: number,
): boolean {
  return hours !== null && ticket.status === "open" && ticket.assigneeId === null && ticket.tier < MAX_TIER && ticket.createdAt <= now - hours * HOUR_MS;
}

/** When a chat last saw a message (its creation when it has none). */
export const chatActivityAt = (ticket: { lastMessageAt: number | null; createdAt: number }) => ticket.lastMessageAt ?? ticket.createdAt;

/**
 * A live chat (source `chat`, not closed) with no message for `hours`, not archived since its
 * last message. `archivedAt`: when it was last archived (null: never). The archive's own
 * system message is its last message, so an archived chat qualifies again only once someone
 * writes in it again.
 */
export function chatIdle(
  ticket: { source: TicketSource; status: TicketStatus; lastMessageAt: number | null; createdAt: number },
  archivedAt: number | null,
  hours: number | null,
  now: number,
): boolean {
  if (hours === null || ticket.source !== "chat" || ticket.status === "closed") return false;
  const activity = chatActivityAt(ticket);
  return activity <= now - hours * HOUR_MS && (archivedAt === null || archivedAt < activity);
}

/**
 * What archiving an idle chat does to its ticket. A resolved chat is done with: it closes.
 * Any other still owes the customer something (an answer, or waits on theirs), so it stays
 * in the queue as an ordinary ticket that carries on by email; only the live session ends.
 */
export const chatArchiveCloses = (status: TicketStatus): boolean => status === "resolved";

/** The transcript an email carries at most: longer chats end with "n more" and the conversation link. */
export const TRANSCRIPT_MAX_LINES = 300;
export const TRANSCRIPT_MAX_CHARS = 60_000;

/**
 * The transcript of a chat's customer-visible messages, in order, each body cut at the
 * email quote limit, the whole cut at TRANSCRIPT_MAX_LINES / TRANSCRIPT_MAX_CHARS. `total` is
 * how many visible messages the chat has (the caller may have read only the first ones).
 */
export function transcriptOf(messages: readonly TranscriptLine[], total: number): { lines: TranscriptLine[]; omitted: number } {
  const lines: TranscriptLine[] = [];
  let chars = 0;
  for (const message of messages) {
    if (lines.length >= TRANSCRIPT_MAX_LINES) break;
    const body = message.body.length > QUOTED_BODY_LIMIT ? `${message.body.slice(0, QUOTED_BODY_LIMIT)}…` : message.body;
    if (chars + body.length > TRANSCRIPT_MAX_CHARS && lines.length > 0) break;
    chars += body.length;
    lines.push({ ...message, body });
  }
  return { lines, omitted: Math.max(0, total - lines.length) };
}

/** The system messages the jobs leave in a conversation, in the site's language. */
interface SystemCopy {
  autoClosed: (days: number) => string;
  /** `closed`: the archive closed the chat; `emailed`: its transcript goes to the customer (who has an address and did not unsubscribe). */
  chatArchived: (closed: boolean, emailed: boolean) => string;
}

const systemMessages: Record<EmailLocale, SystemCopy> = {
  en: {
    autoClosed: (days) => `This ticket was closed automatically after ${days} ${days === 1 ? "day" : "days"} as resolved. If you still need help, please open a new request.`,
    chatArchived: (closed, emailed) =>
      [
        closed ? "This chat has ended and is now closed." : "This chat has ended; your request stays open and we will reply here.",
        emailed ? "A transcript has been sent to you by email." : "",
      ].join(" ").trim(),
  },
  fr: {
    autoClosed: (days) => `Ce ticket a été clôturé automatiquement après ${days} ${days === 1 ? "jour" : "jours"} à l'état résolu. Si vous avez encore besoin d'aide, ouvrez une nouvelle demande.`,
    chatArchived: (closed, emailed) =>
      [
        closed ? "Cette discussion est terminée et clôturée." : "Cette discussion est terminée ; votre demande reste ouverte et nous vous répondrons ici.",
        emailed ? "Une transcription vous a été envoyée par e-mail." : "",
      ].join(" ").trim(),
  },
  ar: {
    autoClosed: (days) => `أُغلقت هذه التذكرة تلقائيًا بعد ${days} يوم من حلّها. إذا كنت لا تزال بحاجة إلى المساعدة، فيرجى فتح طلب جديد.`,
    chatArchived: (closed, emailed) =>
      [closed ? "انتهت هذه المحادثة وأُغلقت." : "انتهت هذه المحادثة؛ يبقى طلبك مفتوحًا وسنرد عليك هنا.", emailed ? "أُرسل نصّها إليك بالبريد الإلكتروني." : ""].join(" ").trim(),
  },
};

export const systemMessageCopy = (locale: EmailLocale) => systemMessages[locale];
