import { z } from "zod";
import { CursorQuerySchema, IdSchema, IsoDateSchema } from "./common.js";
import { MessageSchema } from "./message.js";
import { ClientIdSchema } from "./ticket.js";

/**
 * Who a canned response belongs to and who may use it: `site` (every agent working on the
 * site), `team` (the agents of one department) or `personal` (its author alone).
 */
export const CannedScopeSchema = z.enum(["site", "team", "personal"]);
export type CannedScope = z.infer<typeof CannedScopeSchema>;

/** What an agent types to pick it, e.g. `/refund`: unique within its scope (one site, one team, one agent). */
export const CannedShortcutSchema = z
  .string()
  .regex(/^\/[a-z0-9][a-z0-9_-]{0,39}$/, "a shortcut is / and 1–40 lowercase letters, digits, _ or -, e.g. /refund");

/**
 * The text, with placeholders the server fills for a ticket: `{{customer.name}}`,
 * `{{agent.name}}`, `{{ticket.number}}`, `{{ticket.subject}}`; spaces inside the braces are
 * allowed, and `{{customer.name | there}}` gives the text to use when the value is missing.
 * Any other `{{…}}` is refused when the response is saved.
 */
export const CannedBodySchema = z.string().trim().min(1).max(8_000);

export const CannedResponseSchema = z.object({
  id: IdSchema,
  scope: CannedScopeSchema,
  /** The site of a site response, else null. */
  siteId: IdSchema.nullable(),
  /** The department of a team response, else null. */
  departmentId: IdSchema.nullable(),
  /** The author of a personal response, else null. */
  agentId: IdSchema.nullable(),
  shortcut: CannedShortcutSchema,
  title: z.string(),
  body: z.string(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type CannedResponse = z.infer<typeof CannedResponseSchema>;

const cannedFields = {
  shortcut: CannedShortcutSchema,
  title: z.string().trim().min(1).max(200),
  body: CannedBodySchema,
};

/** Where it belongs is chosen once, at creation: a personal response is the caller's own. */
export const CreateCannedResponseBodySchema = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("site"), siteId: IdSchema, ...cannedFields }),
  z.object({ scope: z.literal("team"), departmentId: IdSchema, ...cannedFields }),
  z.object({ scope: z.literal("personal"), ...cannedFields }),
]);
export type CreateCannedResponseBody = z.infer<typeof CreateCannedResponseBodySchema>;

export const UpdateCannedResponseBodySchema = z
  .object(cannedFields)
  .partial()
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: "nothing to change: send shortcut, title or body" });
export type UpdateCannedResponseBody = z.infer<typeof UpdateCannedResponseBodySchema>;

export const CannedResponseListQuerySchema = CursorQuerySchema.extend({
  scope: CannedScopeSchema.optional(),
  /** Shortcuts starting with this, e.g. `/ref` while the agent types. */
  prefix: z.string().trim().min(1).max(41).optional(),
});
export type CannedResponseListQuery = z.infer<typeof CannedResponseListQuerySchema>;

/** Render (the default) or send: sending posts the filled text as the caller's reply, idempotent by clientId. */
export const UseCannedResponseBodySchema = z.union([
  z.object({ send: z.literal(false).optional() }),
  z.object({ send: z.literal(true), clientId: ClientIdSchema, internal: z.boolean().default(false) }),
]);
export type UseCannedResponseBody = z.infer<typeof UseCannedResponseBodySchema>;

export const CannedRenderingSchema = z.object({
  responseId: IdSchema,
  /** The text with every placeholder filled; plain text, never markup. */
  body: z.string(),
  /** The stored message when it was sent, else null. */
  message: MessageSchema.nullable(),
});
export type CannedRendering = z.infer<typeof CannedRenderingSchema>;
