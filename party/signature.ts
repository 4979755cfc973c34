import { NOTIFY_NONCE_PATTERN, notifySigningInput } from "../protocol/realtime-signing.js";
import { hexBytes, verifyHmac } from "./hmac.js";

/**
 * The API's notify calls carry `X-Parley-Signature: t=<unix s>,n=<nonce>,v1=<hex HMAC-SHA256>`,
 * keyed with the room secret, over `notifySigningInput`: the timestamp, the nonce, the party,
 * the room and the raw body. Binding the room means a call signed for one room is refused by
 * every other; the timestamp bounds replays and the nonce (remembered by the room for the
 * window) refuses them within it.
 */
export const SIGNATURE_HEADER = "x-parley-signature";
/** How far a signature's timestamp may be from the room's clock, either way. */
export const SIGNATURE_TOLERANCE_S = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export async function verifyNotifySignature(
  header: string | null,
  target: { party: string; room: string; rawBody: string },
  secret: string,
  nowS: number,
  nonces: SeenNonces,
): Promise<SignatureCheck> {
  if (!header) return { ok: false, reason: `${SIGNATURE_HEADER} header missing` };
  const fields = header.split(",").map((field) => field.trim().split("="));
  const t = fields.find(([key]) => key === "t")?.[1];
  const nonce = fields.find(([key]) => key === "n")?.[1];
  const macs = fields.filter(([key]) => key === "v1").map(([, value]) => value ?? "");
  if (!t || !/^\d{1,12}$/.test(t) || !nonce || !NOTIFY_NONCE_PATTERN.test(nonce) || macs.length === 0) {
    return { ok: false, reason: `${SIGNATURE_HEADER} must look like t=<unix seconds>,n=<nonce>,v1=<hex>` };
  }
  if (Math.abs(nowS - Number(t)) > SIGNATURE_TOLERANCE_S) {
    return { ok: false, reason: "signature timestamp is outside the allowed window" };
  }
  const input = notifySigningInput({ t, nonce, party: target.party, room: target.room, body: target.rawBody });
  for (const mac of macs) {
    const bytes = hexBytes(mac);
    if (bytes?.length === 32 && (await verifyHmac(secret, bytes, input))) {
      // Spent only once the signature is genuine, so nobody can burn the API's nonces.
      if (!nonces.spend(nonce, Number(t), nowS)) return { ok: false, reason: "notification nonce already used" };
      return { ok: true };
    }
  }
  return { ok: false, reason: "signature does not match" };
}

/**
 * The nonces of the notifications a room accepted, kept while their timestamp is still inside
 * the window (after that the timestamp check refuses a replay anyway). Room-local memory: a
 * room that is evicted forgets them, and has no members left to replay a frame to.
 */
export class SeenNonces {
  /** nonce → the unix second after which its signature is refused by the timestamp check. */
  readonly #seen = new Map<string, number>();

  /** True on a nonce's first use inside the window; false on a replay. */
  spend(nonce: string, t: number, nowS: number): boolean {
    this.#forgetExpired(nowS);
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, t + SIGNATURE_TOLERANCE_S);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  #forgetExpired(nowS: number): void {
    // Entries arrive in roughly timestamp order: drop from the oldest until one is still live.
    for (const [nonce, until] of this.#seen) {
      if (until >= nowS) break;
      this.#seen.delete(nonce);
    }
  }
}
