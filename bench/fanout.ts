/**
 * Fan-out: one sender, N listeners in a room. Each message is sent over HTTP, one at a time,
 * and timed until the last listener has it; figures are p50/p99 of that latency and
 * messages per second over the whole sequence. One run measures three systems: Parley's
 * default runtime (the API with the rooms in-process), Parley with its rooms on `partykit
 * dev`, and a plain Socket.IO broadcast server (bench/fanout-socketio.ts, its own process) as
 * the reference, and prints their ratios. It also shows where the milliseconds go: the
 * server's own time for the write (its Server-Timing header), the HTTP answer, the first
 * listener and the spread to the last. Prints figures and never judges them; exits non-zero
 * only when a send fails or a listener misses a message.
 *
 *   npm run bench:fanout -- [--listeners 10,50,200] [--messages <n>] [--timeout <seconds>]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { io as connectSocketIo, type Socket } from "socket.io-client";
import WebSocket from "ws";
import type { RealtimeToken } from "../protocol/index.js";
import { apiClient, type ApiClient } from "../test/support/client.js";
import { startPartykit } from "../test/support/partykit.js";
import { ADMIN, freePort, startApi } from "../test/support/server.js";
import { formatTable, machineLine } from "./support.js";

const ROOM_SECRET = `fanout-${randomBytes(16).toString("hex")}`;
const WARM_UP = 5;
/** Listeners opened at once; enough to be quick, few enough not to flood a 2-core machine. */
const CONNECT_BATCH = 20;
const root = new URL("..", import.meta.url).pathname;

/** One system under test: open N listeners in a fresh room, send one message by key. */
interface Target {
  name: string;
  open(listeners: number, received: (listener: number, key: string) => void): Promise<Room>;
}
interface Room {
  /** Resolves once the HTTP answer is a success, with the server's own time if it says; throws otherwise. */
  send(key: string): Promise<{ serverMs: number | null }>;
  /** Listeners whose connection ended while they were measured. */
  dropped(): number;
  close(): Promise<void>;
}

interface Run {
  system: string;
  messages: number;
  latencies: number[];
  acks: number[];
  /** Send → the first listener's copy. */
  firsts: number[];
  /** The server's own time for the write (Server-Timing `total`). */
  serverTimes: number[];
  wallMs: number;
  lost: number;
  duplicates: number;
  failedSends: string[];
  dropped: number;
}

const args = readArgs(process.argv.slice(2));
const cleanups: (() => Promise<void>)[] = [];
const cleanUp = async () => {
  for (const stop of cleanups.splice(0).reverse()) await stop().catch((error: unknown) => console.error("cleanup failed:", error));
};
let interrupted = false;
// `on`, not `once`: Ctrl-C reaches us twice (from the terminal and relayed by tsx), and a
// second signal with no handler would kill us before the children are stopped.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`${signal}: stopping the API, the rooms and the Socket.IO server…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

console.log(machineLine("node"));
console.log("Parley in-process: the API (libSQL file) with the party/ rooms hosted in its process, on its port (the npm start default)");
console.log("Parley partykit: the same API with its rooms on partykit dev, a separate process tree, notified by signed HTTP POSTs");
console.log("listeners are agent sockets with their own connect tickets");
console.log("Socket.IO: socket.io 4.8.4 server in its own Node process, socket.io-client listeners with transports [\"websocket\"]");
console.log(`messages sent one at a time over HTTP after ${WARM_UP} warm-up sends; loss = not received within ${args.timeoutMs / 1000} s\n`);

const problems: string[] = [];
try {
  console.error("starting the API (in-process rooms), partykit dev with a second API, and the Socket.IO server…");
  const inProcess = await startApi({ runtime: "node", env: { PARLEY_ROOM_SECRET: ROOM_SECRET, PARLEY_RATE_LIMITS: "off" } });
  cleanups.push(inProcess.stop);
  const rooms = await startPartykit({ secret: ROOM_SECRET });
  cleanups.push(rooms.stop);
  const withPartykit = await startApi({
    runtime: "node",
    env: { PARLEY_REALTIME_URL: rooms.url, PARLEY_ROOM_SECRET: ROOM_SECRET, PARLEY_RATE_LIMITS: "off" },
  });
  cleanups.push(withPartykit.stop);
  const socketIo = await startSocketIoServer();
  cleanups.push(socketIo.stop);

  const targets: Target[] = [];
  const mostListeners = Math.max(...args.listeners);
  for (const [name, api] of [["Parley in-process", inProcess], ["Parley partykit", withPartykit]] as const) {
    const client = apiClient(api.url);
    targets.push(parleyTarget(name, client, await listenerTokens(client, mostListeners)));
  }
  targets.push(socketIoTarget(socketIo.url));

  for (const listeners of args.listeners) {
    // p99 of 1,000 messages is the tenth slowest; of 200 it would be the second slowest, mostly noise.
    const messages = args.messages ?? (listeners >= 200 ? 300 : 1_000);
    const runs: Run[] = [];
    for (const target of targets) {
      console.error(`${target.name}: ${listeners} listeners, ${messages} messages…`);
      runs.push(await measure(target, listeners, messages, args.timeoutMs));
    }
    console.log(`N = ${listeners} listeners, ${messages} messages`);
    console.log(report(runs));
    console.log("");
    for (const run of runs) {
      const where = `${run.system}, N = ${listeners}`;
      if (run.lost > 0) problems.push(`${where}: ${run.lost} deliveries lost (of ${(messages + WARM_UP) * listeners})`);
      if (run.dropped > 0) problems.push(`${where}: ${run.dropped} listeners disconnected during the run`);
      for (const failure of run.failedSends.slice(0, 3)) problems.push(`${where}: send failed: ${failure}`);
      if (run.failedSends.length > 3) problems.push(`${where}: …and ${run.failedSends.length - 3} more failed sends`);
    }
  }
  console.log(
    "Parley's path per message: validate, a durable libSQL commit (per-ticket seq, audit event), then the frame is\n" +
      "handed to the room (in-process: a call in the same process; partykit: a signed POST the room verifies) and fanned\n" +
      "out, while the HTTP answer goes back. The Socket.IO baseline only broadcasts: no persistence, no auth, no validation.\n" +
      "Columns: server = the API's own time for the request (Server-Timing total: handler, commit, hand-over started);\n" +
      "answer = send → HTTP answer at the bench; first = send → first listener; spread = last − first listener (the\n" +
      "broadcast itself). Latency is measured in the bench process, which also hosts every listener.",
  );
} catch (error) {
  if (!interrupted) problems.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await cleanUp();
}
if (problems.length > 0 && !interrupted) {
  console.log(`\nBROKEN:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  process.exitCode = 1;
}

/** Sends warm-up plus `messages` keys one at a time, each timed until all `listeners` have it. */
async function measure(target: Target, listeners: number, messages: number, timeoutMs: number): Promise<Run> {
  const pending = new Map<string, { seen: Uint8Array; count: number; firstAt: number; lastAt: number; all: () => void }>();
  let duplicates = 0;
  const room = await target.open(listeners, (listener, key) => {
    const entry = pending.get(key);
    if (!entry) return; // a late arrival already counted as lost, or not one of ours
    if (entry.seen[listener]) return void (duplicates += 1);
    entry.seen[listener] = 1;
    entry.count += 1;
    if (entry.count === 1) entry.firstAt = performance.now();
    if (entry.count === listeners) {
      entry.lastAt = performance.now();
      entry.all();
    }
  });
  const run: Run = { system: target.name, messages, latencies: [], acks: [], firsts: [], serverTimes: [], wallMs: 0, lost: 0, duplicates: 0, failedSends: [], dropped: 0 };
  const prefix = `fanout-${randomBytes(4).toString("hex")}-`;
  try {
    const deliver = async (key: string, record: boolean) => {
      let all = () => {};
      const everyone = new Promise<void>((resolve) => (all = resolve));
      const entry = { seen: new Uint8Array(listeners), count: 0, firstAt: 0, lastAt: 0, all };
      pending.set(key, entry);
      const start = performance.now();
      let serverMs: number | null;
      try {
        ({ serverMs } = await room.send(key));
      } catch (error) {
        run.failedSends.push(error instanceof Error ? error.message : String(error));
        pending.delete(key);
        return;
      }
      const acked = performance.now();
      const arrived = await within(everyone, timeoutMs);
      pending.delete(key);
      if (!arrived) run.lost += listeners - entry.count;
      else if (record) {
        run.latencies.push(entry.lastAt - start);
        run.acks.push(acked - start);
        run.firsts.push(entry.firstAt - start);
        if (serverMs !== null) run.serverTimes.push(serverMs);
      }
    };
    for (let i = 0; i < WARM_UP; i++) await deliver(`${prefix}warm-${i}`, false);
    const start = performance.now();
    for (let i = 0; i < messages; i++) await deliver(`${prefix}${i}`, true);
    run.wallMs = performance.now() - start;
    run.dropped = room.dropped();
  } finally {
    await room.close();
  }
  run.duplicates = duplicates;
  return run;
}

/** `total;dur=1.23` of a Server-Timing header, in ms. */
function serverTotal(header: string | null): number | null {
  const match = header ? /(?:^|,)\s*total;(?:[^,]*;)?dur=([\d.]+)/.exec(header) : null;
  return match ? Number(match[1]) : null;
}

/**
 * One agent per listener: a room admits at most a few sockets per person (MAX_CONNECTIONS_PER_USER),
 * so N listeners are N people, as an inbox with N agents on one ticket would be.
 */
async function listenerTokens(client: ApiClient, count: number): Promise<string[]> {
  const admin = await client.login(ADMIN.email);
  const password = "fanout-listener-password";
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `listener-${i}@fanout.test`;
    // A member of the demo site, whose ticket rooms it listens in.
    await client.createAgent(admin.token, { email, name: `Listener ${i}`, password });
    tokens.push((await client.login(email, password)).token);
  }
  return tokens;
}

function parleyTarget(name: string, client: ApiClient, agentTokens: string[]): Target {
  return {
    name,
    async open(listeners, received) {
      const visitor = await client.visitor();
      const ticket = await client.ticket(visitor.token);
      let measuring = false;
      let dropped = 0;
      const sockets: WebSocket[] = [];
      const closeAll = () => Promise.all(sockets.map(closeWebSocket)).then(() => undefined);
      await inBatches(listeners, closeAll, async (listener) => {
        const res = await client.call<RealtimeToken>("POST", "/v1/realtime/token", { token: agentTokens[listener]!, body: { ticket: ticket.number } });
        if (res.status !== 200) throw new Error(`connect ticket: ${res.status} ${JSON.stringify(res.body)}`);
        const { host, party, room, token } = res.body;
        const ws = new WebSocket(`${host}/parties/${party}/${encodeURIComponent(room)}?ticket=${encodeURIComponent(token)}`);
        sockets.push(ws);
        ws.on("close", () => void (measuring && (dropped += 1)));
        // The room adds a connection after the handshake (it first spends the ticket), and
        // every newcomer gets a presence frame once added: that frame, not "open", means ready.
        let ready = () => {};
        const admitted = new Promise<void>((resolve) => (ready = resolve));
        ws.on("message", (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; message?: { clientId: string | null } };
          if (frame.type === "presence.changed") ready();
          else if (frame.type === "message.created" && frame.message?.clientId) received(listener, frame.message.clientId);
        });
        const refused = new Promise<never>((_, reject) => {
          ws.once("error", reject);
          ws.once("close", (code, reason) => reject(new Error(`room closed listener ${listener}: ${code} ${reason.toString()}`)));
        });
        refused.catch(() => {}); // settles after admission too; only the race below reads it
        if (!(await within(Promise.race([admitted, refused]), 10_000))) throw new Error(`listener ${listener} not admitted within 10 s`);
      });
      measuring = true;
      return {
        async send(key) {
          const res = await client.call("POST", `/v1/tickets/${ticket.number}/messages`, {
            token: visitor.token,
            body: { body: `Fan-out message ${key}`, clientId: key },
          });
          if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
          return { serverMs: serverTotal(res.headers.get("server-timing")) };
        },
        dropped: () => dropped,
        async close() {
          measuring = false;
          await closeAll();
        },
      };
    },
  };
}

function socketIoTarget(url: string): Target {
  return {
    name: "Socket.IO",
    async open(listeners, received) {
      const room = `room-${randomBytes(4).toString("hex")}`;
      let measuring = false;
      let dropped = 0;
      const sockets: Socket[] = [];
      const closeAll = async () => void sockets.forEach((socket) => socket.disconnect());
      await inBatches(listeners, closeAll, async (listener) => {
        // forceNew: without it every listener would share one multiplexed connection.
        const socket = connectSocketIo(url, { transports: ["websocket"], forceNew: true, reconnection: false, timeout: 10_000 });
        sockets.push(socket);
        socket.on("disconnect", () => void (measuring && (dropped += 1)));
        socket.on("message", (message: { clientId?: string }) => {
          if (message.clientId) received(listener, message.clientId);
        });
        await new Promise<void>((resolve, reject) => {
          socket.once("connect", () => resolve());
          socket.once("connect_error", reject);
        });
        await socket.timeout(10_000).emitWithAck("join", room);
      });
      measuring = true;
      return {
        async send(key) {
          const res = await fetch(`${url}/send?room=${room}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ body: `Fan-out message ${key}`, clientId: key }),
          });
          const text = await res.text();
          if (res.status !== 202) throw new Error(`${res.status} ${text}`);
          return { serverMs: null };
        },
        dropped: () => dropped,
        async close() {
          measuring = false;
          await closeAll();
        },
      };
    },
  };
}

/** The Socket.IO server as a child process, so it does not share the listeners' event loop. */
async function startSocketIoServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/fanout-socketio.ts"], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    // stdin stays open for the child's lifetime: it exits when we are gone, however we went.
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin?.end();
    child.kill("SIGTERM");
    if (!(await within(exited, 3000))) child.kill("SIGKILL");
  };
  const listening = new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) resolve();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    void exited.then(() => reject(new Error(`Socket.IO server exited early:\n${output}`)));
  });
  let started: boolean;
  try {
    started = await within(listening, 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  if (!started) {
    await stop();
    throw new Error(`Socket.IO server did not start within 15 s:\n${output}`);
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}

function closeWebSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  ws.close();
  return within(closed, 2000).then((done) => void (done || ws.terminate()));
}

/** Runs `open(0 … count-1)` at most CONNECT_BATCH at a time; on a failure, closes what opened. */
async function inBatches(count: number, closeAll: () => Promise<void>, open: (index: number) => Promise<void>): Promise<void> {
  try {
    for (let first = 0; first < count; first += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - first) }, (_, offset) => open(first + offset));
      // Settle the whole batch first, so nothing is still opening when closeAll runs.
      const failure = (await Promise.allSettled(batch)).find((result) => result.status === "rejected");
      if (failure) throw failure.reason;
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** True when `promise` settles in time (its rejection passes through), false after `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function report(runs: Run[]): string {
  const p50 = (values: number[]) => percentile(values, 50);
  const spreads = (run: Run) => run.latencies.map((latency, i) => latency - run.firsts[i]!);
  const rows = runs.map((run) => [
    run.system,
    ms(p50(run.latencies)),
    ms(percentile(run.latencies, 99)),
    perSecond(run),
    ms(p50(run.serverTimes)),
    ms(p50(run.acks)),
    ms(p50(run.firsts)),
    ms(p50(spreads(run))),
    String(run.lost),
    String(run.duplicates),
  ]);
  const baseline = runs.find((run) => run.system === "Socket.IO");
  const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");
  for (const run of runs) {
    if (!baseline || run === baseline) continue;
    rows.push([
      `${run.system} / ${baseline.system}`,
      ratio(p50(run.latencies), p50(baseline.latencies)),
      ratio(percentile(run.latencies, 99), percentile(baseline.latencies, 99)),
      ratio(rate(run), rate(baseline)),
      "",
      ratio(p50(run.acks), p50(baseline.acks)),
      ratio(p50(run.firsts), p50(baseline.firsts)),
      ratio(p50(spreads(run)), p50(spreads(baseline))),
      "",
      "",
    ]);
  }
  return formatTable(["system", "p50 ms", "p99 ms", "msgs/s", "server p50", "answer p50", "first p50", "spread p50", "lost", "dup"], rows);
}

/** Nearest-rank percentile; NaN for no samples. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function ms(value: number): string {
  return Number.isNaN(value) ? "n/a" : value.toFixed(value < 100 ? 1 : 0);
}

/** Messages per second over the sequence: M over the wall time from the first send to the last delivery. */
function rate(run: Run): number {
  return run.wallMs > 0 ? run.messages / (run.wallMs / 1000) : NaN;
}

function perSecond(run: Run): string {
  return Number.isNaN(rate(run)) ? "n/a" : rate(run).toFixed(0);
}

interface Args {
  listeners: number[];
  messages: number | null;
  timeoutMs: number;
}

/** `--listeners 10,50,200 --messages <n> --timeout <seconds>`; anything else is an error. */
function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: { listeners: { type: "string", default: "10,50,200" }, messages: { type: "string" }, timeout: { type: "string", default: "10" } },
    strict: true,
    allowPositionals: false,
  });
  const whole = (flag: string, text: string, max: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${flag} must be a whole number from 1 to ${max}, not "${text}"`);
    return value;
  };
  return {
    listeners: values.listeners.split(",").map((text) => whole("--listeners", text.trim(), 1000)),
    messages: values.messages === undefined ? null : whole("--messages", values.messages, 10_000),
    timeoutMs: whole("--timeout", values.timeout, 120) * 1000,
  };
}
