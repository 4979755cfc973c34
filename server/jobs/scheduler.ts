import { Cron } from "croner";
import type { JobSummary } from "../../protocol/index.js";
import type { Job } from "./job.js";
import { lastRuns, toJobRun } from "./run-log.js";
import { createJobRunner, type JobRunner, type JobRunnerOptions } from "./runner.js";

/** When a job's schedule fires next after `after` (epoch ms), or null for a schedule that never fires again. */
export function nextRunAt(job: Job, after: number): number | null {
  // A Cron without a callback schedules nothing: it only answers questions about the pattern.
  return new Cron(job.schedule, { timezone: job.timezone ?? "UTC" }).nextRun(new Date(after))?.getTime() ?? null;
}

/**
 * The jobs of one server: a runner (leases, run records) and, once started, a croner timer
 * per job that asks it for a run at each tick. Every server runs the schedule; whoever takes
 * the lease at a tick does the work and the others skip that tick. The runtime entry starts it
 * beside the outbox dispatcher and stops it on shutdown (before the dispatcher, so the entries
 * of a run cut short still go out).
 */
export interface Jobs extends Pick<JobRunner, "jobs" | "run" | "server"> {
  /** Starts the timers (again a no-op once started). */
  start(): void;
  /** Stops the timers, aborts runs in progress between items and waits for them to record what they did. */
  stop(): Promise<void>;
  /** Each job with its schedule, next time, lease and newest runs (GET /v1/admin/jobs, `jobs list`). */
  list(runsPerJob?: number): Promise<JobSummary[]>;
  /** Settles once the runs the timers have started so far are over (tests). */
  idle(): Promise<void>;
}

export function createJobs(options: JobRunnerOptions): Jobs {
  const runner = createJobRunner(options);
  for (const job of options.jobs) nextRunAt(job, options.now()); // an invalid cron expression fails the boot, not a tick
  let timers: Cron[] = [];
  const ticks = new Set<Promise<unknown>>();

  const tick = (job: Job) => {
    const run = runner.run(job.name, "schedule").then(
      (result) => {
        if (result.outcome === "ran" && result.run.status === "failed") options.log(`job ${job.name} run ${result.run.id} failed: ${result.run.error}`);
      },
      (error: unknown) => options.log(`job ${job.name} could not run`, error),
    );
    ticks.add(run);
    void run.finally(() => ticks.delete(run));
    return run;
  };

  return {
    jobs: runner.jobs,
    server: runner.server,
    run: (name, trigger) => runner.run(name, trigger),
    start() {
      if (timers.length > 0) return;
      // protect: a tick that comes while this server's previous run of the job still goes is skipped, not queued.
      timers = options.jobs.map((job) => new Cron(job.schedule, { timezone: job.timezone ?? "UTC", protect: true }, () => tick(job)));
    },
    async stop() {
      for (const timer of timers) timer.stop();
      timers = [];
      await runner.stop();
      await Promise.allSettled([...ticks]);
    },
    async list(runsPerJob = 5) {
      const now = options.now();
      return Promise.all(
        options.jobs.map(async (job): Promise<JobSummary> => {
          const [runs, lease] = await Promise.all([lastRuns(options.db.orm, job.name, runsPerJob), runner.lease(job.name)]);
          const next = nextRunAt(job, now);
          return {
            name: job.name,
            description: job.description,
            schedule: job.schedule,
            timezone: job.timezone ?? "UTC",
            nextRunAt: next === null ? null : new Date(next).toISOString(),
            lease: lease ? { holder: lease.holder, expiresAt: new Date(lease.expiresAt).toISOString() } : null,
            lastRuns: runs.map(toJobRun),
          };
        }),
      );
    },
    async idle() {
      await Promise.allSettled([...ticks]);
    },
  };
}
