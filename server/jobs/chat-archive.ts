import { eq, inArray, isNotNull, sql } from "drizzle-orm";
import { CLAIMS, archiveChat } from "../commands/scheduled-actions.js";
import { sites, tickets } from "../db/schema.js";
import { HOUR_MS } from "../domain/automation.js";
import type { Job } from "./job.js";
import { ticketCandidates } from "./ticket-candidates.js";

/** Live chats without a message for chatIdleHours (default 24) end: transcript emailed, resolved ones closed. */
export const chatArchiveJob: Job = {
  name: "chat-archive",
  description: "Ends live chats idle for chatIdleHours (default 24): emails the customer the transcript, closes the resolved ones, keeps the others as tickets.",
  schedule: "*/10 * * * *",
  run: (run) => {
    const activity = sql`coalesce(${tickets.lastMessageAt}, ${tickets.createdAt})`;
    return run.each(
      ticketCandidates(run.orm, [
        // Spelled as the statuses (not `<> 'closed'`) so the status indexes serve it.
        inArray(tickets.status, ["open", "in_progress", "pending_customer", "escalated", "resolved"]),
        eq(tickets.source, "chat"),
        isNotNull(sites.chatIdleHours),
        sql`${activity} <= ${run.startedAt} - ${sites.chatIdleHours} * ${HOUR_MS}`,
        sql`not exists (select 1 from job_claims c where c.job = ${CLAIMS.chatArchive} and c.item = ${tickets.id} and c.claimed_at >= ${activity})`,
      ]),
      (ticket) => archiveChat(run.commands, ticket),
    );
  },
};
