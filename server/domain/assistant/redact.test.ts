import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, passesLuhn, redactPersonalData } from "./redact.js";

/** A Luhn-valid number of `length` digits: random digits and the check digit that completes them. */
const cardNumber = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - 1, maxLength: length - 1 }).map((head) => {
    const body = [1 + (head[0]! % 9), ...head.slice(1)].join("");
    for (let check = 0; check <= 9; check++) if (passesLuhn(body + check)) return body + check;
    throw new Error("no check digit");
  });
const separated = (digits: string, separator: string) => digits.replace(/(\d{4})(?=\d)/g, `$1${separator}`);
const words = fc.array(fc.constantFrom("my", "order", "please", "help", "the", "card", "is", "and", "call", "me", "on"), { maxLength: 6 }).map((list) => list.join(" "));

describe("redactPersonalData", () => {
  it("knows the Luhn check", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
  });

  it("removes any email address, whatever surrounds it", () => {
    fc.assert(
      fc.property(words, fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/), fc.stringMatching(/^[a-z0-9]{1,10}\.(com|org|co\.uk|example)$/), words, (before, local, domain, after) => {
        const address = `${local}@${domain}`;
        const out = redactPersonalData(`${before} ${address} ${after}`);
        expect(out).not.toContain(address);
        expect(out).toContain(REDACTED.email);
      }),
    );
  });

  it("removes every Luhn-valid card number of 13–19 digits, plain or grouped by spaces or dashes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 13, max: 19 }).chain(cardNumber), fc.constantFrom("", " ", "-"), words, words, (card, separator, before, after) => {
        const written = separated(card, separator);
        const out = redactPersonalData(`${before} ${written} ${after}`);
        expect(out).not.toContain(written);
        expect(out.replace(/\D/g, "")).not.toContain(card);
        expect(out).toContain(REDACTED.card);
      }),
    );
  });

  it("removes phone numbers in international and local forms", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{1,2}$/), fc.stringMatching(/^\d{3}$/), fc.stringMatching(/^\d{4}$/), fc.constantFrom(" ", "-"), words, (country, area, line, separator, before) => {
        const phone = `+${country}${separator}${area}${separator}${line}`;
        const out = redactPersonalData(`${before} call ${phone} today`);
        expect(out).not.toContain(phone);
        expect(out).toContain(REDACTED.phone);
      }),
    );
    expect(redactPersonalData("ring 020 7946 0018 after six")).toBe("ring [phone] after six");
  });

  it("keeps text without personal data as it was, short numbers and codes included", () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 0, max: 999_999 }), (text, small) => {
        const input = `${text} error ${small} in TKT-2026-000123 v2.4`;
        expect(redactPersonalData(input)).toBe(input);
      }),
    );
    expect(redactPersonalData("Sync stopped / It shows error 42")).toBe("Sync stopped / It shows error 42");
  });
});
