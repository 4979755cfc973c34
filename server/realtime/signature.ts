import { createHmac, randomBytes } from "node:crypto";
import { notifySigningInput } from "../../protocol/realtime-signing.js";

/**
 * The `X-Parley-Signature` header of a notify call: `t=<unix s>,n=<nonce>,v1=<hex HMAC-SHA256>`
 * over the timestamp, the nonce, the party, the room and the body. The room refuses a call
 * signed for another room, an old timestamp, and a nonce it has already accepted.
 * node:crypto (also in Bun and Deno) signs in microseconds; WebCrypto imported a key per call.
 */
export function signNotify(secret: string, target: { party: string; room: string; body: string }, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  const nonce = randomBytes(16).toString("hex");
  const mac = createHmac("sha256", secret).update(notifySigningInput({ t, nonce, ...target })).digest("hex");
  return `t=${t},n=${nonce},v1=${mac}`;
}
