import type { Database } from "../../db/client.js";
import { inboundDeadLetters } from "../../db/schema.js";
import type { InboundMail } from "./inbound-mail.js";

/** Why an inbound mail was refused; the route answers the matching 4xx. */
export type DeadLetterReason =
  | "unparseable"
  | "no_known_address"
  | "forged_reply_address"
  | "expired_reply_address"
  | "unknown_ticket"
  | "ticket_closed"
  | "unknown_site"
  | "no_sender"
  | "automatic_reply"
  | "empty_reply";

/** Keeps a refused mail byte for byte, with what we could read of it; answers the row id. */
export async function keepDeadLetter(
  db: Database,
  letter: { reason: DeadLetterReason; detail: string; raw: Buffer; mail: InboundMail | null; at: number },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.write((tx) =>
    tx.insert(inboundDeadLetters).values({
      id,
      reason: letter.reason,
      detail: letter.detail,
      sender: letter.mail?.from ?? null,
      recipients: letter.mail?.recipients ?? [],
      subject: letter.mail?.subject ?? null,
      messageId: letter.mail?.messageId ?? null,
      raw: letter.raw,
      size: letter.raw.byteLength,
      receivedAt: letter.at,
    }),
  );
  return id;
}
