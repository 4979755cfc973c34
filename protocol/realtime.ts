import { z } from "zod";
import { IdSchema, TicketNumberSchema } from "./common.js";
import { AgentStatusSchema, SlaTargetSchema, TicketPrioritySchema, TicketStatusSchema } from "./enums.js";
import { MessageSchema } from "./message.js";
import { AgentTicketSchema } from "./ticket.js";

/**
 * The realtime wire protocol. Rooms: `ticket` (one per ticket, id = ticket id) and `site`
 * (one per site, id = site id, agents only). Client → room frames are imperative
 * (`typing.set`); room → client frames are past tense (`message.created`).
 */

export * from "./realtime-limits.js";
export * from "./realtime-signing.js";

export const ParticipantKindSchema = z.enum(["visitor", "agent"]);
export type ParticipantKind = z.infer<typeof ParticipantKindSchema>;

export const ParticipantSchema = z.object({
  /** The visitor or agent id; one person with two tabs appears once. */
  userId: IdSchema,
  kind: ParticipantKindSchema,
  name: z.string().nullable(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

// Client → room

export const TypingSetFrameSchema = z.object({ type: z.literal("typing.set"), typing: z.boolean() });
export const ClientFrameSchema = z.discriminatedUnion("type", [TypingSetFrameSchema]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

// Room → client

/** What a visitor may know of a ticket's state change. */
export const TicketStateSchema = z.object({
  number: TicketNumberSchema,
  status: TicketStatusSchema,
  priority: TicketPrioritySchema,
  updatedAt: z.string(),
});
export type TicketState = z.infer<typeof TicketStateSchema>;

export const ServerFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message.created"), message: MessageSchema }),
  z.object({ type: z.literal("ticket.updated"), ticket: TicketStateSchema }),
  z.object({ type: z.literal("read.updated"), side: z.enum(["customer", "agent"]), seq: z.number().int() }),
  z.object({ type: z.literal("typing.changed"), participant: ParticipantSchema, typing: z.boolean() }),
  z.object({ type: z.literal("presence.changed"), participants: z.array(ParticipantSchema) }),
  /** The assistant's answer so far, while an AI provider writes it; never stored: the bot's message replaces it. */
  z.object({ type: z.literal("assistant.draft"), text: z.string().max(4000) }),
  z.object({ type: z.literal("error"), code: z.enum(["bad_frame", "too_large", "rate_limited"]), message: z.string() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Frames of the site room, for the inbox. */
export const SiteFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ticket.created"), ticket: AgentTicketSchema }),
  z.object({ type: z.literal("ticket.updated"), ticket: AgentTicketSchema }),
  z.object({ type: z.literal("agent.status_changed"), agentId: IdSchema, status: AgentStatusSchema }),
  /** Routing found no agent for this ticket (why in `reason`): it waits unassigned for someone to take it. */
  z.object({ type: z.literal("ticket.unrouted"), number: TicketNumberSchema, reason: z.string() }),
  z.object({ type: z.literal("unread.changed"), number: TicketNumberSchema, unreadCount: z.number().int() }),
  /** The SLA monitor found a ticket past 80 % of its pending target (once per target). */
  z.object({ type: z.literal("sla.warning"), number: TicketNumberSchema, target: SlaTargetSchema, dueAt: z.string() }),
  /**
   * A ticket missed a target (once per target): `toTier` is where the breach escalated it, null
   * when it could go no higher; `tier` is where it stands now (3 tells the admins to look).
   */
  z.object({ type: z.literal("sla.breached"), number: TicketNumberSchema, target: SlaTargetSchema, dueAt: z.string(), toTier: z.number().int().nullable(), tier: z.number().int() }),
  z.object({ type: z.literal("presence.changed"), participants: z.array(ParticipantSchema) }),
  z.object({ type: z.literal("error"), code: z.enum(["bad_frame", "too_large", "rate_limited"]), message: z.string() }),
]);
export type SiteFrame = z.infer<typeof SiteFrameSchema>;

/** Who in a room hears a frame; `visitors` carries the customer's own numbering (visible seqs). */
export const AudienceSchema = z.enum(["everyone", "agents", "visitors"]);
export type Audience = z.infer<typeof AudienceSchema>;

/**
 * A frame the API posts to a room after a commit, signed with the shared room secret.
 * `audience: "agents"` keeps a frame (an internal note) away from visitor connections.
 */
export const RoomFrameNotifySchema = z.object({
  audience: AudienceSchema,
  frame: z.union([ServerFrameSchema, SiteFrameSchema]),
});
export type RoomFrameNotify = z.infer<typeof RoomFrameNotifySchema>;

/**
 * A control notification: the room closes every connection of `userId` (a deactivated agent),
 * whose connect tickets were valid when they joined and so would otherwise keep hearing frames.
 */
export const MemberRevokedNotifySchema = z.object({ type: z.literal("member.revoked"), userId: IdSchema });
export type MemberRevokedNotify = z.infer<typeof MemberRevokedNotifySchema>;

export const RoomNotifySchema = z.union([RoomFrameNotifySchema, MemberRevokedNotifySchema]);
export type RoomNotify = z.infer<typeof RoomNotifySchema>;

/** Claims of a connect ticket. The room trusts nothing else about a connection. */
export const RoomClaimsSchema = z.object({
  party: z.enum(["ticket", "site"]),
  room: IdSchema,
  site: IdSchema,
  sub: IdSchema,
  kind: ParticipantKindSchema,
  name: z.string().nullable(),
  /** The site's allowed browser origins at issue time; the room checks the handshake's Origin. */
  origins: z.array(z.string()),
  jti: z.string().min(8),
  exp: z.number(),
});
export type RoomClaims = z.infer<typeof RoomClaimsSchema>;

export const RealtimeTokenBodySchema = z.union([
  z.object({ ticket: TicketNumberSchema }),
  z.object({ site: IdSchema }),
]);
export type RealtimeTokenBody = z.infer<typeof RealtimeTokenBodySchema>;

export const RealtimeTokenSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  /** e.g. `ws://localhost:1999`; the client connects to `${host}/parties/${party}/${room}`. */
  host: z.string(),
  party: z.enum(["ticket", "site"]),
  room: IdSchema,
});
export type RealtimeToken = z.infer<typeof RealtimeTokenSchema>;
