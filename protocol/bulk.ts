import { z } from "zod";
import { ErrorCodeSchema } from "./error.js";
import { IdSchema, TagsSchema, TicketNumberSchema } from "./common.js";
import { TicketPrioritySchema, TicketStatusSchema } from "./enums.js";
import { AgentTicketSchema, EscalateTicketBodySchema } from "./ticket.js";

/** The most tickets one bulk request may name; more is a 400 before anything is changed. */
export const MAX_BULK_TICKETS = 500;

const NumbersSchema = z
  .array(TicketNumberSchema)
  .min(1)
  .max(MAX_BULK_TICKETS, `at most ${MAX_BULK_TICKETS} tickets per request`)
  .describe("Ticket numbers; a number named twice is changed once and answered once, at its first place.");

const NoteSchema = z.string().trim().max(2000).optional();

/**
 * One change for many tickets, told apart by `action`. Each ticket goes through the same
 * command as the single-ticket route of that action, in its own transaction.
 */
export const BulkActionBodySchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("assign"), numbers: NumbersSchema, agentId: IdSchema.nullable().describe("An agent id, or null to unassign.") }),
  z.object({ action: z.literal("status"), numbers: NumbersSchema, status: TicketStatusSchema }),
  z.object({ action: z.literal("priority"), numbers: NumbersSchema, priority: TicketPrioritySchema }),
  z.object({
    action: z.literal("tags"),
    numbers: NumbersSchema,
    /** add: union with the ticket's tags; remove: the ticket's tags without these; set: exactly these. */
    op: z.enum(["add", "remove", "set"]),
    tags: TagsSchema,
  }),
  /** What the single escalate route takes: to a tier (default the next), a department and a named agent, with a reason. */
  z.object({ action: z.literal("escalate"), numbers: NumbersSchema, ...EscalateTicketBodySchema.shape }),
  z.object({ action: z.literal("resolve"), numbers: NumbersSchema, note: NoteSchema.describe("The resolution text, kept on each ticket.") }),
  z.object({ action: z.literal("close"), numbers: NumbersSchema, note: NoteSchema.describe("What each customer is told.") }),
  /** Each unassigned ticket goes to the agent the routing rule picks; with nobody it stays unassigned (still ok, `assigneeId` null). */
  z.object({ action: z.literal("route"), numbers: NumbersSchema }),
]);
export type BulkActionBody = z.infer<typeof BulkActionBodySchema>;
export type BulkAction = BulkActionBody["action"];

/** What happened to one ticket: the updated ticket, or why this one was refused (the others are unaffected). */
export const BulkTicketResultSchema = z.discriminatedUnion("ok", [
  z.object({ number: TicketNumberSchema, ok: z.literal(true), ticket: AgentTicketSchema }),
  z.object({
    number: TicketNumberSchema,
    ok: z.literal(false),
    error: z.object({ code: ErrorCodeSchema, message: z.string() }),
  }),
]);
export type BulkTicketResult = z.infer<typeof BulkTicketResultSchema>;

export const BulkActionResultSchema = z.object({
  /** One per distinct number, in the order the request named them. */
  results: z.array(BulkTicketResultSchema),
  succeeded: z.number().int(),
  failed: z.number().int(),
});
export type BulkActionResult = z.infer<typeof BulkActionResultSchema>;
