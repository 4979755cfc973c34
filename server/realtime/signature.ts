import { createHmac } from "node:crypto";

/**
 * The `X-Parley-Signature` header of a notify call: `t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">`.
 * The timestamp inside the signed text stops an old call from being replayed later.
 * node:crypto (also in Bun and Deno) signs in microseconds; WebCrypto imported a key per call.
 */
export function signNotify(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}
