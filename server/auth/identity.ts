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

/** What a host site computes on its server: hex HMAC-SHA256 of the user id with the site's identity secret. */
export async function identityHash(secret: string, externalId: string): Promise<string> {
  const bytes = await hmacSha256(secret, externalId);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function verifyIdentityHash(secret: string, externalId: string, hash: string): Promise<boolean> {
  return timingSafeEqual(await hmacSha256(secret, externalId), hexToBytes(hash.toLowerCase()));
}
