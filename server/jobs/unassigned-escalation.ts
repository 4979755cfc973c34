import { eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { CLAIMS, escalateUnattended } from "../commands/scheduled-actions.js";
import { sites, tickets } from "../db/schema.js";
import { HOUR_MS } from "../domain/automation.js";
import { MAX_TIER } from "../domain/escalation.js";
import type { Job } from "./job.js";
import { ticketCandidates } from "./ticket-candidates.js";

/** Tickets open and unassigned since creation for unassignedEscalationHours (default 48) go up one tier, with the reason. */
export const unassignedEscalationJob: Job = {
  name: "unassigned-escalation",
  description: "Escalates tickets still open and unassigned unassignedEscalationHours (default 48) after creation to the next tier, once.",
  schedule: "*/15 * * * *",
  run: (run) =>
    run.each(
      ticketCandidates(run.orm, [
        eq(tickets.status, "open"),
        isNull(tickets.assigneeId),
        lt(tickets.tier, MAX_TIER),
        isNotNull(sites.unassignedEscalationHours),
        sql`${tickets.createdAt} <= ${run.startedAt} - ${sites.unassignedEscalationHours} * ${HOUR_MS}`,
        sql`not exists (select 1 from job_claims c where c.job = ${CLAIMS.unassignedEscalation} and c.item = ${tickets.id})`,
      ]),
      (ticket) => escalateUnattended(run.commands, ticket),
    ),
};
