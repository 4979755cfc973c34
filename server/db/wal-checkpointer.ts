import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Checkpoints a database file's write-ahead log on a worker thread.
 *
 * SQLite copies the WAL back into the database file (a checkpoint) inside whichever commit
 * takes the WAL past `wal_autocheckpoint` pages, and the libSQL driver runs every statement
 * on the calling thread. So once every few hundred writes one request's commit also writes
 * back and syncs the database file, and the event loop stops for milliseconds: every live
 * message, read and socket frame behind it waits. With the connections' own checkpoints off
 * (`PRAGMA wal_autocheckpoint = 0`), this runs `PRAGMA wal_checkpoint(PASSIVE)` on a
 * connection of its own in a worker thread, at most once per interval and only after
 * commits. A passive checkpoint takes no lock a writer or a reader waits for.
 *
 * A passive checkpoint copies what it can while writes go on, but SQLite only starts the WAL
 * afresh at a write that begins after a checkpoint copied all of it, which writes arriving
 * back to back never allow: the WAL would grow without end (over 100 MB in a minute of
 * steady writes). So once the WAL is longer than `maxWalFrames`, the next checkpoint holds
 * this process's writes (`pauseWrites`) until it is done; reads, sockets and everything else
 * on the event loop go on meanwhile.
 *
 * The worker starts with the first commit and stops after `idleMs` without one, so an idle
 * server does not keep a thread (about 10 MB) for it.
 *
 * Node only: where worker threads cannot load the native driver (Bun, Deno) it answers
 * null and the connections keep SQLite's own checkpoints.
 */
export interface WalCheckpointer {
  /** A transaction committed: a checkpoint follows within the interval. */
  committed(): void;
  /** Resolves once no checkpoint is due or running, with the last one's figures (null before the first). */
  settled(): Promise<CheckpointResult | null>;
  /** Stops the worker (its connection is closed first). */
  close(): Promise<void>;
}

/** What `PRAGMA wal_checkpoint` answers: whether it was blocked, the WAL's frames, and how many are now in the file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface WalCheckpointerOptions {
  /** The least time between two checkpoints, and the longest a commit waits for one. */
  intervalMs?: number;
  /** How long the worker stays after its last checkpoint with no commit since. */
  idleMs?: number;
  /**
   * A WAL longer than this (frames) gets a checkpoint with writes held, so that it starts
   * afresh. Each hold stops writes for one checkpoint (about 5 ms here, mostly its two
   * fsyncs), and a live message writes 20–30 frames, so the default (16,384 frames, at most
   * 64 MB of WAL) holds once every 500 or so messages of steady writing.
   */
  maxWalFrames?: number;
  /** Holds this process's writes once the one in progress is done; resolves with the function that lets them go. */
  pauseWrites?: () => Promise<() => void>;
  busyTimeoutMs: number;
  /** Runs a checkpoint on this thread: used if the worker fails, so the WAL never grows without end. */
  fallback: () => Promise<void>;
  log?: (message: string, error?: unknown) => void;
  /** Told when the worker thread starts and when it has stopped. */
  onWorker?: (change: "started" | "stopped") => void;
}

/** What the worker runs (CommonJS, evaluated): one connection, one prepared checkpoint. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.exec("PRAGMA busy_timeout = " + Number(workerData.busyTimeoutMs));
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    // all(), not get(): a statement left on its row keeps a read open, and SQLite cannot start
    // the WAL afresh while any connection reads from it.
    const [row] = checkpoint.all();
    parentPort.postMessage({ ok: true, busy: Number(row.busy), log: Number(row.log), checkpointed: Number(row.checkpointed) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error && error.message ? error.message : error) });
  }
});
`;

type Reply = { ok: true; busy: number; log: number; checkpointed: number } | { ok: false; error: string };

/** True on Node itself: Bun and Deno answer to `process` too, but their workers cannot load the driver the same way. */
export function workerCheckpointsSupported(): boolean {
  const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } }).process?.versions;
  return Boolean(versions?.node) && !versions?.bun && !versions?.deno;
}

export function startWalCheckpointer(path: string, options: WalCheckpointerOptions): WalCheckpointer | null {
  if (!workerCheckpointsSupported()) return null;
  const intervalMs = options.intervalMs ?? 100;
  const idleMs = options.idleMs ?? 2_000;
  const maxWalFrames = options.maxWalFrames ?? 16_384;
  const log = options.log ?? ((message: string, error?: unknown) => console.error(`[parley] ${message}`, error ?? ""));
  const driver = createRequire(import.meta.url).resolve("libsql");

  let worker: Worker | null = null;
  let failed = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let dirty = false;
  let answer: ((reply: Reply) => void) | null = null;
  let last: CheckpointResult | null = null;
  const waiters: (() => void)[] = [];
  const wakeWaiters = () => {
    if (timer || running) return;
    for (const resolve of waiters.splice(0)) resolve();
  };

  const fail = (message: string, error?: unknown) => {
    if (failed) return;
    failed = true;
    // After close() the database may be gone, and nothing is left to checkpoint.
    if (!closed) log(`${message}; checkpoints now run on the main thread`, error);
    answer?.({ ok: false, error: message });
  };

  // A worker let go while idle: its exit is expected.
  const retiring = new WeakSet<Worker>();
  const retire = () => {
    idleTimer = null;
    if (!worker || running || timer) return;
    retiring.add(worker);
    worker.postMessage("close");
    worker = null;
  };

  // Started with the first commit, so a process that only reads never pays for the thread.
  const workerOf = (): Worker => {
    if (worker) return worker;
    const started = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, path, busyTimeoutMs: options.busyTimeoutMs },
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 },
    });
    started.unref();
    started.on("message", (reply: Reply) => answer?.(reply));
    started.on("error", (error) => fail("the WAL checkpoint worker failed", error));
    options.onWorker?.("started");
    started.on("exit", (code) => {
      options.onWorker?.("stopped");
      if (worker === started) worker = null;
      if (!closed && !retiring.has(started)) fail(`the WAL checkpoint worker exited (${code})`);
    });
    worker = started;
    return started;
  };

  // The WAL starts afresh only at a write that begins after a checkpoint copied all of it; one
  // that stays long means writes never left the checkpoints such a moment.
  const behind = () => last !== null && last.log > maxWalFrames;

  const checkpointOnce = async (): Promise<void> => {
    if (failed) return options.fallback();
    const release = behind() && options.pauseWrites ? await options.pauseWrites() : null;
    let reply: Reply;
    try {
      // Closed while writes drained: the database may be gone already, so no worker starts.
      if (closed) return;
      reply = await new Promise<Reply>((resolve) => {
        answer = resolve;
        workerOf().postMessage("checkpoint");
      });
    } finally {
      answer = null;
      release?.();
    }
    if (reply.ok) last = { busy: reply.busy, log: reply.log, checkpointed: reply.checkpointed };
    else {
      if (failed) return closed ? undefined : options.fallback();
      // A refused checkpoint (a lock held past the timeout) is retried after the next commit.
      log(`WAL checkpoint refused: ${reply.error}`);
    }
  };

  // The checkpoint in progress, which close() waits for.
  let current: Promise<void> | null = null;
  const run = async () => {
    timer = null;
    if (closed) return;
    running = true;
    dirty = false;
    try {
      current = checkpointOnce();
      await current;
    } catch (error) {
      log("WAL checkpoint failed", error);
    } finally {
      running = false;
      current = null;
    }
    if (dirty) schedule();
    else if (!closed && worker) {
      idleTimer = setTimeout(retire, idleMs);
      idleTimer.unref?.();
    }
    wakeWaiters();
  };

  const schedule = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (timer || running || closed) return;
    timer = setTimeout(() => void run(), intervalMs);
    timer.unref?.();
  };

  return {
    committed() {
      dirty = true;
      schedule();
    },
    settled() {
      return new Promise((resolve) => {
        waiters.push(() => resolve(last));
        wakeWaiters();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      if (idleTimer) clearTimeout(idleTimer);
      timer = null;
      idleTimer = null;
      wakeWaiters();
      await current?.catch(() => undefined);
      const started = worker;
      if (!started || failed) return;
      const exited = new Promise<void>((resolve) => started.once("exit", () => resolve()));
      started.postMessage("close");
      await exited;
    },
  };
}
