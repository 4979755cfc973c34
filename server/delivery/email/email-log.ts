import { sql } from "drizzle-orm";
import type { Database, Reader } from "../../db/client.js";
import { toOutboxRecord, type OutboxRecord, type OutboxRow } from "../../db/outbox.js";
import type { OutboxStatus } from "../../db/schema.js";
import type { EmailNotice } from "../../domain/notification-rules.js";
import { latestDeliveries, outboxEntry, redeliver, type DeliveryRecord, type RedeliverResult } from "../delivery-log.js";
import { EmailNoticeSchema } from "./email-channel.js";

/**
 * The email channel's view of the outbox (server/delivery/delivery-log.ts) for the admins:
 * every email as one entry (recipient, template, where it stands, its last attempt), and
 * redelivery, which puts the same entry back in line (same Message-ID, so a mail client that
 * already has it shows it once). Nothing here sends anything or writes the log itself.
 */
export interface EmailLogEntry extends OutboxRecord {
  /** The stored notice, or null for a payload this server cannot read (rows outlive code). */
  notice: EmailNotice | null;
  lastAttempt: DeliveryRecord | null;
}

/** Emails newest first; `before` is the previous page's `nextCursor` (an entry id). */
export async function emailLog(
  reader: Reader,
  query: { status?: OutboxStatus | undefined; before?: number | undefined; limit: number },
): Promise<{ items: EmailLogEntry[]; nextCursor: number | null }> {
  // `channel = 'email'` spelled literally: it is what lets SQLite use the partial index outbox_email_idx.
  const rows = await reader.all<OutboxRow>(sql`
    SELECT * FROM outbox WHERE channel = 'email'
      ${query.status === undefined ? sql`` : sql`AND status = ${query.status}`}
      ${query.before === undefined ? sql`` : sql`AND id < ${query.before}`}
    ORDER BY id DESC LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit).map(toOutboxRecord);
  const last = await latestDeliveries(reader, page.map((entry) => entry.id));
  const items = page.map((entry) => ({ ...entry, notice: noticeOf(entry.payloadJson), lastAttempt: last.get(entry.id) ?? null }));
  return { items, nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
}

/** Puts an email back in line (see `redeliver`); `unknown` for an id that is no email. */
export async function redeliverEmail(db: Database, id: number, now: number): Promise<RedeliverResult> {
  const entry = await outboxEntry(db.orm, id);
  // The channel of an entry never changes, so checking it before the write is enough.
  if (!entry || entry.channel !== "email") return { status: "unknown" };
  return redeliver(db, id, now);
}

function noticeOf(payloadJson: string): EmailNotice | null {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch {
    return null;
  }
  const parsed = EmailNoticeSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
