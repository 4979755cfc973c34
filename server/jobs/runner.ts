import { eq } from "drizzle-orm";
import type { CommandContext } from "../commands/command.js";
import type { Database } from "../db/client.js";
import { jobLeases } from "../db/schema.js";
import { DomainError } from "../domain/errors.js";
import type { Job, JobRun } from "./job.js";
import { releaseLease, renewLease, takeLease } from "./lease.js";
import { finishRun, startRun, type JobRunRow, type JobTrigger } from "./run-log.js";

/** What asking for a run answers: the finished run, or who holds the job's lease. */
export type RunResult = { outcome: "ran"; run: JobRunRow } | { outcome: "busy"; holder: string; expiresAt: number };

export interface JobRunnerOptions {
  db: Database;
  /** Epoch ms; tests drive it. Leases, conditions and every command's time read it. */
  now: () => number;
  outbox: CommandContext["outbox"];
  log: (message: string, error?: unknown) => void;
  jobs: readonly Job[];
  /** This server's name in leases and run records (several servers share one database). */
  server: string;
  /** How long a lease lasts unless renewed; a run renews it every third of that. */
  leaseMs?: number;
}

export interface JobRunner {
  readonly jobs: readonly Job[];
  readonly server: string;
  /** Runs the job now if its lease is free (here and on every other server). Unknown names are a 404 DomainError. */
  run(name: string, trigger: JobTrigger): Promise<RunResult>;
  /** Lease holder of a job right now (null when free). */
  lease(name: string): Promise<{ holder: string; expiresAt: number } | null>;
  /** Aborts the runs in progress (they stop between items and record what they did) and waits for them; refuses new runs. */
  stop(): Promise<void>;
}

export const DEFAULT_LEASE_MS = 60_000;

/** Why a run stopped early; recorded as its error. */
class RunAborted extends Error {}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, now, log } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const byName = new Map(options.jobs.map((job) => [job.name, job]));
  if (byName.size !== options.jobs.length) throw new Error("two jobs share a name");
  const inFlight = new Map<Promise<unknown>, AbortController>();
  let runs = 0;
  let stopping = false;

  async function execute(job: Job, holder: string, runId: number, startedAt: number, controller: AbortController): Promise<JobRunRow> {
    const tally = { itemsDone: 0, itemsSkipped: 0, itemsFailed: 0 };
    let firstError: string | null = null;
    let renewedAt = startedAt;
    // Set when `each` left items undone because the run was aborted; an abort after the last item changes nothing.
    let cutShort = false;
    const keepLease = async () => {
      if (now() - renewedAt < leaseMs / 3) return;
      renewedAt = now();
      const kept = await db.write((tx) => renewLease(tx, { name: job.name, holder, expiresAt: renewedAt + leaseMs }));
      if (!kept) controller.abort(new RunAborted("the lease lapsed and another server took the job"));
    };
    const run: JobRun = {
      commands: { db, now, outbox: options.outbox },
      orm: db.orm,
      startedAt,
      signal: controller.signal,
      async each(items, act) {
        for await (const item of items) {
          if (!controller.signal.aborted) await keepLease();
          if (controller.signal.aborted) {
            cutShort = true;
            return;
          }
          try {
            const result = await act(item);
            if (result === null) tally.itemsSkipped += 1;
            else tally.itemsDone += 1;
          } catch (error) {
            // Counted and kept on the run (and logged); the other items still get their turn.
            tally.itemsFailed += 1;
            firstError ??= error instanceof Error ? error.message : String(error);
            log(`job ${job.name}: an item failed`, error);
          }
        }
      },
    };
    let failure: string | null = null;
    try {
      await job.run(run);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      log(`job ${job.name} failed`, error);
    }
    if (cutShort) {
      const reason: unknown = controller.signal.reason;
      failure ??= reason instanceof Error ? reason.message : "stopped";
    }
    const error = failure ?? (firstError === null ? null : `${tally.itemsFailed} item(s) failed; first: ${firstError}`);
    const finishedAt = now();
    return db.write(async (tx) => {
      await releaseLease(tx, { name: job.name, holder, now: finishedAt });
      return finishRun(tx, runId, { status: error ? "failed" : "succeeded", finishedAt, ...tally, error });
    });
  }

  return {
    jobs: options.jobs,
    server: options.server,
    async run(name, trigger) {
      const job = byName.get(name);
      if (!job) throw new DomainError("not_found", `no job named ${name}; the jobs are ${[...byName.keys()].join(", ")}`);
      if (stopping) throw new DomainError("unavailable", "this server is stopping and starts no more jobs");
      runs += 1;
      const holder = `${options.server}#${runs}`;
      const startedAt = now();
      // The lease and the run's record in one write: a run nobody recorded never runs.
      const taken = await db.write(async (tx) => {
        const lease = await takeLease(tx, { name, holder, now: startedAt, expiresAt: startedAt + leaseMs });
        return lease.ok ? { ok: true as const, runId: await startRun(tx, { job: name, holder: options.server, trigger, startedAt }) } : lease;
      });
      if (!taken.ok) return { outcome: "busy", holder: taken.holder, expiresAt: taken.expiresAt };
      const controller = new AbortController();
      const running = execute(job, holder, taken.runId, startedAt, controller);
      inFlight.set(running, controller);
      try {
        return { outcome: "ran", run: await running };
      } finally {
        inFlight.delete(running);
      }
    },
    async lease(name) {
      const [row] = await db.orm.select().from(jobLeases).where(eq(jobLeases.name, name));
      return row && row.expiresAt > now() ? { holder: row.holder, expiresAt: row.expiresAt } : null;
    },
    async stop() {
      stopping = true;
      for (const controller of inFlight.values()) controller.abort(new RunAborted("the server stopped during the run"));
      await Promise.allSettled([...inFlight.keys()]);
    },
  };
}
