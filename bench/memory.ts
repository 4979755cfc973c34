/**
 * Memory of the whole `npm start` tree: starts the `start` script of package.json on a fresh
 * data directory, sums the resident memory (VmRSS) of every process in its tree at idle after
 * start, then again with 1,000 visitor sessions each holding an open ticket-room socket
 * (sessions and tickets made through the API, rate limits off). Prints both, per process,
 * beside the target; never judges them. Exits non-zero only when the stack or a socket fails.
 *
 *   npm run bench:memory -- [--sessions <n>]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import type { RealtimeToken } from "../protocol/index.js";
import { apiClient } from "../test/support/client.js";
import { freePort } from "../test/support/server.js";
import { formatTable, machineLine } from "./support.js";

const IDLE_TARGET_MB = 250;
/** Sessions opened at once: quick, without flooding a 2-core machine. */
const BATCH = 20;
const root = new URL("..", import.meta.url).pathname;

const { values } = parseArgs({ args: process.argv.slice(2), options: { sessions: { type: "string", default: "1000" } }, strict: true });
const sessions = Number(values.sessions);
if (!Number.isInteger(sessions) || sessions < 0 || sessions > 10_000) throw new Error(`--sessions must be a whole number from 0 to 10000, not "${values.sessions}"`);

interface ProcessMemory {
  pid: number;
  command: string;
  rssKb: number;
}

/** Every process under `pid` (itself included) with its VmRSS, from /proc. */
function treeMemory(pid: number): ProcessMemory[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone while listing: not part of the tree any more
    }
  }
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...(children.get(pids[i]!) ?? []));
  return pids.flatMap((one) => {
    try {
      const status = readFileSync(`/proc/${one}/status`, "utf8");
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
      const command = readFileSync(`/proc/${one}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      return rss ? [{ pid: one, command, rssKb: Number(rss[1]) }] : [];
    } catch {
      return [];
    }
  });
}

const mb = (kb: number) => (kb / 1024).toFixed(1);
const total = (tree: ProcessMemory[]) => tree.reduce((sum, { rssKb }) => sum + rssKb, 0);
const short = (command: string) => command.replace(root, "").slice(0, 70);

const dir = mkdtempSync(join(tmpdir(), "parley-memory-"));
const port = await freePort();
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
const [command, ...args] = pkg.scripts.start!.split(/\s+/);
// The script must start Parley itself, with no CLI wrapper process that only waits.
if (command !== "node" || args.length === 0) throw new Error(`the start script should run node directly, not: ${pkg.scripts.start}`);
const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATABASE_URL: `file:${join(dir, "data", "parley.db")}`, PARLEY_RATE_LIMITS: "off" };
// The tree as a new user gets it: no loader or inspector flags inherited from this process.
delete env.NODE_OPTIONS;
// `npm start` itself, as a user runs it; npm's own process stays as the tree's root, and is
// shown on its own line since it is npm's memory, not Parley's.
// In its own process group, so that stopping it is a Ctrl-C to the whole tree, as in a terminal:
// npm does not pass a signal sent to it alone on to the shell and the server it started.
const stack = spawn("npm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
let output = "";
stack.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
stack.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
const sockets: WebSocket[] = [];
let failed = false;

try {
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes("Parley is running.")) resolve();
      else if (stack.exitCode !== null) reject(new Error(`npm start exited (${stack.exitCode}):\n${output}`));
    };
    stack.stdout.on("data", check);
    stack.once("exit", check);
  });
  // Let start-up garbage be collected and the widget build child be gone before measuring idle.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const idle = treeMemory(stack.pid!);

  const client = apiClient(`http://127.0.0.1:${port}`);
  const open = async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    const res = await client.call<RealtimeToken>("POST", "/v1/realtime/token", { token: visitor.token, body: { ticket: ticket.number } });
    if (res.status !== 200) throw new Error(`connect ticket: ${res.status} ${JSON.stringify(res.body)}`);
    const { host, party, room, token } = res.body;
    const ws = new WebSocket(`${host}/parties/${party}/${encodeURIComponent(room)}?ticket=${encodeURIComponent(token)}`);
    sockets.push(ws);
    // Admitted once the room's presence frame arrives (it first spends the connect ticket).
    await new Promise<void>((resolve, reject) => {
      ws.once("message", () => resolve());
      ws.once("error", reject);
      ws.once("close", (code) => reject(new Error(`room closed the socket: ${code}`)));
    });
  };
  const started = performance.now();
  for (let first = 0; first < sessions; first += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, sessions - first) }, open));
  }
  const openedS = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const busy = treeMemory(stack.pid!);

  console.log(machineLine("node"));
  console.log(`npm start (${pkg.scripts.start}) on a fresh data directory; RSS summed over its process tree (/proc/<pid>/status VmRSS)\n`);
  const npmItself = (tree: ProcessMemory[]) => tree.filter(({ pid }) => pid === stack.pid);
  const parley = (tree: ProcessMemory[]) => tree.filter(({ pid }) => pid !== stack.pid);
  const rows = [
    ["idle after start", String(idle.length), mb(total(idle)), mb(total(parley(idle))), mb(total(npmItself(idle))), `${IDLE_TARGET_MB}`],
    [`${sessions} sessions, each with an open ticket-room socket`, String(busy.length), mb(total(busy)), mb(total(parley(busy))), mb(total(npmItself(busy))), ""],
  ];
  console.log(formatTable(["state", "processes", "tree RSS MB", "without npm", "npm itself", "target MB"], rows));
  if (sessions > 0) console.log(`\n≈ ${((total(busy) - total(idle)) / sessions).toFixed(1)} KB per session with its socket; opened in ${openedS.toFixed(1)} s`);
  for (const [label, tree] of [["idle", idle], ["busy", busy]] as const) {
    console.log(`\n${label}:`);
    console.log(formatTable(["process", "pid", "RSS MB"], tree.map(({ pid, command: line, rssKb }) => [short(line), String(pid), mb(rssKb)])));
  }
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? error.message : error);
} finally {
  for (const ws of sockets) ws.terminate();
  if (stack.exitCode === null) {
    const exited = new Promise((resolve) => stack.once("exit", resolve));
    process.kill(-stack.pid!, "SIGINT");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
