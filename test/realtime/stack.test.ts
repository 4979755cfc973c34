import { spawn, type ChildProcessByStdio } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { openRoomSocket } from "../support/partykit.js";
import { freePort } from "../support/server.js";

/**
 * `npm start` as a new user runs it: the `start` script of package.json on a fresh data
 * directory. Checks what it promises (one port, on loopback, rooms included) and what it must
 * never do: listen beyond loopback, open a DevTools inspector, put a secret on a command line,
 * or leave the database and secrets readable by others.
 */

const root = new URL("../..", import.meta.url).pathname;

/** The `start` script's command, with `node` as this Node (the script must stay that simple). */
function startCommand(): [string, string[]] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const [command, ...args] = pkg.scripts.start!.split(/\s+/);
  expect(command).toBe("node");
  return [process.execPath, args];
}

interface Stack {
  child: ChildProcessByStdio<null, Readable, Readable>;
  port: number;
  dataDir: string;
  output(): string;
  exited: Promise<number | null>;
  cleanUp(): void;
}

async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "parley-stack-"));
  const dataDir = join(dir, "data");
  const port = await freePort();
  const inherited = { ...process.env };
  // A fresh user's shell: no secrets or room settings from the test runner's environment.
  for (const name of ["PARLEY_ROOM_SECRET", "PARLEY_SECRET", "PARLEY_REALTIME_URL", "PARLEY_ROOMS", "PARLEY_ADMIN_PASSWORD", "HOST", "NODE_OPTIONS"]) delete inherited[name];
  const [command, args] = startCommand();
  const child = spawn(command, args, {
    cwd: root,
    env: { ...inherited, PORT: String(port), DATABASE_URL: `file:${join(dataDir, "parley.db")}`, PARLEY_PBKDF2_ITERATIONS: "1000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes("Parley is running.")) return resolve();
      if (child.exitCode !== null) return reject(new Error(`npm start exited (${child.exitCode}):\n${output}`));
    };
    child.stdout.on("data", check);
    child.once("exit", check);
  });
  return {
    child,
    port,
    dataDir,
    output: () => output,
    exited,
    cleanUp() {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The process and all its descendants, from /proc. */
function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/<pid>/stat, after the parenthesised command (which may hold spaces).
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we listed /proc: it is not part of any tree any more
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // the descriptor closed while we read the directory
    }
  }
  return inodes;
}

interface Listener {
  address: string;
  port: number;
}

const LOOPBACK = new Set(["0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F"]);

/** TCP sockets in LISTEN state (st 0A) owned by `inodes`, from /proc/net/tcp and tcp6. */
function listeners(inodes: Set<string>): Listener[] {
  const found: Listener[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== "0A" || !inodes.has(fields[9]!)) continue;
      const [address, port] = fields[1]!.split(":");
      found.push({ address: address!, port: parseInt(port!, 16) });
    }
  }
  return found;
}

/** True when `port` answers the DevTools protocol's target list. */
async function speaksDevTools(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/json/list`);
    const text = await res.text();
    return res.ok && text.includes("webSocketDebuggerUrl");
  } catch {
    return false; // not HTTP at all: not a DevTools endpoint
  }
}

const json = (token?: string) => ({ "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) });

describe("npm start", () => {
  it("serves the API and the rooms on one loopback port, safely, and stops on Ctrl-C", { timeout: 120_000 }, async () => {
    const stack = await startStack();
    try {
      const api = `http://127.0.0.1:${stack.port}`;
      const output = stack.output();
      expect(output).toContain(`API       ${api}`);
      expect(output).toContain(`ws://127.0.0.1:${stack.port}/parties/ticket/`);
      expect(output).toContain("admin admin@parley.test / parley-admin-demo");

      // The rooms work on the API's port: a visitor's socket hears its own message.
      const session = await fetch(`${api}/v1/sessions`, { method: "POST", headers: json(), body: '{"siteKey":"pk_demo"}' });
      const { token } = (await session.json()) as { token: string };
      const created = await fetch(`${api}/v1/tickets`, { method: "POST", headers: json(token), body: JSON.stringify({ subject: "Stack check", description: "through npm start" }) });
      const { number } = (await created.json()) as { number: string };
      const connect = await fetch(`${api}/v1/realtime/token`, { method: "POST", headers: json(token), body: JSON.stringify({ ticket: number }) });
      expect(connect.status).toBe(200);
      const ticket = (await connect.json()) as { host: string; party: "ticket"; room: string; token: string };
      expect(ticket.host).toBe(`ws://127.0.0.1:${stack.port}`);
      const socket = await openRoomSocket(new URL(ticket.host).host, ticket.party, ticket.room, ticket.token);
      try {
        await socket.next((frame) => frame.type === "presence.changed", 10_000);
        const sent = await fetch(`${api}/v1/tickets/${number}/messages`, { method: "POST", headers: json(token), body: JSON.stringify({ body: "hello", clientId: "stack-check-1" }) });
        expect(sent.status).toBe(201);
        expect((await socket.next((frame) => frame.type === "message.created", 10_000)).message.body).toBe("hello");
      } finally {
        await socket.close();
      }

      // Nothing in the process tree listens beyond loopback, or anywhere but the API's port.
      const tree = processTree(stack.child.pid!);
      const inodes = new Set(tree.flatMap((pid) => [...socketInodes(pid)]));
      const listening = listeners(inodes);
      expect(listening.length).toBeGreaterThan(0);
      for (const { address } of listening) expect(LOOPBACK.has(address), `listening on ${address}`).toBe(true);
      expect([...new Set(listening.map(({ port }) => port))]).toEqual([stack.port]);
      for (const { port } of listening) expect(await speaksDevTools(port), `DevTools on ${port}`).toBe(false);

      // No secret, no inspector flag and no TypeScript loader on any command line of the tree.
      const secrets = ["parley.secret", "parley.room-secret"].map((name) => readFileSync(join(stack.dataDir, name), "utf8").trim());
      for (const secret of secrets) expect(secret).toMatch(/^[0-9a-f]{64}$/);
      for (const pid of tree) {
        let cmdline: string;
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
        } catch {
          continue; // a short-lived child that has already gone
        }
        for (const secret of secrets) expect(cmdline).not.toContain(secret);
        expect(cmdline).not.toMatch(/--inspect/);
        // Once running, the tree is compiled JavaScript: the builds (tsx, esbuild) were short children.
        expect(cmdline, `pid ${pid}`).not.toMatch(/\btsx\b|esbuild/);
      }

      // The data directory and everything secret in it are this user's only.
      expect(statSync(stack.dataDir).mode & 0o777).toBe(0o700);
      for (const name of ["parley.db", "parley.db-wal", "parley.db-shm", "parley.secret", "parley.room-secret"]) {
        expect(statSync(join(stack.dataDir, name)).mode & 0o777, name).toBe(0o600);
      }

      // Ctrl-C stops the whole tree.
      stack.child.kill("SIGINT");
      expect(await stack.exited).toBe(0);
      for (const pid of tree) {
        await new Promise<void>((resolve, reject) => {
          const deadline = Date.now() + 10_000;
          const check = () => {
            if (!existsSync(`/proc/${pid}`) || /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) return resolve();
            if (Date.now() > deadline) return reject(new Error(`process ${pid} of the stack outlived Ctrl-C`));
            setTimeout(check, 50);
          };
          check();
        });
      }
      const after = await fetch(`${api}/health`).then(
        () => "answered",
        () => "refused",
      );
      expect(after).toBe("refused");
    } finally {
      stack.cleanUp();
    }
  });

  // Passwords appear only for accounts that still accept the demo ones: the seeded agents do,
  // an admin with a configured password does not, and a configured password never appears.
  it("prints no admin password when the admin password is configured", { timeout: 120_000 }, async () => {
    const stack = await startStack({ PARLEY_ADMIN_PASSWORD: "a-password-of-our-own" });
    try {
      const output = stack.output();
      expect(output).toContain("admin admin@parley.test (password from PARLEY_ADMIN_PASSWORD)");
      expect(output).not.toContain("parley-admin-demo");
      expect(output).not.toContain("a-password-of-our-own");
      stack.child.kill("SIGTERM");
      expect(await stack.exited).toBe(0);
    } finally {
      stack.cleanUp();
    }
  });
});
