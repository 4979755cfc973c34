import { eq, isNotNull, sql } from "drizzle-orm";
import { autoClose } from "../commands/scheduled-actions.js";
import { sites, tickets } from "../db/schema.js";
import { DAY_MS } from "../domain/automation.js";
import type { Job } from "./job.js";
import { ticketCandidates } from "./ticket-candidates.js";

/** Resolved tickets close after their site's autoCloseDays (default 7), with a system message in the conversation. */
export const autoCloseJob: Job = {
  name: "auto-close",
  description: "Closes tickets resolved for longer than their site's autoCloseDays (default 7), with a system message.",
  schedule: "5 * * * *",
  run: (run) =>
    run.each(
      ticketCandidates(run.orm, [
        eq(tickets.status, "resolved"),
        isNotNull(sites.autoCloseDays),
        sql`${tickets.resolvedAt} <= ${run.startedAt} - ${sites.autoCloseDays} * ${DAY_MS}`,
      ]),
      (ticket) => autoClose(run.commands, ticket),
    ),
};
