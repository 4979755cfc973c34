import { z } from "zod";
import { IdSchema, IsoDateSchema } from "./common.js";
import { ActorTypeSchema, TicketEventTypeSchema } from "./enums.js";

/** One immutable row of a ticket's history. */
export const TicketEventSchema = z.object({
  id: IdSchema,
  type: TicketEventTypeSchema,
  actorType: ActorTypeSchema,
  actorId: IdSchema.nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: IsoDateSchema,
});
export type TicketEvent = z.infer<typeof TicketEventSchema>;
