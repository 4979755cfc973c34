import { createRoute, z } from "@hono/zod-openapi";
import { createHash, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { bodyLimit } from "hono/body-limit";
import { InboundEmailReceiptSchema, type ErrorCode } from "../../protocol/index.js";
import { postCustomerEmailReply, startTicketFromEmail } from "../commands/email-reply.js";
import { routeGroup, type Services } from "../context.js";
import { sites } from "../db/schema.js";
import { keepDeadLetter, type DeadLetterReason } from "../delivery/email/inbound-dead-letters.js";
import { parseInboundMail, type InboundMail } from "../delivery/email/inbound-mail.js";
import { ApiError } from "../middleware/errors.js";
import { access, errors, jsonResponse } from "./openapi.js";

export const INBOUND_EMAIL_PATH = "/v1/inbound/email";
/** Largest raw mail accepted (attachments included; only the text is used, the raw bytes are kept only when refused). */
export const MAX_INBOUND_BYTES = 10 * 1024 * 1024;

const receive = createRoute({
  method: "post",
  path: INBOUND_EMAIL_PATH,
  tags: ["email"],
  summary: "Receive one email (raw MIME, as an MTA pipe or a relay posts it): a reply becomes a customer message; mail to support+<site key>@ opens a ticket",
  description:
    "A refused mail (forged or expired reply address, unknown ticket or site, automatic reply, nothing left after removing the quoted history) is kept in the dead-letter table; the error's details name its id.",
  security: access.inbound,
  request: { body: { content: { "message/rfc822": { schema: z.string().openapi({ format: "binary" }) } }, required: true } },
  responses: {
    201: jsonResponse(InboundEmailReceiptSchema, "Stored on its ticket."),
    200: jsonResponse(InboundEmailReceiptSchema, "This mail (same Message-ID) was already stored."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict", "payload_too_large", "unsupported_media_type", "unavailable"),
  },
});

const digest = (value: string) => createHash("sha256").update(value).digest();
/** Compares digests, so neither the length nor a prefix of the secret leaks through timing. */
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

const refusalCode: Record<DeadLetterReason, ErrorCode> = {
  unparseable: "validation_failed",
  no_known_address: "validation_failed",
  no_sender: "validation_failed",
  automatic_reply: "validation_failed",
  empty_reply: "validation_failed",
  forged_reply_address: "forbidden",
  expired_reply_address: "forbidden",
  unknown_ticket: "not_found",
  unknown_site: "not_found",
  ticket_closed: "conflict",
};

export function inboundEmailRoutes(services: Services) {
  const app = routeGroup();
  const { signer } = services.email;

  // Authentication before the body is read: nobody else gets to make us buffer 10 MiB.
  app.use(INBOUND_EMAIL_PATH, async (c, next) => {
    const secret = services.email.inboundSecret;
    if (!secret) throw new ApiError("unavailable", "inbound email is not configured on this server (PARLEY_INBOUND_SECRET)");
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
    if (!token || !sameSecret(token, secret)) throw new ApiError("unauthorized", "inbound email needs Authorization: Bearer <PARLEY_INBOUND_SECRET>");
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "message/rfc822") throw new ApiError("unsupported_media_type", "send the raw mail with Content-Type: message/rfc822");
    await next();
  });
  app.use(
    INBOUND_EMAIL_PATH,
    bodyLimit({
      maxSize: MAX_INBOUND_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `inbound mail is limited to ${MAX_INBOUND_BYTES / 1024 / 1024} MiB`, undefined, { connection: "close" });
      },
    }),
  );

  return app.openapi(receive, async (c) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    const at = services.now();
    let mail: InboundMail | null = null;
    const refuse = async (reason: DeadLetterReason, message: string): Promise<never> => {
      const deadLetterId = await keepDeadLetter(services.db, { reason, detail: message, raw, mail, at });
      services.log(`inbound email refused (${reason}), kept as dead letter ${deadLetterId}`);
      throw new ApiError(refusalCode[reason], message, { reason, deadLetterId });
    };

    try {
      mail = await parseInboundMail(raw);
    } catch (error) {
      return refuse("unparseable", `the mail could not be parsed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!mail.from) return refuse("no_sender", "the mail has no From address");
    if (mail.automatic) return refuse("automatic_reply", "automatic replies (out of office, bounces, lists) are not added to tickets");
    const messageKey = mail.messageId ?? createHash("sha256").update(raw).digest("hex");

    const replyAddresses = mail.recipients.filter((address) => signer.isReplyAddress(address));
    if (replyAddresses.length > 0) {
      const checks = replyAddresses.map((address) => signer.verifyReplyAddress(address, mail!.from!, at));
      const valid = checks.find((check) => check.ok);
      if (!valid) {
        return checks.some((check) => !check.ok && check.reason === "expired")
          ? refuse("expired_reply_address", "this reply address has expired; write to us from the conversation instead")
          : refuse("forged_reply_address", "the reply address is not one we issued to this sender");
      }
      if (!mail.reply) return refuse("empty_reply", "nothing is left of the mail once the quoted history is removed");
      const outcome = await postCustomerEmailReply(services, {
        ticketNumber: valid.ticketNumber,
        sender: mail.from,
        senderName: mail.fromName,
        body: mail.reply,
        messageKey,
      });
      if (!outcome.ok) {
        return outcome.reason === "unknown_ticket"
          ? refuse("unknown_ticket", `ticket ${valid.ticketNumber} does not exist`)
          : refuse("ticket_closed", `ticket ${valid.ticketNumber} is closed; write to us again to open a new one`);
      }
      const receipt = { number: outcome.ticket.number, startedTicket: false, seq: outcome.message.seq, duplicate: !outcome.created };
      return outcome.created ? c.json(receipt, 201) : c.json(receipt, 200);
    }

    const siteKey = mail.recipients.map((address) => signer.siteKeyOf(address)).find((key) => key !== null);
    if (!siteKey) return refuse("no_known_address", `the mail is addressed to neither a reply address nor support+<site key>@${signer.domain}`);
    const site = await services.db.orm.query.sites.findFirst({ where: eq(sites.publicKey, siteKey), columns: { id: true } });
    if (!site) return refuse("unknown_site", `no site has the key ${siteKey}`);
    if (!mail.reply) return refuse("empty_reply", "the mail has no text");
    const { ticket, created } = await startTicketFromEmail(services, {
      siteId: site.id,
      sender: mail.from,
      senderName: mail.fromName,
      subject: mail.subject,
      body: mail.reply,
      messageKey,
    });
    const receipt = { number: ticket.number, startedTicket: true, seq: null, duplicate: !created };
    return created ? c.json(receipt, 201) : c.json(receipt, 200);
  });
}
