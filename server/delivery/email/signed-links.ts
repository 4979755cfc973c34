import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Everything an email carries that must come back to us unforged: links (conversation,
 * rating, unsubscribe) and the reply address. Each purpose signs with its own key derived
 * from the server secret, so a token minted for one purpose never passes for another, and
 * nothing secret is ever stored in the outbox (links are signed when the email is rendered).
 */
export type LinkPurpose = "conversation" | "rating" | "unsubscribe";

/** What a link names: a ticket and its customer's address, or (unsubscribe) a site and an address. */
export interface LinkSubject {
  /** Ticket number for conversation and rating links; site id for unsubscribe links. */
  ref: string;
  /** The recipient's address, lower-cased. */
  to: string;
}

export type ReplyAddressCheck =
  | { ok: true; ticketNumber: string }
  | { ok: false; reason: "forged" | "expired" };

const DAY_MS = 86_400_000;
/** How long each kind of link keeps working after the email is sent. */
export const LINK_LIFETIME_DAYS: Record<LinkPurpose, number> = { conversation: 30, rating: 30, unsubscribe: 365 };
/** Replies to an email older than this are refused (and dead-lettered): the address has expired. */
export const REPLY_LIFETIME_DAYS = 180;

/** `reply+tkt-2026-000123.<expiry day, base 36>.<80-bit signature, hex>@domain`: under the 64-character local-part limit, and case-insensitive because MTAs may lower-case it. */
const REPLY_LOCAL = /^reply\+(tkt-\d{4}-\d{6,})\.([0-9a-z]{1,8})\.([0-9a-f]{20})$/i;
/** Site keys are case-sensitive (base62), so the key keeps the case it arrived in. */
const SITE_LOCAL = /^support\+(pk_[A-Za-z0-9_-]{1,64})$/i;

const base64url = (data: string) => Buffer.from(data, "utf8").toString("base64url");
const fromBase64url = (data: string) => Buffer.from(data, "base64url").toString("utf8");

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `Name <a@b>` or `a@b` → `a@b`. */
export function addressOf(mailbox: string): string {
  const match = /<([^<>]+)>\s*$/.exec(mailbox);
  return (match ? match[1]! : mailbox).trim();
}

export const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();

export class EmailSigner {
  private readonly keys: Record<LinkPurpose | "reply", Buffer>;

  /**
   * @param secret the server secret (PARLEY_SECRET or the generated one)
   * @param domain where reply and inbound addresses live (the From's domain)
   */
  constructor(
    secret: string,
    readonly domain: string,
  ) {
    const derive = (purpose: string) => createHmac("sha256", secret).update(`parley email ${purpose}`).digest();
    this.keys = { conversation: derive("conversation"), rating: derive("rating"), unsubscribe: derive("unsubscribe"), reply: derive("reply") };
  }

  private mac(key: keyof EmailSigner["keys"], text: string) {
    return createHmac("sha256", this.keys[key]).update(text).digest();
  }

  /** A URL-safe token: base64url(JSON) `.` base64url(HMAC). */
  linkToken(purpose: LinkPurpose, subject: LinkSubject, now: number): string {
    const body = base64url(JSON.stringify({ r: subject.ref, t: subject.to.toLowerCase(), x: Math.floor((now + LINK_LIFETIME_DAYS[purpose] * DAY_MS) / 1000) }));
    return `${body}.${this.mac(purpose, body).toString("base64url")}`;
  }

  /** The subject of a token of this purpose, or why it is refused. */
  verifyLink(purpose: LinkPurpose, token: string, now: number): { ok: true; subject: LinkSubject } | { ok: false; reason: "forged" | "expired" } {
    const [body, signature, extra] = token.split(".");
    if (!body || !signature || extra !== undefined) return { ok: false, reason: "forged" };
    if (!sameDigest(signature, this.mac(purpose, body).toString("base64url"))) return { ok: false, reason: "forged" };
    let claims: unknown;
    try {
      claims = JSON.parse(fromBase64url(body));
    } catch {
      return { ok: false, reason: "forged" }; // signed by us yet unreadable cannot happen; treat as forged all the same
    }
    const { r, t, x } = (claims ?? {}) as { r?: unknown; t?: unknown; x?: unknown };
    if (typeof r !== "string" || typeof t !== "string" || typeof x !== "number") return { ok: false, reason: "forged" };
    if (x * 1000 < now) return { ok: false, reason: "expired" };
    return { ok: true, subject: { ref: r, to: t } };
  }

  private replySignature(ticketNumber: string, expiryDay: string, recipient: string) {
    return this.mac("reply", `${ticketNumber.toUpperCase()}\n${expiryDay}\n${recipient.toLowerCase()}`).subarray(0, 10).toString("hex");
  }

  /** The Reply-To of a customer email: only `recipient` replying to it reaches the ticket. */
  replyAddress(ticketNumber: string, recipient: string, now: number): string {
    const expiryDay = Math.floor(now / DAY_MS + REPLY_LIFETIME_DAYS).toString(36);
    return `reply+${ticketNumber.toLowerCase()}.${expiryDay}.${this.replySignature(ticketNumber, expiryDay, recipient)}@${this.domain}`;
  }

  /** Whether `address` is one of our reply addresses at all (signed or not). */
  isReplyAddress(address: string): boolean {
    const at = address.lastIndexOf("@");
    return at > 0 && domainOf(address) === this.domain && /^reply\+/i.test(address.slice(0, at));
  }

  /** Checks a reply address against the mail's sender: forged, expired, or sent by someone else. */
  verifyReplyAddress(address: string, sender: string, now: number): ReplyAddressCheck {
    const at = address.lastIndexOf("@");
    const match = at > 0 && domainOf(address) === this.domain ? REPLY_LOCAL.exec(address.slice(0, at)) : null;
    if (!match) return { ok: false, reason: "forged" };
    const [, number, expiryDay, signature] = match as unknown as [string, string, string, string];
    // The signature covers the sender: a forwarded reply from someone else fails exactly like a forgery.
    if (!sameDigest(signature.toLowerCase(), this.replySignature(number, expiryDay.toLowerCase(), sender))) {
      return { ok: false, reason: "forged" };
    }
    if (parseInt(expiryDay, 36) * DAY_MS < now) return { ok: false, reason: "expired" };
    return { ok: true, ticketNumber: number.toUpperCase() };
  }

  /** `support+<site key>@domain`: mail to it without a reply address starts a ticket on that site. */
  siteAddress(siteKey: string): string {
    return `support+${siteKey}@${this.domain}`;
  }

  /** The site key named by an inbound site address, or null. */
  siteKeyOf(address: string): string | null {
    const at = address.lastIndexOf("@");
    if (at <= 0 || domainOf(address) !== this.domain) return null;
    return SITE_LOCAL.exec(address.slice(0, at))?.[1] ?? null;
  }
}
