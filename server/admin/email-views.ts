import type { EmailDelivery } from "../../protocol/index.js";
import type { EmailLogEntry } from "../delivery/email/email-log.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** One email of the admins' log, as the API answers it. */
export const toEmailDelivery = (entry: EmailLogEntry): EmailDelivery => ({
  id: entry.id,
  to: entry.target,
  audience: entry.notice?.audience ?? null,
  template: entry.notice?.template ?? null,
  eventType: entry.eventType,
  ticketNumber: entry.notice?.ticketNumber ?? null,
  status: entry.status,
  attempts: entry.attempts,
  lastAttempt: entry.lastAttempt && {
    attempt: entry.lastAttempt.attempt,
    outcome: entry.lastAttempt.outcome,
    statusCode: entry.lastAttempt.statusCode,
    error: entry.lastAttempt.error,
    note: entry.lastAttempt.note,
    latencyMs: entry.lastAttempt.latencyMs,
    at: iso(entry.lastAttempt.at),
  },
  lastError: entry.lastError,
  createdAt: iso(entry.createdAt),
  nextAttemptAt: entry.status === "pending" ? iso(entry.nextAttemptAt) : null,
  deliveredAt: entry.deliveredAt === null ? null : iso(entry.deliveredAt),
});
