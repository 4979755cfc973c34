import { spawn, type ChildProcess } from "node:child_process";
import type { DeliveryReceiver } from "./delivery-receiver.js";

/**
 * The crash test of the outbox, as a reusable piece: run a system under write load, `kill -9`
 * it while commits are still waiting for delivery, restart it, several times; then let a last
 * incarnation run without load and prove that every committed change reached the receiver at
 * least once, and that the receiver (deduping by key) processed each exactly once.
 *
 * It knows nothing of what the system is. Today the subject is `test/support/outbox-server.ts`
 * (writes through `writeOutbox` itself); once the commands are behind the routes the subject is
 * the API (a child on the same database file, started as ONE process — `node --import tsx
 * server/runtime/node.ts`, not the `tsx` wrapper, whose SIGKILL leaves the server running — a webhook endpoint pointing at the
 * receiver, `keyOf` reading `webhook-id`), `loaded` posts messages over HTTP from the test and
 * resolves after N of them were acknowledged, and `committed` lists `msg_<outbox id>` for the
 * webhook rows of the outbox table.
 */
export interface CrashSubject {
  /** Starts incarnation `round` (the last one gets `final: true` and no load). */
  start(round: number, final: boolean): Promise<ChildProcess>;
  /** Resolves when the running incarnation has committed enough that a kill now is mid-flight. */
  loaded(child: ChildProcess, round: number): Promise<void>;
  /** Keys of every change committed so far (read from the database: committed is what is there). */
  committed(): Promise<string[]>;
  /** Committed but not yet marked delivered, right after a kill: proof that it hit between the two. */
  undelivered(): Promise<number>;
}

export interface CrashReport {
  kills: number;
  /** Per kill, how many committed entries were still undelivered. */
  undeliveredAtKill: number[];
  committed: number;
  /** Committed keys the receiver never processed (must be empty). */
  missing: string[];
  /** Keys processed more than once (must be empty: the receiver dedupes). */
  processedTwice: string[];
  /** Deliveries beyond the first per key: at-least-once at work. */
  redeliveries: number;
}

export async function runCrashTrial(subject: CrashSubject, receiver: DeliveryReceiver, options: { kills: number; processed: (key: string) => number }): Promise<CrashReport> {
  const undeliveredAtKill: number[] = [];
  for (let round = 0; round < options.kills; round++) {
    const child = await subject.start(round, false);
    await subject.loaded(child, round);
    await kill9(child);
    undeliveredAtKill.push(await subject.undelivered());
  }
  const last = await subject.start(options.kills, true);
  const keys = await subject.committed();
  await receiver.until(keys);
  await stopGracefully(last);
  const missing = keys.filter((key) => !receiver.counts.has(key));
  const processedTwice = keys.filter((key) => options.processed(key) > 1);
  const redeliveries = [...receiver.counts.values()].reduce((sum, n) => sum + n - 1, 0);
  return { kills: options.kills, undeliveredAtKill, committed: keys.length, missing, processedTwice, redeliveries };
}

export function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  return exited;
}

export function stopGracefully(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  return exited;
}

const root = new URL("../..", import.meta.url).pathname;

export interface OutboxServerProcess {
  child: ChildProcess;
  /** Resolves when the child printed `wrote <n>` for some n >= `count` (or `written`). */
  wrote(count: number): Promise<void>;
  /** Resolves when it printed `written`. */
  written(): Promise<void>;
  output(): string;
}

/** Starts `test/support/outbox-server.ts` and waits for `ready`. */
export async function startOutboxServer(env: Record<string, string>): Promise<OutboxServerProcess> {
  // One process, not the `tsx` wrapper: SIGKILL to a wrapper leaves its node child running.
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/outbox-server.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let wrote = 0;
  let done = false;
  let waiters: { ready: () => boolean; resolve: () => void }[] = [];
  const check = () => (waiters = waiters.filter((w) => (w.ready() ? (w.resolve(), false) : true)));
  const failed = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => {
      if (signal !== "SIGKILL" && signal !== "SIGTERM" && code !== 0) reject(new Error(`outbox server exited (${code ?? signal}):\n${output}`));
    }),
  );
  failed.catch(() => undefined); // surfaced through the waits below
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    for (const match of text.matchAll(/^wrote (\d+)$/gm)) wrote = Math.max(wrote, Number(match[1]));
    if (/^written$/m.test(text)) done = true;
    check();
  });
  const waitFor = (ready: () => boolean) => Promise.race([failed, ready() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ ready, resolve }))]);
  await waitFor(() => output.includes("ready\n"));
  return { child, wrote: (count) => waitFor(() => wrote >= count || done), written: () => waitFor(() => done), output: () => output };
}
