import { z } from "zod";
import { IdSchema } from "./common.js";
import { AgentTicketSchema } from "./ticket.js";

/**
 * `POST /v1/agent/tickets/{number}/route`: what routing did with the ticket. With no candidate
 * it stays unassigned (`assigneeId` null, `reason` why) and the site's team is told
 * (`ticket.unrouted` on the site room and to webhooks).
 */
export const RoutingResultSchema = z.object({
  ticket: AgentTicketSchema,
  assigneeId: IdSchema.nullable(),
  reason: z.string().nullable(),
});
export type RoutingResult = z.infer<typeof RoutingResultSchema>;
