import { z } from "zod";
import { IsoDateSchema } from "./common.js";

/**
 * `GET /v1/agent/notifications`: the dashboard counts over the caller's sites (all sites for an
 * admin), at `at`. Unfinished = open, in_progress, pending_customer or escalated.
 *
 * The counts move with the site room's frames: the inbox fetches them again whenever it hears
 * `ticket.created`, `ticket.updated`, `unread.changed`, `sla.warning` or `sla.breached` there
 * (every change that can move a count sends one of those; at risk also moves with time alone,
 * and the SLA monitor's `sla.warning` follows within its minute).
 */
export const AgentNotificationsSchema = z.object({
  at: IsoDateSchema,
  counts: z.object({
    /** Status `open`. */
    open: z.number().int(),
    /** Status `in_progress`. */
    inProgress: z.number().int(),
    /** Unfinished and held by nobody. */
    unassigned: z.number().int(),
    /** The clock runs, no target missed, and the pending target's 80 % mark has passed but not its due time (the queue's `sla=at_risk`). */
    atRisk: z.number().int(),
    /** The clock runs and a target was missed: stamped, or the pending one overdue (the queue's `sla=breached`). */
    breached: z.number().int(),
    /** Unfinished tickets held by the caller with a customer message the team has not read. */
    myUnread: z.number().int(),
  }),
});
export type AgentNotifications = z.infer<typeof AgentNotificationsSchema>;
