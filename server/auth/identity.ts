import { timingSafeEqual } from "./password.js";

const encoder = new TextEncoder();

async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * The exact text a host site signs: the user id alone, or the user id, one line feed (U+000A)
 * and the email exactly as sent (same case, no trimming). Ids never contain control characters
 * and emails never contain a line feed, so no two (id, email) pairs share a text, and no id-only
 * text equals an id-and-email one.
 */
export function identityHashInput(externalId: string, email?: string): string {
  return email === undefined ? externalId : `${externalId}\n${email}`;
}

/** What a host site computes on its server: hex HMAC-SHA256 of `identityHashInput` with the site's identity secret. */
export async function identityHash(secret: string, externalId: string, email?: string): Promise<string> {
  const bytes = await hmacSha256(secret, identityHashInput(externalId, email));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What a hash vouches for: the id and the email sent with it, the id only, or nothing. */
export type IdentityHashCoverage = "id-and-email" | "id" | null;

/**
 * Checks a hash against both inputs a site may have signed. A hash over the id alone still
 * verifies the user, but then an email sent beside it is only what the browser claimed.
 */
export async function verifyIdentityHash(secret: string, identity: { id: string; email?: string | undefined; hash: string }): Promise<IdentityHashCoverage> {
  const given = hexToBytes(identity.hash.toLowerCase());
  // Both are computed every time, so the answer's timing does not say which one matched.
  const [withEmail, idOnly] = await Promise.all([
    identity.email === undefined ? null : hmacSha256(secret, identityHashInput(identity.id, identity.email)),
    hmacSha256(secret, identityHashInput(identity.id)),
  ]);
  const coversEmail = withEmail !== null && timingSafeEqual(withEmail, given);
  const coversId = timingSafeEqual(idOnly, given);
  return coversEmail ? "id-and-email" : coversId ? "id" : null;
}
