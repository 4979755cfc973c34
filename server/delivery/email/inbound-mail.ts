import type { AddressObject } from "mailparser";
import { stripQuotedReply } from "../../domain/email-quotes.js";

/** What we use of an inbound mail; the raw bytes stay with the caller (for the dead-letter table). */
export interface InboundMail {
  /** The sender's address, lower-cased, or null when the mail names none. */
  from: string | null;
  fromName: string | null;
  /** Every address it was sent to: To, Cc, Delivered-To, X-Original-To (lower-cased, unique). */
  recipients: string[];
  subject: string | null;
  messageId: string | null;
  /** The customer's own words: quoted history and signature removed. */
  reply: string;
  /** Sent by a robot (out-of-office, bounce, list): never added to a ticket, lest two robots talk forever. */
  automatic: boolean;
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value.flatMap((mailbox) => [mailbox, ...(mailbox.group ?? [])]));

/** Envelope headers that relays add: one line per recipient, possibly several. */
const ENVELOPE_HEADERS = new Set(["delivered-to", "x-original-to", "envelope-to"]);

/** Judged on the raw header lines: mailparser folds some (List-*) into structured values. */
function isAutomatic(headerLines: readonly { key: string; line: string }[], from: string | null): boolean {
  const value = (name: string) => {
    const line = headerLines.find((header) => header.key === name)?.line;
    return line === undefined ? null : line.slice(line.indexOf(":") + 1).trim().toLowerCase();
  };
  const autoSubmitted = value("auto-submitted");
  if (autoSubmitted !== null && autoSubmitted !== "no") return true;
  if (["bulk", "junk", "list", "auto_reply"].includes(value("precedence") ?? "")) return true;
  if (["x-autoreply", "x-autorespond", "list-id"].some((name) => value(name) !== null)) return true;
  return from !== null && /^(mailer-daemon|postmaster)@/.test(from);
}

/** Parses raw MIME; rejects only when mailparser cannot read it at all. */
export async function parseInboundMail(raw: Buffer): Promise<InboundMail> {
  // Loaded with the first inbound mail: mailparser and its charset tables are about 10 MB that
  // a server which never receives mail should not hold.
  const { simpleParser } = await import("mailparser");
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const sender = addresses(parsed.from).find((mailbox) => mailbox.address);
  const from = sender?.address?.toLowerCase() ?? null;
  const recipients = new Set<string>();
  for (const mailbox of [...addresses(parsed.to), ...addresses(parsed.cc)]) if (mailbox.address) recipients.add(mailbox.address.toLowerCase());
  for (const { key, line } of parsed.headerLines) {
    if (!ENVELOPE_HEADERS.has(key)) continue;
    const value = line.slice(line.indexOf(":") + 1).trim().replace(/^<|>$/g, "");
    if (value.includes("@")) recipients.add(value.toLowerCase());
  }
  // mailparser turns an HTML-only mail into text itself; `text` is empty only when the mail has no body.
  const text = parsed.text ?? "";
  return {
    from,
    fromName: sender?.name?.trim() || null,
    recipients: [...recipients],
    subject: parsed.subject?.trim() || null,
    messageId: parsed.messageId ?? null,
    reply: stripQuotedReply(text),
    automatic: isAutomatic(parsed.headerLines, from),
  };
}
