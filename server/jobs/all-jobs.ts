import { aiUsageJob } from "./ai-usage.js";
import { autoCloseJob } from "./auto-close.js";
import { chatArchiveJob } from "./chat-archive.js";
import type { Job } from "./job.js";
import { ratingReminderJob } from "./rating-reminder.js";
import { slaMonitorJob } from "./sla-monitor.js";
import { statsRollupJob } from "./stats-rollup.js";
import { unassignedEscalationJob } from "./unassigned-escalation.js";

/** Every scheduled job of the server and the CLI. A new job is one file exporting a Job, and its line here. */
export const allJobs: readonly Job[] = [autoCloseJob, ratingReminderJob, unassignedEscalationJob, chatArchiveJob, slaMonitorJob, statsRollupJob, aiUsageJob];
