import { hexBytes, verifyHmac } from "./hmac.js";

/**
 * The API's notify calls carry `X-Parley-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">`, keyed with the room secret. The timestamp bounds replays.
 */
export const SIGNATURE_HEADER = "x-parley-signature";
/** How far a signature's timestamp may be from the room's clock, either way. */
export const SIGNATURE_TOLERANCE_S = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export async function verifyNotifySignature(
  header: string | null,
  rawBody: string,
  secret: string,
  nowS: number,
): Promise<SignatureCheck> {
  if (!header) return { ok: false, reason: `${SIGNATURE_HEADER} header missing` };
  const fields = header.split(",").map((field) => field.trim().split("="));
  const t = fields.find(([key]) => key === "t")?.[1];
  const macs = fields.filter(([key]) => key === "v1").map(([, value]) => value ?? "");
  if (!t || !/^\d{1,12}$/.test(t) || macs.length === 0) {
    return { ok: false, reason: `${SIGNATURE_HEADER} must look like t=<unix seconds>,v1=<hex>` };
  }
  if (Math.abs(nowS - Number(t)) > SIGNATURE_TOLERANCE_S) {
    return { ok: false, reason: "signature timestamp is outside the allowed window" };
  }
  for (const mac of macs) {
    const bytes = hexBytes(mac);
    if (bytes?.length === 32 && (await verifyHmac(secret, bytes, `${t}.${rawBody}`))) return { ok: true };
  }
  return { ok: false, reason: "signature does not match" };
}
