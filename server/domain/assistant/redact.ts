/**
 * Removes what identifies a person from text bound for an external AI provider: email
 * addresses, card-like numbers (13–19 digits that pass the Luhn check, spaces or dashes
 * allowed between them) and phone numbers. Runs before anything leaves the server.
 */

export const REDACTED = { email: "[email]", card: "[card]", phone: "[phone]" } as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** Digits with single spaces or dashes between them; the checks below decide what they are. */
const DIGIT_RUN = /\+?\d(?:[ -]?\d){6,}/g;
/** A digit run glued to letters is an identifier (an order code), not a number someone dials. */
const ATTACHED = /[\p{L}\p{N}]/u;

/** True for a number that passes the Luhn checksum (as every payment card number does). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function redactNumber(run: string): string {
  const digits = run.replace(/\D/g, "");
  if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return REDACTED.card;
  // Seven to fifteen digits (E.164's longest) are treated as a phone number.
  if (digits.length >= 7 && digits.length <= 15) return REDACTED.phone;
  return run;
}

export function redactPersonalData(text: string): string {
  const withoutEmails = text.replace(EMAIL, REDACTED.email);
  return withoutEmails.replace(DIGIT_RUN, (run, offset: number, whole: string) => {
    // "TKT-2026-000123": a joiner between letters and the digits still ties them together.
    const joined = /[-_/.]/.test(whole.charAt(offset - 1)) && ATTACHED.test(whole.charAt(offset - 2));
    const before = whole.charAt(offset - 1);
    const after = whole.charAt(offset + run.length);
    if (joined || (before && ATTACHED.test(before)) || (after && ATTACHED.test(after))) return run;
    return redactNumber(run);
  });
}
