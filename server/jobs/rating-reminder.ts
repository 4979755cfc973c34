import { eq, isNotNull, isNull, sql } from "drizzle-orm";
import { CLAIMS, remindRating } from "../commands/scheduled-actions.js";
import { sites, tickets } from "../db/schema.js";
import { HOUR_MS } from "../domain/automation.js";
import type { Job } from "./job.js";
import { ticketCandidates } from "./ticket-candidates.js";

/** One email asking for a rating, ratingReminderHours (default 24) after resolution, once per ticket ever. */
export const ratingReminderJob: Job = {
  name: "rating-reminder",
  description: "Emails one rating reminder per ticket, ratingReminderHours (default 24) after it was resolved, unless it was rated or reopened.",
  schedule: "*/15 * * * *",
  run: (run) =>
    run.each(
      ticketCandidates(run.orm, [
        eq(tickets.status, "resolved"),
        isNull(tickets.rating),
        isNotNull(tickets.customerEmail),
        isNotNull(sites.ratingReminderHours),
        sql`${tickets.resolvedAt} <= ${run.startedAt} - ${sites.ratingReminderHours} * ${HOUR_MS}`,
        sql`not exists (select 1 from job_claims c where c.job = ${CLAIMS.ratingReminder} and c.item = ${tickets.id})`,
      ]),
      (ticket) => remindRating(run.commands, ticket),
    ),
};
