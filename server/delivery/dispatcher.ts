import { randomUUID } from "node:crypto";
import type { Database, Tx } from "../db/client.js";
import { queueKey, type HandOver, type StoredOutboxEntry } from "../db/outbox.js";
import type { Channel, DeliveryOutcome, OutboxChannel } from "./channel.js";
import { claimDue, nextDueAt, releaseOwned, renewLease, retryLater, settle, type Settled } from "./outbox-store.js";
import { afterFailure, retryPolicies, type RetryPolicy } from "./retry-policy.js";

export interface DispatcherOptions {
  db: Database;
  /** The channels this dispatcher delivers; entries of other channels are left to others. */
  channels: Partial<Record<OutboxChannel, Channel>>;
  policies?: Partial<Record<OutboxChannel, Partial<RetryPolicy>>>;
  /**
   * Who holds the leases. Random by default. A stable id per server (never shared by two
   * running servers) lets a restarted server take back at once what it held when it died,
   * instead of waiting for the leases to lapse.
   */
  owner?: string;
  /** How long a claim holds an entry; must outlast every channel's attempt timeout. */
  leaseMs?: number;
  /** Fallback poll when nothing wakes the loop. */
  pollMs?: number;
  /** Entries claimed per round. */
  batchSize?: number;
  /** Channels whose live entries are handed over in memory after the commit. */
  handOverChannels?: readonly OutboxChannel[];
  /** Settled entries are marked in one batched write this long after the first of them. */
  flushDelayMs?: number;
  now?: () => number;
  /** [0, 1), for the backoff jitter. */
  random?: () => number;
  log?: (message: string, error?: unknown) => void;
}

export interface DrainReport {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

export interface Dispatcher {
  readonly owner: string;
  /** Give to `writeOutbox` inside the command's transaction; then `wake()` with what it returned. */
  readonly handOver: HandOver;
  /** Takes back this owner's stale leases, then runs the loop until `stop()`. */
  start(): Promise<void>;
  /** Stops claiming, delivers what is already in hand, marks it, and lets go of the rest. */
  stop(): Promise<void>;
  /**
   * Called right after a commit. Entries written leased to this dispatcher go out from memory
   * at once; any others (or a bare `wake()`) bring the next claim round forward.
   */
  wake(entries?: readonly StoredOutboxEntry[]): void;
  /** One claim round, delivered and marked before it resolves: what a scheduled trigger calls. */
  drainOnce(options?: { limit?: number }): Promise<DrainReport>;
  /** Resolves once nothing is in hand and every settled entry is marked. */
  idle(): Promise<void>;
}

type Result = "delivered" | "retried" | "dead" | "released";

interface Item {
  entry: StoredOutboxEntry;
  done: (result: Result) => void;
}

/** One (channel, target) queue as this process sees it. */
interface Lane {
  channel: OutboxChannel;
  queue: Item[];
  parked: Item[];
  running: boolean;
  /** Highest id this lane has taken in since its queue was last claimed from the head. */
  lastId: number;
  /** Entries up to this id were let go after a failure: a late hand-over of them is ignored. */
  releasedThrough: number;
  /** While a failure is being written, hand-overs are not delivered (that write lets them go). */
  blockedUntil: number;
  touchedAt: number;
}

/**
 * Delivers outbox entries at least once, in id order per (channel, target), with retries and
 * a log of every attempt. Claims are leases taken in a write transaction, so any number of
 * dispatchers on one database never hold the same entry at once; entries of a crashed one
 * go out when its leases lapse (or at once when it restarts with the same `owner`).
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.log ?? ((message: string, error?: unknown) => console.error(`[parley] ${message}`, error ?? ""));
  const owner = options.owner ?? `dispatcher-${randomUUID()}`;
  const leaseMs = options.leaseMs ?? 120_000;
  const pollMs = options.pollMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  const flushDelayMs = options.flushDelayMs ?? 5;
  const policies = retryPolicies(options.policies);
  const channels = (Object.keys(options.channels) as OutboxChannel[]).filter((name) => options.channels[name]);
  for (const name of channels) {
    if (options.channels[name]!.name !== name) throw new Error(`channel "${options.channels[name]!.name}" registered as "${name}"`);
    if (policies[name].timeoutMs >= leaseMs) throw new RangeError(`leaseMs (${leaseMs}) must outlast the ${name} attempt timeout (${policies[name].timeoutMs})`);
  }
  const handOverChannels = (options.handOverChannels ?? ["room"]).filter((name) => channels.includes(name));
  const handOver: HandOver = { owner, leaseMs, channels: handOverChannels, now };

  const lanes = new Map<string, Lane>();
  let inHand = 0;
  let idleWaiters: (() => void)[] = [];
  let buffer: Settled[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let running = false;
  let stopped = false;
  let tickTimer: ReturnType<typeof setTimeout> | null = null;
  let ticking: Promise<void> | null = null;
  let rounds: Promise<unknown> = Promise.resolve();

  const laneOf = (entry: StoredOutboxEntry): Lane => {
    const key = queueKey(entry.channel, entry.target);
    let lane = lanes.get(key);
    if (!lane) {
      lane = { channel: entry.channel, queue: [], parked: [], running: false, lastId: 0, releasedThrough: 0, blockedUntil: 0, touchedAt: now() };
      lanes.set(key, lane);
    }
    lane.touchedAt = now();
    return lane;
  };

  const track = (entry: StoredOutboxEntry): Item & { result: Promise<Result> } => {
    inHand += 1;
    let resolve!: (result: Result) => void;
    const result = new Promise<Result>((r) => (resolve = r));
    return {
      entry,
      result,
      done: (outcome) => {
        resolve(outcome);
        inHand -= 1;
        // Someone waits for idle: mark now rather than at the batching timer.
        if (inHand === 0 && idleWaiters.length > 0) void flush();
      },
    };
  };

  function wakeIdle() {
    if (inHand !== 0 || buffer.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function enqueue(lane: Lane, item: Item) {
    const at = lane.queue.findIndex((queued) => queued.entry.id > item.entry.id);
    if (at === -1) lane.queue.push(item);
    else lane.queue.splice(at, 0, item);
    lane.lastId = Math.max(lane.lastId, item.entry.id);
    // A parked hand-over whose predecessor has now arrived can follow it.
    for (let i = 0; i < lane.parked.length; ) {
      const parked = lane.parked[i]!;
      if (parked.entry.after === null || parked.entry.after <= lane.lastId) {
        lane.parked.splice(i, 1);
        enqueue(lane, parked);
        i = 0;
      } else i += 1;
    }
    if (!lane.running) void runLane(lane);
  }

  /** A claimed run of entries: it starts at the head of its queue, so the lane starts afresh. */
  function takeClaimed(entries: readonly StoredOutboxEntry[]): Promise<Result>[] {
    const results: Promise<Result>[] = [];
    const seen = new Set<Lane>();
    for (const entry of entries) {
      const lane = laneOf(entry);
      if (!seen.has(lane)) {
        seen.add(lane);
        // Anything still here lost its lease to this very claim (it lapsed before it went out).
        for (const stale of [...lane.queue.splice(0), ...lane.parked.splice(0)]) stale.done("released");
        // `releasedThrough` stays: a late wake() of an entry let go earlier must still be ignored.
        lane.lastId = 0;
      }
      const item = track(entry);
      results.push(item.result);
      enqueue(lane, item);
    }
    return results;
  }

  function takeHandedOver(entry: StoredOutboxEntry) {
    const lane = laneOf(entry);
    // Let go after a failure (a claim round takes it, in order), or already taken in by one.
    if (entry.id <= lane.releasedThrough || entry.id <= lane.lastId || lane.blockedUntil > now()) return;
    const item = track(entry);
    if (entry.after === null || entry.after <= lane.lastId) enqueue(lane, item);
    else lane.parked.push(item); // its predecessor's wake() has not arrived yet
  }

  async function runLane(lane: Lane) {
    lane.running = true;
    try {
      // Taken off the queue before it goes out: what arrives meanwhile sorts among what waits.
      for (let item = lane.queue.shift(); item; item = lane.queue.shift()) item.done(await attempt(lane, item.entry));
    } finally {
      lane.running = false;
    }
  }

  async function attempt(lane: Lane, entry: StoredOutboxEntry): Promise<Result> {
    const channel = options.channels[entry.channel]!;
    const policy = policies[entry.channel];
    // Deliver only under a lease that outlasts the attempt: nobody else can hold it meanwhile.
    if (entry.leaseUntil === null || entry.leaseUntil - now() <= policy.timeoutMs) {
      const leaseUntil = now() + leaseMs;
      const kept = await db.write((tx) => renewLease(tx, { id: entry.id, owner, now: now(), leaseUntil })).catch((error: unknown) => {
        log(`outbox ${entry.id}: could not renew its lease`, error);
        return false;
      });
      if (!kept) return "released";
      entry.leaseUntil = leaseUntil;
    }

    const attemptNumber = entry.attempts + 1;
    const started = performance.now();
    const outcome = await deliverWithin(channel, entry, policy.timeoutMs);
    const latencyMs = performance.now() - started;
    const at = now();
    const record = { entry, attempt: attemptNumber, statusCode: outcome.statusCode ?? null, latencyMs, at };
    if (outcome.ok) {
      buffer.push({ ...record, error: null, outcome: "delivered" });
      scheduleFlush();
      return "delivered";
    }
    const next = afterFailure(policy, attemptNumber, outcome.permanent === true, at, random);
    if (next.dead) {
      // A dead entry no longer holds its queue back.
      buffer.push({ ...record, error: outcome.error, outcome: "dead" });
      scheduleFlush();
      log(`outbox ${entry.id} (${entry.channel} ${entry.target}, ${entry.eventType}) is dead after attempt ${attemptNumber}: ${outcome.error}`);
      return "dead";
    }

    // Everything behind it in this queue waits for the retry: let go of it in the same write.
    lane.blockedUntil = now() + leaseMs;
    for (const later of lane.queue.splice(0)) later.done("released");
    for (const parked of lane.parked.splice(0)) parked.done("released");
    const settled = takeBuffer();
    try {
      const releasedThrough = await bookkeeping(async (tx) => {
        await settle(tx, settled);
        return retryLater(tx, { ...record, error: outcome.error, nextAttemptAt: next.nextAttemptAt, owner });
      });
      lane.releasedThrough = Math.max(lane.releasedThrough, releasedThrough);
      lane.blockedUntil = 0;
    } catch (error) {
      // The leases stay until they lapse; hand-overs stay blocked as long, so order holds.
      log(`outbox ${entry.id}: could not record failed attempt ${attemptNumber}`, error);
    }
    scheduleTickAt(next.nextAttemptAt);
    return "retried";
  }

  function takeBuffer(): Settled[] {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    return buffer.splice(0);
  }

  function scheduleFlush() {
    if (flushTimer) return;
    flushTimer = setTimeout(() => void flush(), flushDelayMs);
  }

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      const batch = takeBuffer();
      if (batch.length === 0) return;
      try {
        await bookkeeping((tx) => settle(tx, batch));
      } catch (error) {
        // Still leased to us: they go out again once the leases lapse (at least once).
        log(`outbox: could not mark ${batch.length} settled entries`, error);
      }
    });
    return flushing.then(wakeIdle);
  }

  /**
   * The dispatcher's own records (marks, failures) try a few times: another server holding
   * the database's write lock past the busy timeout should not cost a whole lease of delay.
   */
  async function bookkeeping<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.write(work);
      } catch (error) {
        if (attempt >= 3) throw error;
        log(`outbox: bookkeeping write failed (attempt ${attempt} of 3), trying again`, error);
      }
    }
  }

  /** One claim round: leases due queue heads and puts them in their lanes. */
  async function claimRound(limit: number): Promise<Promise<Result>[]> {
    dropLapsed();
    const at = now();
    const claimed = await db.write((tx) => claimDue(tx, { owner, now: at, leaseUntil: at + leaseMs, channels, limit }));
    return takeClaimed(claimed);
  }

  /** Parked hand-overs whose lease lapsed are a claim round's now; idle lanes are forgotten. */
  function dropLapsed() {
    const at = now();
    for (const [key, lane] of lanes) {
      for (const parked of lane.parked.filter((item) => (item.entry.leaseUntil ?? 0) < at)) {
        lane.parked.splice(lane.parked.indexOf(parked), 1);
        parked.done("released");
      }
      if (!lane.running && lane.queue.length === 0 && lane.parked.length === 0 && lane.blockedUntil <= at && at - lane.touchedAt > leaseMs) lanes.delete(key);
    }
  }

  function scheduleTick(delayMs: number) {
    if (!running) return;
    if (tickTimer) clearTimeout(tickTimer);
    tickTimer = setTimeout(() => {
      tickTimer = null;
      void tick();
    }, Math.max(0, delayMs));
  }

  function scheduleTickAt(at: number) {
    if (running) scheduleTick(Math.min(pollMs, at - now()));
  }

  function tick(): Promise<void> {
    if (ticking) return ticking;
    const run = (async () => {
      let full = false;
      try {
        const room = batchSize - inHand;
        if (room > 0) {
          const results = await serial(() => claimRound(room));
          full = results.length === room;
        }
      } catch (error) {
        log("outbox: claim round failed", error);
      }
      if (!running) return;
      if (full) return scheduleTick(0);
      const due = await nextDueAt(db.orm, channels).catch(() => null);
      scheduleTick(due === null ? pollMs : Math.min(pollMs, due - now()));
    })();
    // Cleared once the round is over, whether or not it ever had to wait: a round with its
    // hands full (nothing to claim) finishes without suspending and must not stay "in progress".
    ticking = run;
    void run.finally(() => {
      if (ticking === run) ticking = null;
    });
    return run;
  }

  /** Claim rounds never overlap inside one process (each would just find the other's leases). */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const run = rounds.then(work);
    rounds = run.catch(() => undefined);
    return run;
  }

  return {
    owner,
    handOver,
    async start() {
      if (running) return;
      stopped = false;
      const taken = await db.write((tx) => releaseOwned(tx, owner));
      if (taken > 0) log(`outbox: took back ${taken} entries held by ${owner} before a restart`);
      running = true;
      void tick();
    },
    async stop() {
      running = false;
      stopped = true;
      if (tickTimer) clearTimeout(tickTimer);
      tickTimer = null;
      await ticking;
      for (const lane of lanes.values()) for (const parked of lane.parked.splice(0)) parked.done("released");
      await this.idle();
      await db.write((tx) => releaseOwned(tx, owner));
    },
    wake(entries = []) {
      if (stopped) return;
      let claimSoon = entries.length === 0;
      for (const entry of entries) {
        if (entry.claimedBy === owner && handOverChannels.includes(entry.channel)) takeHandedOver(entry);
        else claimSoon = true;
      }
      if (claimSoon) scheduleTick(0);
    },
    async drainOnce({ limit = batchSize } = {}) {
      const results = await Promise.all(await serial(() => claimRound(limit)));
      await flush();
      const count = (what: Result) => results.filter((r) => r === what).length;
      return { claimed: results.length, delivered: count("delivered"), retried: count("retried"), dead: count("dead") };
    },
    async idle() {
      if (inHand === 0 && buffer.length === 0) return flushing;
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

async function deliverWithin(channel: Channel, entry: StoredOutboxEntry, timeoutMs: number): Promise<DeliveryOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<DeliveryOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      channel.deliver(entry).catch((error: unknown): DeliveryOutcome => ({ ok: false, error: error instanceof Error ? error.message : String(error) })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
