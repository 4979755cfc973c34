import type * as Party from "partykit/server";
import type { z } from "zod";
import type { ErrorBody, ErrorCode } from "../protocol/error.js";
import { RoomNotifySchema, type Audience, type ServerFrame, type SiteFrame } from "../protocol/realtime.js";
import type { Member, RoomMembers } from "./members.js";
import type { Revocations } from "./revocations.js";
import { missingSecretResponse, nowSeconds, roomSecret } from "./room-secret.js";
import { SeenNonces, SIGNATURE_HEADER, verifyNotifySignature } from "./signature.js";

/**
 * The API's signed POST to a room after a commit: verify, validate, fan out. Durable state
 * never lives here; a room only relays what the API already stored.
 */

/** Far above any real frame (a message body is at most 10 000 characters). */
const MAX_NOTIFY_BYTES = 256 * 1024;

function failure(status: number, code: ErrorCode, message: string): Response {
  const body: ErrorBody = { error: { code, message } };
  return Response.json(body, { status });
}

export interface NotifyRules<F extends ServerFrame | SiteFrame> {
  /** The frames this party relays; checked on the raw frame, so nothing is stripped. */
  frameSchema: z.ZodType<F>;
  /** Narrows the audience for frames that must never reach visitors whatever the API says. */
  audienceOf?: (frame: F, requested: Audience) => Audience;
}

/** What a room offers the notifications it trusts: its members, and a way to revoke one person. */
export interface NotifiedRoom {
  readonly members: RoomMembers;
  /** Nonces of the signed notifications this room accepted (replays inside the window are refused). */
  readonly notifyNonces: SeenNonces;
  /**
   * Closes every connection of `userId` and clears what they left (at once, before any await),
   * and remembers to refuse their older connect tickets; answers how many were closed.
   */
  revoke(userId: string): Promise<number>;
}

/** The part of a revocation every room shares: remember it, close the sockets, then tell the others who is left. */
export async function revokeMember(members: RoomMembers, revocations: Revocations, userId: string, left: (member: Member) => void = () => undefined): Promise<number> {
  const remembered = revocations.revoke(userId, nowSeconds());
  const removed = members.revoke(userId);
  for (const member of removed) left(member);
  if (removed.length > 0) members.announcePresence();
  await remembered;
  return removed.length;
}

export async function receiveNotify<F extends ServerFrame | SiteFrame>(
  req: Party.Request,
  room: Party.Room,
  target: NotifiedRoom,
  rules: NotifyRules<F>,
): Promise<Response> {
  if (req.method !== "POST") {
    return new Response("rooms accept only signed POST notifications", { status: 405, headers: { allow: "POST" } });
  }
  const secret = roomSecret(room.env);
  if (!secret) return missingSecretResponse();
  if (Number(req.headers.get("content-length") ?? 0) > MAX_NOTIFY_BYTES) {
    return failure(413, "payload_too_large", `notifications may be at most ${MAX_NOTIFY_BYTES} bytes`);
  }
  const rawBody = await req.text();
  if (rawBody.length > MAX_NOTIFY_BYTES) {
    return failure(413, "payload_too_large", `notifications may be at most ${MAX_NOTIFY_BYTES} bytes`);
  }
  const signature = await verifyNotifySignature(
    req.headers.get(SIGNATURE_HEADER),
    { party: room.name, room: room.id, rawBody },
    secret,
    nowSeconds(),
    target.notifyNonces,
  );
  if (!signature.ok) return failure(401, "unauthorized", signature.reason);

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return failure(400, "bad_request", "body is not valid JSON");
  }
  const notify = RoomNotifySchema.safeParse(json);
  if (!notify.success) return failure(400, "validation_failed", notify.error.issues[0]?.message ?? "invalid notification");
  if ("type" in notify.data) return Response.json({ revoked: await target.revoke(notify.data.userId) }, { status: 202 });
  // Parse the raw frame again with this party's schema: the notify union would match a site
  // `ticket.updated` against the ticket room's narrower shape and strip it.
  const frame = rules.frameSchema.safeParse((json as { frame: unknown }).frame);
  if (!frame.success) {
    return failure(400, "validation_failed", `not a ${room.name} room frame: ${frame.error.issues[0]?.message ?? "invalid"}`);
  }

  return Response.json({ delivered: relayFrame(target.members, frame.data, notify.data.audience, rules) }, { status: 202 });
}

/**
 * The fan-out itself, once a notification is trusted: this party's audience rule, then the
 * broadcast. A host that runs the room in the API's own process calls it directly (the frame
 * never left the process that signs notifications); answers how many sockets got it.
 */
export function relayFrame<F extends ServerFrame | SiteFrame>(
  members: RoomMembers,
  frame: F,
  requested: Audience,
  rules: NotifyRules<F>,
): number {
  const audience = rules.audienceOf?.(frame, requested) ?? requested;
  return members.broadcast(frame, (p) => audience === "everyone" || (audience === "agents" ? p.kind === "agent" : p.kind !== "agent"));
}
