import { z } from "zod";
import { IdSchema, IsoDateSchema } from "./common.js";
import { SenderTypeSchema } from "./enums.js";
import { ClientIdSchema } from "./ticket.js";

/** Metadata of a file stored elsewhere (the upload itself is not part of this API). */
export const AttachmentSchema = z.object({
  name: z.string().trim().min(1).max(255),
  url: z.url({ protocol: /^https?$/ }).max(2048),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, "a MIME type like image/png").max(100),
  size: z.number().int().min(0).max(25 * 1024 * 1024),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const MessageSchema = z.object({
  id: IdSchema,
  /**
   * The message's place in its ticket. The team numbers every message, notes included; the
   * customer's numbering counts only what they can see (1, 2, 3…), and their paging and
   * read marks use it.
   */
  seq: z.number().int(),
  clientId: z.string().nullable(),
  senderType: SenderTypeSchema,
  senderName: z.string().nullable(),
  body: z.string(),
  internal: z.boolean(),
  attachments: z.array(AttachmentSchema),
  createdAt: IsoDateSchema,
});
export type Message = z.infer<typeof MessageSchema>;

export const MessageBodySchema = z.string().trim().min(1).max(10_000);

export const CreateMessageBodySchema = z.object({
  body: MessageBodySchema,
  clientId: ClientIdSchema,
  attachments: z.array(AttachmentSchema).max(10).optional(),
});
export type CreateMessageBody = z.infer<typeof CreateMessageBodySchema>;

/** Agents may also write internal notes, which customers never see. */
export const CreateAgentMessageBodySchema = CreateMessageBodySchema.extend({
  internal: z.boolean().default(false),
});
export type CreateAgentMessageBody = z.input<typeof CreateAgentMessageBodySchema>;

export const MessageListQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type MessageListQuery = z.infer<typeof MessageListQuerySchema>;

/**
 * The team's paging also reads backwards: with `before`, the `limit` messages just below that
 * seq (in seq order), and `nextCursor` is the seq to pass as `before` for the page older still.
 * A seq above the last (e.g. 2147483647) answers the newest page, so a long conversation
 * opens without reading its start.
 */
export const AgentMessageListQuerySchema = MessageListQuerySchema.extend({
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type AgentMessageListQuery = z.infer<typeof AgentMessageListQuerySchema>;
