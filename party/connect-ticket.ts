import { z } from "zod";
import { RoomClaimsSchema, type RoomClaims } from "../protocol/realtime.js";
import { base64UrlBytes, verifyHmac } from "./hmac.js";

/**
 * Connect tickets: compact HS256 JWTs the API signs with the room secret
 * (POST /v1/realtime/token). The room trusts nothing about a connection but these claims.
 */

const TicketHeaderSchema = z.object({ alg: z.literal("HS256"), typ: z.literal("JWT").optional() });

export type TicketCheck = { ok: true; claims: RoomClaims } | { ok: false; reason: string };

const decoder = new TextDecoder();

function decodeJson(segment: string): unknown {
  const bytes = base64UrlBytes(segment);
  if (!bytes) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined; // not JSON: the schema check below refuses it
  }
}

/** Checks signature, header, claim shape and expiry; room, kind and origin are the caller's. */
export async function verifyConnectTicket(token: string, secret: string, nowS: number): Promise<TicketCheck> {
  const segments = token.split(".");
  if (segments.length !== 3) return { ok: false, reason: "malformed connect ticket" };
  const [header, payload, signature] = segments as [string, string, string];
  const mac = base64UrlBytes(signature);
  if (!mac || !(await verifyHmac(secret, mac, `${header}.${payload}`))) {
    return { ok: false, reason: "connect ticket signature is invalid" };
  }
  if (!TicketHeaderSchema.safeParse(decodeJson(header)).success) {
    return { ok: false, reason: "connect ticket header is not HS256/JWT" };
  }
  const claims = RoomClaimsSchema.safeParse(decodeJson(payload));
  if (!claims.success) return { ok: false, reason: "connect ticket claims are malformed" };
  if (claims.data.exp <= nowS) return { ok: false, reason: "connect ticket expired" };
  return { ok: true, claims: claims.data };
}
