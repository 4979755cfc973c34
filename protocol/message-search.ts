import { z } from "zod";
import { CursorQuerySchema, IdSchema, IsoDateSchema, TicketNumberSchema } from "./common.js";
import { SenderTypeSchema } from "./enums.js";
import { TextRangeSchema } from "./faq.js";

export const MessageSearchQuerySchema = CursorQuerySchema.extend({ q: z.string().trim().min(1).max(200) });
export type MessageSearchQuery = z.infer<typeof MessageSearchQuerySchema>;

/** A message that matched an agent's search, newest first; internal notes are marked. */
export const MessageHitSchema = z.object({
  ticketId: IdSchema,
  ticketNumber: TicketNumberSchema,
  messageId: IdSchema,
  seq: z.number().int(),
  senderType: SenderTypeSchema,
  internal: z.boolean(),
  createdAt: IsoDateSchema,
  /** Plain text around the match with matched words in `**`. */
  excerpt: z.string(),
  /** The same text without marks, and where the matches sit in it. */
  snippet: z.object({ text: z.string(), matches: z.array(TextRangeSchema) }),
});
export type MessageHit = z.infer<typeof MessageHitSchema>;
