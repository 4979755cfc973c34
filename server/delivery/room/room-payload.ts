import { z } from "zod";
import { MemberRevokedNotifySchema, RoomNotifySchema, type RoomNotify } from "../../../protocol/index.js";

/**
 * What a room entry stores. Most frames are complete when the command commits (a message, a
 * read mark, a ticket's state) and are stored as the `RoomNotify` itself. The site room's
 * ticket cards are not: they carry the team's unread count and the customer's verified
 * identity, which are read when the frame leaves — as they were before the outbox — so the
 * write transaction stays as short as it was, and nothing is read for a room nobody is in.
 */
export const RoomBuildSchema = z.object({
  audience: z.literal("agents"),
  build: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("agent-ticket"), frameType: z.enum(["ticket.created", "ticket.updated"]), ticketId: z.string().min(1) }),
    z.object({ kind: z.literal("agent-unread"), ticketId: z.string().min(1) }),
  ]),
});
export type RoomBuild = z.infer<typeof RoomBuildSchema>;

export const RoomPayloadSchema = z.union([RoomNotifySchema, RoomBuildSchema]);
export type RoomPayload = RoomNotify | RoomBuild;

export const isRoomBuild = (payload: RoomPayload): payload is RoomBuild => "build" in payload;

/**
 * What one room entry stores: one payload, or the several one event sends the same room (the
 * team's and the customer's copy of a message; a ticket card and its unread count), posted in
 * order. One entry per room and event keeps the outbox row, its settling and its log line
 * to one each, where a message would otherwise cost four.
 */
export const RoomEntryPayloadSchema = z.union([RoomPayloadSchema, z.array(RoomPayloadSchema).min(1)]);
export type RoomEntryPayload = RoomPayload | RoomPayload[];

/** The payloads an entry posts, in order. */
export const partsOf = (payload: RoomEntryPayload): RoomPayload[] => (Array.isArray(payload) ? payload : [payload]);

/**
 * A revocation reaches its room even when nobody is in it: the room remembers it (in its
 * storage) and refuses the person's older connect tickets when it is next made. True when an
 * entry's payload is one, or carries one.
 */
export const isRevocation = (payload: unknown): boolean =>
  Array.isArray(payload) ? payload.some(isRevocation) : MemberRevokedNotifySchema.safeParse(payload).success;
