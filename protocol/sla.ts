import { z } from "zod";
import { IdSchema, IsoDateSchema, SlugSchema } from "./common.js";
import { TicketPrioritySchema } from "./enums.js";

/** Targets run up to a year of minutes; anything longer is a typo. */
const MinutesSchema = z.number().int().min(1).max(366 * 24 * 60);

/**
 * SLA targets for a priority, a category (any priority) or both; the most specific policy
 * matching a ticket governs it. `businessHours`: the targets run in the site's business
 * calendar (true) or around the clock (false).
 */
export const SlaPolicySchema = z.object({
  id: IdSchema,
  priority: TicketPrioritySchema.nullable(),
  category: SlugSchema.nullable(),
  firstResponseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  businessHours: z.boolean(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

const scopeNamed = (body: { priority?: unknown; category?: unknown }) => (body.priority ?? null) !== null || (body.category ?? null) !== null;
const targetsInOrder = (body: { firstResponseMinutes?: number | undefined; resolutionMinutes?: number | undefined }) =>
  body.firstResponseMinutes === undefined || body.resolutionMinutes === undefined || body.firstResponseMinutes <= body.resolutionMinutes;
const orderMessage = { message: "the first response cannot be due after the resolution", path: ["firstResponseMinutes"] };

export const CreateSlaPolicyBodySchema = z
  .object({
    priority: TicketPrioritySchema.nullable().default(null),
    /** A category slug. */
    category: SlugSchema.nullable().default(null),
    firstResponseMinutes: MinutesSchema,
    resolutionMinutes: MinutesSchema,
    businessHours: z.boolean().default(true),
  })
  .refine(scopeNamed, { message: "name a priority, a category, or both", path: ["priority"] })
  .refine(targetsInOrder, orderMessage);
export type CreateSlaPolicyBody = z.input<typeof CreateSlaPolicyBodySchema>;

/** The scope is the policy's identity: change the targets here, or create another policy. */
export const UpdateSlaPolicyBodySchema = z
  .object({ firstResponseMinutes: MinutesSchema, resolutionMinutes: MinutesSchema, businessHours: z.boolean() })
  .partial()
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: "nothing to change: send firstResponseMinutes, resolutionMinutes or businessHours" })
  .refine(targetsInOrder, orderMessage);
export type UpdateSlaPolicyBody = z.infer<typeof UpdateSlaPolicyBodySchema>;
