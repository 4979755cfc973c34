import type { CommandContext } from "../commands/command.js";
import type { Orm } from "../db/client.js";

/**
 * A scheduled job: a name, a cron expression (UTC unless `timezone` says otherwise) and what
 * one run does. Adding a job is one file that exports one of these, plus its line in
 * all-jobs.ts. A run must be idempotent: every item it changes goes through a command whose
 * own condition (and, where the condition alone cannot tell, a claim: db/job-claims.ts) makes
 * a second run on the same item a no-op, so overlapping runs on two servers change nothing twice.
 *
 * @example
 * export const autoCloseJob: Job = {
 *   name: "auto-close",
 *   description: "Closes tickets resolved for the site's autoCloseDays.",
 *   schedule: "5 * * * *",
 *   run: (run) => run.each(pagesOf((after, limit) => resolvedTickets(run.orm, run.startedAt, after, limit)), (t) => autoClose(run.commands, t)),
 * };
 */
export interface Job {
  /** Lowercase words joined by dashes: the CLI's and the admin route's name for it. */
  name: string;
  /** One sentence for admins. */
  description: string;
  /** A cron expression (5 fields, or 6 with seconds), read by croner. */
  schedule: string;
  /** An IANA zone for the schedule; UTC when unset. */
  timezone?: string;
  run(run: JobRun): Promise<void>;
}

/** What one run of a job works with. */
export interface JobRun {
  /** The commands' context: the database, the clock and the outbox (every change as `system`). */
  commands: CommandContext;
  /** For the job's read queries (candidates); writes go through commands. */
  orm: Orm;
  /** The run's clock reading at its start (epoch ms): the time its conditions are judged at. */
  startedAt: number;
  /** Aborted when the server stops or the lease is lost; `each` checks it between items. */
  signal: AbortSignal;
  /**
   * Runs `act` on every item in turn: an item is done when `act` answers a value, skipped
   * when it answers null (its command found nothing to do: already done, or changed since),
   * failed when it throws (counted, recorded on the run, and the run goes on). Between items
   * it renews the job's lease, and it stops early when the run is aborted.
   */
  each<T>(items: AsyncIterable<T> | Iterable<T>, act: (item: T) => Promise<unknown>): Promise<void>;
}

/** How many candidates a job reads per query. */
export const PAGE_SIZE = 200;

/**
 * The candidates of a query read page by page in `id` order, each page after the last id of
 * the one before: items a run changes drop out of the query, and items it cannot change are
 * passed once, not found again in an endless loop.
 */
export async function* pagesOf<T extends { id: string }>(fetch: (after: string, limit: number) => Promise<T[]>, limit = PAGE_SIZE): AsyncGenerator<T> {
  let after = "";
  for (;;) {
    const page = await fetch(after, limit);
    yield* page;
    if (page.length < limit) return;
    after = page[page.length - 1]!.id;
  }
}
