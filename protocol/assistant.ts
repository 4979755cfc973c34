import { z } from "zod";
import { CursorQuerySchema, IdSchema, IsoDateSchema, TicketNumberSchema } from "./common.js";
import { ClientIdSchema } from "./ticket.js";

/** Longest question the assistant reads. */
export const MAX_ASSISTANT_QUESTION = 2000;

export const AssistantQueryBodySchema = z.object({
  question: z.string().trim().min(1).max(MAX_ASSISTANT_QUESTION),
  /** The visitor's own ticket: the question and the answer join its conversation. */
  ticket: TicketNumberSchema.optional(),
  /** With `ticket`: the client's id for the question's message (as on a message send), so a retry posts it once. */
  clientId: ClientIdSchema.optional(),
});
export type AssistantQueryBody = z.infer<typeof AssistantQueryBodySchema>;

export const CitationSchema = z.object({ slug: z.string(), title: z.string(), url: z.string() });
export type Citation = z.infer<typeof CitationSchema>;

export const AssistantAnswerSchema = z.object({
  answer: z.string(),
  citations: z.array(CitationSchema),
  /** 0–1. */
  confidence: z.number().min(0).max(1),
  /** True when a person should answer (the ticket, if any, now waits for the team). */
  handoff: z.boolean(),
});
export type AssistantAnswer = z.infer<typeof AssistantAnswerSchema>;

export const AssistantInteractionSchema = z.object({
  id: IdSchema,
  siteId: IdSchema,
  ticketId: IdSchema.nullable(),
  visitorId: IdSchema.nullable(),
  provider: z.string(),
  model: z.string(),
  prompt: z.string(),
  response: z.string(),
  citations: z.array(CitationSchema),
  latencyMs: z.number().int(),
  confidence: z.number(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  handoff: z.boolean(),
  error: z.string().nullable(),
  createdAt: IsoDateSchema,
});
export type AssistantInteraction = z.infer<typeof AssistantInteractionSchema>;

export const AssistantInteractionListQuerySchema = CursorQuerySchema.extend({ siteId: IdSchema });

/** One site's AI usage on one UTC day, as the ai-usage job last judged it. */
export const AssistantUsageDaySchema = z.object({
  day: z.string(),
  interactions: z.number().int(),
  tokens: z.number().int(),
  /** Mean tokens a day over the seven days before. */
  trailingMean: z.number(),
  /** Over three times the trailing mean. */
  anomaly: z.boolean(),
  computedAt: IsoDateSchema,
});
export type AssistantUsageDay = z.infer<typeof AssistantUsageDaySchema>;

export const AssistantUsageQuerySchema = z.object({ siteId: IdSchema, limit: z.coerce.number().int().min(1).max(400).default(31) });

/** What the inbox suggests for a ticket: never sent on its own, the agent edits the draft first. */
export const AgentAssistSchema = z.object({
  articles: z.array(CitationSchema.extend({ snippet: z.string() })),
  suggestedReply: z.string().nullable(),
});
export type AgentAssist = z.infer<typeof AgentAssistSchema>;
