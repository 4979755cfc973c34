import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { EmailTemplateSchema } from "../../../protocol/index.js";
import type { Reader } from "../../db/client.js";
import { agents, emailUnsubscribes, tickets } from "../../db/schema.js";
import { EMAIL_LOCALES, stillWorthSending, type EmailNotice } from "../../domain/notification-rules.js";
import type { Channel, DeliveryOutcome, OutboxEntry } from "../channel.js";
import { addressOf, EmailSigner, type LinkPurpose } from "./signed-links.js";
import { renderEmail, type EmailLinks } from "./templates.js";
import type { MailMessage, MailTransport } from "./transport.js";

/** The outbox payload as email-entries.ts writes it; checked again here, since rows outlive code. */
export const EmailNoticeSchema = z.object({
  template: EmailTemplateSchema,
  locale: z.enum(EMAIL_LOCALES as [EmailNotice["locale"], ...EmailNotice["locale"][]]),
  audience: z.enum(["customer", "agent"]),
  to: z.string().min(3).max(254),
  toName: z.string().nullable(),
  siteId: z.string(),
  ticketId: z.string(),
  ticketNumber: z.string(),
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  notBefore: z.number().optional(),
}) satisfies z.ZodType<EmailNotice>;

export interface EmailChannelOptions {
  orm: Reader;
  transport: MailTransport;
  signer: EmailSigner;
  /** `Name <address>` or an address: PARLEY_MAIL_FROM. */
  from: string;
  /** Base of every link, without a trailing slash. */
  publicUrl: string;
  now: () => number;
}

/** The signed links of one customer email (agents get the inbox link only). */
export function emailLinks(options: Pick<EmailChannelOptions, "signer" | "publicUrl">, notice: EmailNotice, now: number): EmailLinks {
  if (notice.audience === "agent") return { conversation: null, rating: null, unsubscribe: null, inbox: `${options.publicUrl}/inbox` };
  const url = (purpose: LinkPurpose, path: string, ref: string) =>
    `${options.publicUrl}${path}?token=${options.signer.linkToken(purpose, { ref, to: notice.to }, now)}`;
  return {
    conversation: url("conversation", "/v1/email/conversation", notice.ticketNumber),
    rating: url("rating", "/v1/email/rating", notice.ticketNumber),
    unsubscribe: url("unsubscribe", "/v1/email/unsubscribe", notice.siteId),
    inbox: null,
  };
}

/**
 * The "email" channel of the outbox dispatcher: renders an entry and hands it to the
 * transport. What can only be known at delivery is decided here: a customer who unsubscribed
 * since, or a reply the visitor read while the email waited (the entry's `notBefore`), is not
 * sent, and the outcome's note (kept in the delivery log) says why. An SMTP 5xx is a permanent failure; a 4xx or a
 * network error is retried by the dispatcher.
 *
 * @example
 * const email = emailChannel({ orm: db.orm, transport, signer, from, publicUrl, now: Date.now });
 * const dispatcher = createDispatcher({ db, channels: { room, webhook, email } });
 */
export function emailChannel(options: EmailChannelOptions): Channel {
  const { orm, transport, signer } = options;
  const fromAddress = addressOf(options.from);

  return {
    name: "email",
    async deliver(entry: OutboxEntry): Promise<DeliveryOutcome> {
      const parsed = EmailNoticeSchema.safeParse(entry.payload);
      if (!parsed.success) return { ok: false, permanent: true, error: `not an email payload: ${parsed.error.issues[0]?.message ?? "invalid"}` };
      const notice = parsed.data;
      const now = options.now();

      if (notice.audience === "customer") {
        const optedOut = await orm.query.emailUnsubscribes.findFirst({
          where: and(eq(emailUnsubscribes.siteId, notice.siteId), eq(emailUnsubscribes.email, notice.to.toLowerCase())),
        });
        if (optedOut) return { ok: true, note: "not sent: the customer unsubscribed" };
        const ticket = await orm.query.tickets.findFirst({ where: eq(tickets.id, notice.ticketId), columns: { visitorReadSeq: true, status: true, rating: true } });
        if (!ticket) return { ok: false, permanent: true, error: `ticket ${notice.ticketNumber} no longer exists` };
        if (!stillWorthSending(notice, ticket)) {
          return { ok: true, note: notice.template === "rating-reminder" ? "not sent: the ticket was rated or reopened in the meantime" : "not sent: the visitor read the reply in the meantime" };
        }
      } else {
        const agent = await orm.query.agents.findFirst({ where: eq(agents.email, notice.to), columns: { active: true } });
        if (!agent?.active) return { ok: true, note: "not sent: the agent is no longer active" };
      }

      const links = emailLinks(options, notice, now);
      const rendered = renderEmail(notice, links);
      const headers: Record<string, string> = {
        // RFC 3834: out-of-office robots must not answer this.
        "Auto-Submitted": "auto-generated",
        "X-Parley-Ticket": notice.ticketNumber,
      };
      if (links.unsubscribe) {
        headers["List-Unsubscribe"] = `<${links.unsubscribe}>`;
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
      }
      const domain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1);
      const message: MailMessage = {
        from: options.from,
        to: notice.toName ? { name: notice.toName, address: notice.to } : notice.to,
        ...(notice.audience === "customer" ? { replyTo: signer.replyAddress(notice.ticketNumber, notice.to, now) } : {}),
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers,
        // The same id on every attempt, so a receiver that got a half-acknowledged one can drop the repeat.
        messageId: `<outbox-${entry.id}.${notice.ticketNumber.toLowerCase()}@${domain}>`,
        // One thread per ticket in the recipient's mail client.
        references: `<ticket.${notice.ticketNumber.toLowerCase()}@${domain}>`,
      };
      try {
        return { ok: true, note: await transport.send(message) };
      } catch (error) {
        const responseCode = (error as { responseCode?: unknown }).responseCode;
        const code = typeof responseCode === "number" ? responseCode : undefined;
        // 5xx from SMTP: the server will never take this mail (unknown mailbox…); 4xx and network errors may pass later.
        return { ok: false, error: error instanceof Error ? error.message : String(error), ...(code ? { statusCode: code, permanent: code >= 500 } : {}) };
      }
    },
  };
}
