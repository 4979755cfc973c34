import type * as Party from "partykit/server";
import { MAX_CONNECTIONS_PER_USER, RoomClaimsSchema, type ParticipantKind, type RoomClaims, type ServerFrame } from "../protocol/realtime.js";
import { verifyConnectTicket } from "./connect-ticket.js";
import { POLICY_VIOLATION } from "./frame-guard.js";
import type { Member, RoomMembers } from "./members.js";
import type { Revocations } from "./revocations.js";
import { missingSecretResponse, nowSeconds, roomSecret } from "./room-secret.js";

/**
 * The handshake check every room runs in its static `onBeforeConnect` (at the edge, before
 * the room exists). The verified claims travel to the room in a header this gate always
 * sets itself, so a client-sent copy never survives.
 */
export const CLAIMS_HEADER = "x-parley-room-claims";
/** The query parameter that carries the connect ticket. Never log it. */
export const TICKET_PARAM = "ticket";

export interface GateRules {
  party: RoomClaims["party"];
  /** Who may join: the site room is for agents only. */
  kinds: readonly ParticipantKind[];
}

function refuse(status: 401 | 403, reason: string): Response {
  return new Response(reason, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export async function admitConnection(
  req: Party.Request,
  lobby: Party.Lobby,
  rules: GateRules,
): Promise<Party.Request | Response> {
  const secret = roomSecret(lobby.env);
  if (!secret) return missingSecretResponse();
  const token = new URL(req.url).searchParams.get(TICKET_PARAM);
  if (!token) return refuse(401, "connect ticket missing");

  const check = await verifyConnectTicket(token, secret, nowSeconds());
  if (!check.ok) return refuse(401, check.reason);
  const { claims } = check;
  if (claims.party !== rules.party || claims.room !== lobby.id) return refuse(401, "connect ticket is for another room");
  if (!rules.kinds.includes(claims.kind)) return refuse(403, `a ${claims.kind} may not join the ${rules.party} room`);
  const origin = req.headers.get("origin");
  if (origin !== null && !claims.origins.includes("*") && !claims.origins.includes(origin)) {
    return refuse(403, "origin not allowed for this site");
  }

  // PartyKit hands onBeforeConnect a mutable copy of the request; `set` replaces any copy
  // of the header the client sent.
  req.headers.set(CLAIMS_HEADER, JSON.stringify(claims));
  return req;
}

/** The claims the gate forwarded, or undefined for a request that did not come through it. */
export function forwardedClaims(request: Party.Request): RoomClaims | undefined {
  const header = request.headers.get(CLAIMS_HEADER);
  if (!header) return undefined;
  try {
    const claims = RoomClaimsSchema.safeParse(JSON.parse(header));
    return claims.success ? claims.data : undefined;
  } catch {
    return undefined; // unparseable: treated like a missing header, the connection is closed
  }
}

/**
 * Remembers spent connect tickets (by `jti`) so each one opens one connection. Kept in memory
 * for a race-free check and in room storage so an evicted room still remembers; entries are
 * dropped once the ticket has expired, since the gate refuses it from then on anyway.
 */
export class SpentTickets {
  readonly #spent = new Map<string, number>();

  constructor(private readonly storage: Party.Storage) {}

  /** True when this is the ticket's first use; false when it was already used. */
  async spend(claims: RoomClaims, nowS: number): Promise<boolean> {
    if (this.#spent.has(claims.jti)) return false;
    this.#spent.set(claims.jti, claims.exp);
    const key = `jti:${claims.jti}`;
    if ((await this.storage.get<number>(key)) !== undefined) return false;
    await this.storage.put(key, claims.exp);
    await this.#forgetExpired(nowS);
    return true;
  }

  async #forgetExpired(nowS: number): Promise<void> {
    for (const [jti, exp] of this.#spent) if (exp <= nowS) this.#spent.delete(jti);
    const stored = await this.storage.list<number>({ prefix: "jti:" });
    const expired = [...stored].filter(([, exp]) => exp <= nowS).map(([key]) => key);
    for (let i = 0; i < expired.length; i += 128) await this.storage.delete(expired.slice(i, i + 128));
  }
}

/**
 * The common part of every room's onConnect: read the claims this gate forwarded, spend the
 * connect ticket, keep the person within their connection cap, and add them to the room.
 * Answers null after closing the connection when a check fails.
 */
export async function seatMember(
  connection: Party.Connection,
  ctx: Party.ConnectionContext,
  spentTickets: SpentTickets,
  members: RoomMembers,
  revocations: Revocations,
): Promise<Member | null> {
  const claims = forwardedClaims(ctx.request);
  if (!claims) {
    connection.close(POLICY_VIOLATION, "not admitted");
    return null;
  }
  if (!(await spentTickets.spend(claims, nowSeconds()))) {
    connection.close(POLICY_VIOLATION, "connect ticket already used");
    return null;
  }
  // What an earlier room of this name was told survives in storage; the check itself comes after the last await.
  await revocations.recall(claims.sub);
  if (revocations.refuses(claims.sub, claims.exp)) {
    connection.close(POLICY_VIOLATION, "access revoked");
    return null;
  }
  // Counted after the last await and right before adding, so concurrent arrivals cannot both slip in.
  // The newcomer is the one refused: closing an older tab instead would make the tabs evict each other in turn.
  if (members.connectionsOf(claims.sub) >= MAX_CONNECTIONS_PER_USER) {
    const reason = `at most ${MAX_CONNECTIONS_PER_USER} connections per person in a room`;
    const refusal: Extract<ServerFrame, { type: "error" }> = { type: "error", code: "rate_limited", message: reason };
    connection.send(JSON.stringify(refusal));
    connection.close(POLICY_VIOLATION, reason);
    return null;
  }
  const member = members.add(connection, { userId: claims.sub, kind: claims.kind, name: claims.name });
  members.announcePresence(member);
  return member;
}
