import { REALTIME_TICKET_TTL_S, type RoomClaims } from "../../protocol/index.js";
import { Hs256 } from "../auth/hs256.js";

/**
 * A connect ticket: a 60-second, single-use JWT that lets one person into one room. Browsers
 * cannot set headers on a WebSocket handshake, so it travels as the `ticket` query parameter;
 * the API bearer tokens never do.
 */
export async function signConnectTicket(secret: string, claims: Omit<RoomClaims, "jti" | "exp">, nowMs: number) {
  const exp = Math.floor(nowMs / 1000) + REALTIME_TICKET_TTL_S;
  const payload: RoomClaims = { ...claims, jti: crypto.randomUUID(), exp };
  return { token: await new Hs256(secret).sign({ ...payload }), expiresAt: new Date(exp * 1000).toISOString() };
}
