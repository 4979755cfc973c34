import type { Reader } from "../../db/client.js";
import type { Channel } from "../channel.js";
import { emailChannel } from "./email-channel.js";
import { addressOf, domainOf, EmailSigner } from "./signed-links.js";
import { emlFileTransport, smtpTransport, type MailTransport } from "./transport.js";

/** What the server holds for email: the channel the dispatcher delivers through, and what the email routes check. */
export interface EmailServices {
  channel: Channel;
  transport: MailTransport;
  signer: EmailSigner;
  /** Base of links in emails, without a trailing slash. */
  publicUrl: string;
  /** Bearer secret of POST /v1/inbound/email; null turns inbound email off. */
  inboundSecret: string | null;
}

export interface EmailSettings {
  smtpUrl: string | undefined;
  from: string;
  publicUrl: string;
  inboundSecret: string | undefined;
  /** Where the development transport writes .eml files when there is no SMTP URL. */
  mailDir: string;
}

export function createEmailServices(
  settings: EmailSettings,
  deps: { secret: string; orm: Reader; now: () => number; log: (message: string) => void },
): EmailServices {
  const signer = new EmailSigner(deps.secret, domainOf(addressOf(settings.from)));
  const transport = settings.smtpUrl ? smtpTransport(settings.smtpUrl) : emlFileTransport(settings.mailDir, deps.log);
  const publicUrl = settings.publicUrl.replace(/\/+$/, "");
  return {
    channel: emailChannel({ orm: deps.orm, transport, signer, from: settings.from, publicUrl, now: deps.now }),
    transport,
    signer,
    publicUrl,
    inboundSecret: settings.inboundSecret ?? null,
  };
}
