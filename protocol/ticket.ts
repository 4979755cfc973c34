import { z } from "zod";
import { CursorQuerySchema, IdSchema, IsoDateSchema, SlugSchema, TagSchema, TagsSchema, TicketNumberSchema } from "./common.js";
import { SlaStateSchema, TicketPrioritySchema, TicketSourceSchema, TicketStatusSchema } from "./enums.js";

const SubjectSchema = z.string().trim().min(3).max(200);
const DescriptionSchema = z.string().trim().min(1).max(10_000);
export const ClientIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "clientId is 8–64 characters of A–Z, a–z, 0–9, _ and -");

/** What a visitor sees of their own ticket. */
export const TicketSchema = z.object({
  number: TicketNumberSchema,
  subject: z.string(),
  description: z.string(),
  status: TicketStatusSchema,
  priority: TicketPrioritySchema,
  source: TicketSourceSchema,
  category: SlugSchema.nullable(),
  messageCount: z.number().int(),
  lastMessageAt: IsoDateSchema.nullable(),
  unreadCount: z.number().int(),
  /** How far the customer has read (seq). */
  readSeq: z.number().int(),
  /** How far the support team has read (seq): the customer's messages up to it show as read. */
  agentReadSeq: z.number().int(),
  rating: z.number().int().min(1).max(5).nullable(),
  ratingComment: z.string().nullable(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  resolvedAt: IsoDateSchema.nullable(),
  closedAt: IsoDateSchema.nullable(),
  /** When the conversation went from the assistant to the team (asked for, or the assistant could not answer); null while the assistant may still answer. */
  handedOffAt: IsoDateSchema.nullable(),
});
export type Ticket = z.infer<typeof TicketSchema>;

/** What an agent sees: everything the visitor sees plus routing, SLA and the customer. */
export const AgentTicketSchema = TicketSchema.extend({
  id: IdSchema,
  siteId: IdSchema,
  tags: TagsSchema,
  tier: z.number().int(),
  assigneeId: IdSchema.nullable(),
  departmentId: IdSchema.nullable(),
  customer: z.object({
    visitorId: IdSchema.nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    /** The site vouched for the visitor's user id. */
    verified: z.boolean(),
    /** This name / email is the one the site's signature covered, not one the visitor typed or sent alongside. */
    nameVerified: z.boolean(),
    emailVerified: z.boolean(),
    /** The page the ticket was opened from (origin and path), as the visitor's widget or SDK reported it; unchecked. */
    pageUrl: z.string().nullable(),
    /** The visitor's language tag, as reported. */
    locale: z.string().nullable(),
  }),
  /** Due times of the SLA targets (null without a policy); pushed later by the time spent paused. */
  firstResponseDueAt: IsoDateSchema.nullable(),
  resolutionDueAt: IsoDateSchema.nullable(),
  firstResponseAt: IsoDateSchema.nullable(),
  escalatedAt: IsoDateSchema.nullable(),
  /** Where the ticket stands against its SLA when this view was made (see SlaStateSchema). */
  slaState: SlaStateSchema,
  /** The pending target's due time and its 80 % mark; null while paused, finished or without a policy. */
  slaDueAt: IsoDateSchema.nullable(),
  slaWarnAt: IsoDateSchema.nullable(),
  /** Since when the clock stands still (waiting on the customer, or resolved). */
  slaPausedAt: IsoDateSchema.nullable(),
  /** Set once a target was missed, and never cleared: which target(s), and when it was recorded. */
  breached: z.boolean(),
  firstResponseBreachedAt: IsoDateSchema.nullable(),
  resolutionBreachedAt: IsoDateSchema.nullable(),
});
export type AgentTicket = z.infer<typeof AgentTicketSchema>;

export const CreateTicketBodySchema = z.object({
  subject: SubjectSchema,
  description: DescriptionSchema,
  category: SlugSchema.optional(),
  /** A visitor may ask for up to `high`: `urgent` is stored as `high` (the team may raise it). */
  priority: TicketPrioritySchema.optional().describe("Up to `high`; `urgent` from a visitor is stored as `high`."),
  source: z.enum(["widget", "chat", "api"]).optional(),
  clientId: ClientIdSchema.optional(),
  /** From a pre-chat form: how to address and reach an anonymous visitor. A verified identity wins. */
  name: z.string().trim().min(1).max(120).optional(),
  email: z.email().max(254).optional(),
  /** The page the visitor is on; only its origin and path are kept (a query may carry secrets). */
  pageUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  /** The visitor's language, a BCP 47 tag such as `fr-CA`. */
  locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, "a language tag like fr-CA").optional(),
});
export type CreateTicketBody = z.infer<typeof CreateTicketBodySchema>;

export const VisitorTicketListQuerySchema = CursorQuerySchema.extend({
  status: TicketStatusSchema.optional(),
});
export type VisitorTicketListQuery = z.infer<typeof VisitorTicketListQuerySchema>;

export const TicketSortSchema = z.enum(["-created", "created", "-updated", "priority", "due"]);
export type TicketSort = z.infer<typeof TicketSortSchema>;

export const AgentTicketListQuerySchema = CursorQuerySchema.extend({
  status: TicketStatusSchema.optional(),
  priority: TicketPrioritySchema.optional(),
  category: SlugSchema.optional(),
  /** An agent id, `me`, or `none` for the unassigned queue. */
  assignee: z.union([z.literal("me"), z.literal("none"), IdSchema]).optional(),
  department: IdSchema.optional(),
  site: IdSchema.optional(),
  /** Tickets carrying this tag; tags compare case-insensitively (they are stored lowercased). */
  tag: TagSchema.optional(),
  /** Text anywhere in the number, subject, description, customer name or email; case-insensitive. */
  q: z.string().trim().min(1).max(200).optional(),
  /** Tickets in this SLA state now (by the server's clock): `ok`, `at_risk` or `breached`. */
  sla: z.enum(["ok", "at_risk", "breached"]).optional(),
  /** `due`: the pending SLA target first (first response until answered, then resolution); paused and finished tickets last. */
  sort: TicketSortSchema.default("-created"),
});
export type AgentTicketListQuery = z.infer<typeof AgentTicketListQuerySchema>;

export const UpdateTicketBodySchema = z
  .object({
    status: TicketStatusSchema.optional(),
    priority: TicketPrioritySchema.optional(),
    category: SlugSchema.nullable().optional(),
    tags: TagsSchema.optional(),
    departmentId: IdSchema.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "nothing to change: send at least one of status, priority, category, tags, departmentId",
  });
export type UpdateTicketBody = z.infer<typeof UpdateTicketBodySchema>;

export const AssignTicketBodySchema = z.object({ agentId: IdSchema.nullable() });
export type AssignTicketBody = z.infer<typeof AssignTicketBodySchema>;

/**
 * Up to `tier` (default: the next one; never lower than the ticket's), optionally into another
 * department and to a named agent: an active member of the ticket's site whose own tier is at
 * least the ticket's new tier. Named, the agent holds the ticket (still `escalated` until they act).
 */
export const EscalateTicketBodySchema = z.object({
  reason: z.string().trim().min(3).max(1000),
  departmentId: IdSchema.optional(),
  tier: z.number().int().min(1).max(3).optional(),
  agentId: IdSchema.optional(),
});
export type EscalateTicketBody = z.infer<typeof EscalateTicketBodySchema>;

export const ResolveTicketBodySchema = z.object({ note: z.string().trim().max(2000).optional() });
export type ResolveTicketBody = z.infer<typeof ResolveTicketBodySchema>;

/** `note`: what the customer is told as the ticket closes (a message in the conversation, quoted in the closed email). */
export const CloseTicketBodySchema = z.object({
  note: z.string().trim().max(2000).optional().describe("Said to the customer: posted in the conversation as a message and quoted in the closed email"),
});
export type CloseTicketBody = z.infer<typeof CloseTicketBodySchema>;

export const RatingBodySchema = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});
export type RatingBody = z.infer<typeof RatingBodySchema>;

export const ReadMarkBodySchema = z.object({ seq: z.number().int().min(0) });
export type ReadMarkBody = z.infer<typeof ReadMarkBodySchema>;
export const ReadMarkSchema = z.object({ number: TicketNumberSchema, seq: z.number().int(), unreadCount: z.number().int() });
export type ReadMark = z.infer<typeof ReadMarkSchema>;
