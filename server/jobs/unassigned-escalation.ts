import { and, asc, eq, gt, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { CLAIMS, escalateUnattended } from "../commands/scheduled-actions.js";
import { sites, tickets } from "../db/schema.js";
import { HOUR_MS } from "../domain/automation.js";
import { MAX_TIER } from "../domain/escalation.js";
import { pagesOf, type Job } from "./job.js";

/** Tickets open and unassigned since creation for unassignedEscalationHours (default 48) go up one tier, with the reason. */
export const unassignedEscalationJob: Job = {
  name: "unassigned-escalation",
  description: "Escalates tickets still open and unassigned unassignedEscalationHours (default 48) after creation to the next tier, once.",
  schedule: "*/15 * * * *",
  run: (run) =>
    run.each(
      pagesOf((after, limit) =>
        run.orm
          .select({ id: tickets.id, number: tickets.number })
          .from(tickets)
          .innerJoin(sites, eq(sites.id, tickets.siteId))
          .where(
            and(
              eq(tickets.status, "open"),
              isNull(tickets.assigneeId),
              lt(tickets.tier, MAX_TIER),
              isNotNull(sites.unassignedEscalationHours),
              sql`${tickets.createdAt} <= ${run.startedAt} - ${sites.unassignedEscalationHours} * ${HOUR_MS}`,
              sql`not exists (select 1 from job_claims c where c.job = ${CLAIMS.unassignedEscalation} and c.item = ${tickets.id})`,
              gt(tickets.id, after),
            ),
          )
          .orderBy(asc(tickets.id))
          .limit(limit),
      ),
      (ticket) => escalateUnattended(run.commands, ticket),
    ),
};
