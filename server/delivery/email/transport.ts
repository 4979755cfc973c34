import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";

/** One composed email, as the channel hands it over. */
export type MailMessage = Pick<Mail.Options, "from" | "to" | "replyTo" | "subject" | "text" | "html" | "headers" | "messageId" | "references">;

export interface MailTransport {
  /** What `npm start`'s operator is told: where mail goes. */
  readonly description: string;
  /** Resolves with a note for the delivery log once the mail is accepted; rejects otherwise. */
  send(message: MailMessage): Promise<string>;
  close(): void;
}

/** SMTP through nodemailer (one pooled connection reused between mails). */
export function smtpTransport(url: string): MailTransport {
  const parsed = new URL(url);
  const transporter = nodemailer.createTransport({
    host: parsed.hostname,
    port: Number(parsed.port) || (parsed.protocol === "smtps:" ? 465 : 587),
    secure: parsed.protocol === "smtps:",
    ...(parsed.username ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } } : {}),
    pool: true,
    maxConnections: 2,
    // Give up on a stuck server rather than holding the dispatcher; the outbox retries.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    description: `SMTP ${parsed.hostname}:${parsed.port || (parsed.protocol === "smtps:" ? 465 : 587)}`,
    async send(message) {
      const info = await transporter.sendMail(message);
      if (info.rejected.length > 0) throw new Error(`the SMTP server refused ${info.rejected.join(", ")}: ${info.response}`);
      return info.response;
    },
    close: () => transporter.close(),
  };
}

/**
 * The development transport: each mail becomes an `.eml` file (readable only by us: it holds
 * signed links) and one log line says where, so a mail is never dropped without a trace.
 */
export function emlFileTransport(directory: string, log: (message: string) => void): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  let ready: Promise<unknown> | null = null;
  let counter = 0;
  return {
    description: `.eml files in ${directory} (set PARLEY_SMTP_URL to send)`,
    async send(message) {
      ready ??= mkdir(directory, { recursive: true, mode: 0o700 });
      await ready;
      const info = await composer.sendMail(message);
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const file = join(directory, `${stamp}-${process.pid}-${(counter++).toString(36)}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600, flag: "wx" });
      log(`email to ${info.envelope.to.join(", ")} written to ${file} (no PARLEY_SMTP_URL)`);
      return `written to ${file}`;
    },
    close: () => composer.close(),
  };
}
