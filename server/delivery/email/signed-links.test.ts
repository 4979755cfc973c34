import { describe, expect, it } from "vitest";
import { addressOf, EmailSigner, LINK_LIFETIME_DAYS, REPLY_LIFETIME_DAYS } from "./signed-links.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2);
const signer = new EmailSigner("a-server-secret-that-is-long-enough-0123", "parley.test");

describe("reply addresses", () => {
  it("bind the ticket and the recipient, survive lower-casing, and expire", () => {
    const address = signer.replyAddress("TKT-2026-000123", "Jane@Example.com", NOW);
    expect(address).toMatch(/^reply\+tkt-2026-000123\.[0-9a-z]+\.[0-9a-f]{20}@parley\.test$/);
    expect(address.split("@")[0]!.length).toBeLessThanOrEqual(64);
    expect(signer.verifyReplyAddress(address, "jane@example.com", NOW)).toEqual({ ok: true, ticketNumber: "TKT-2026-000123" });
    expect(signer.verifyReplyAddress(address.toUpperCase(), "JANE@EXAMPLE.COM", NOW)).toEqual({ ok: true, ticketNumber: "TKT-2026-000123" });
    expect(signer.verifyReplyAddress(address, "mallory@example.com", NOW)).toEqual({ ok: false, reason: "forged" });
    expect(signer.verifyReplyAddress(address.replace("000123", "000124"), "jane@example.com", NOW)).toEqual({ ok: false, reason: "forged" });
    expect(signer.verifyReplyAddress(address.replace("@parley.test", "@evil.test"), "jane@example.com", NOW)).toEqual({ ok: false, reason: "forged" });
    expect(signer.verifyReplyAddress(address, "jane@example.com", NOW + (REPLY_LIFETIME_DAYS + 1) * DAY)).toEqual({ ok: false, reason: "expired" });
    // Pushing the expiry forward breaks the signature.
    const [local] = address.split("@");
    const [, , sig] = local!.split(".");
    const extended = `reply+tkt-2026-000123.${(Math.floor(NOW / DAY) + 9999).toString(36)}.${sig}@parley.test`;
    expect(signer.verifyReplyAddress(extended, "jane@example.com", NOW)).toEqual({ ok: false, reason: "forged" });
    expect(new EmailSigner("another-secret-that-is-long-enough-012345", "parley.test").verifyReplyAddress(address, "jane@example.com", NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("tells our addresses apart: reply, site inbound (keeping the key's case), other", () => {
    expect(signer.isReplyAddress("REPLY+anything@parley.test")).toBe(true);
    expect(signer.isReplyAddress("reply+x@elsewhere.test")).toBe(false);
    expect(signer.siteKeyOf(signer.siteAddress("pk_AbC123"))).toBe("pk_AbC123");
    expect(signer.siteKeyOf("support+pk_demo@elsewhere.test")).toBeNull();
    expect(signer.siteKeyOf("support@parley.test")).toBeNull();
  });
});

describe("link tokens", () => {
  it("verify for their purpose only, refuse tampering, and expire", () => {
    const token = signer.linkToken("rating", { ref: "TKT-2026-000001", to: "Jane@Example.com" }, NOW);
    expect(signer.verifyLink("rating", token, NOW)).toEqual({ ok: true, subject: { ref: "TKT-2026-000001", to: "jane@example.com" } });
    expect(signer.verifyLink("conversation", token, NOW)).toEqual({ ok: false, reason: "forged" });
    expect(signer.verifyLink("rating", token, NOW + (LINK_LIFETIME_DAYS.rating + 1) * DAY)).toEqual({ ok: false, reason: "expired" });
    const [body, sig] = token.split(".");
    const other = Buffer.from(JSON.stringify({ r: "TKT-2026-000002", t: "jane@example.com", x: 9e9 })).toString("base64url");
    for (const bad of [`${other}.${sig}`, `${body}.`, body!, `${body}.${sig}.x`, "", "...", `${body}.${sig!.slice(0, -1)}${sig!.endsWith("A") ? "B" : "A"}`]) {
      expect(signer.verifyLink("rating", bad, NOW).ok, bad).toBe(false);
    }
  });
});

describe("addressOf", () => {
  it("takes the address out of a mailbox", () => {
    expect([addressOf("Parley Support <support@parley.test>"), addressOf("support@parley.test")]).toEqual(["support@parley.test", "support@parley.test"]);
  });
});
