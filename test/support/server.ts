import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Runtime = "node" | "bun" | "deno";

export const TEST_SECRET = "test-secret-that-is-long-enough-0123456789";
export const ADMIN = { email: "admin@parley.test", password: "parley-admin-test" };
export const AGENT_PASSWORD = "parley-agent-demo";

const root = new URL("../..", import.meta.url).pathname;

/** The runtime the API suite runs on; vitest projects set it (see vitest.config.ts). */
export const runtime = (process.env.PARLEY_TEST_RUNTIME ?? "node") as Runtime;

function commandFor(rt: Runtime): [string, string[]] {
  const bin = (name: string) => join(root, "node_modules", ".bin", name);
  switch (rt) {
    case "node":
      return [bin("tsx"), ["server/runtime/node.ts"]];
    case "bun":
      return [bin("bun"), ["server/runtime/bun.ts"]];
    case "deno":
      return [bin("deno"), ["run", "--allow-all", "--unstable-sloppy-imports", "server/runtime/deno.ts"]];
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningApi {
  url: string;
  dbFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the real API as a child process on a fresh libSQL file and waits for /health.
 * Each test file gets its own server and database.
 */
export async function startApi(options: { env?: Record<string, string>; runtime?: Runtime; dbFile?: string; port?: number } = {}): Promise<RunningApi> {
  // A given file is shared with other servers (and removed by whoever made it); else a fresh one.
  const dir = options.dbFile ? null : mkdtempSync(join(tmpdir(), "parley-test-"));
  const dbFile = options.dbFile ?? join(dir!, "parley.db");
  // A given port lets a test bring a server back where its clients expect it.
  const port = options.port ?? (await freePort());
  const [command, args] = commandFor(options.runtime ?? runtime);
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${dbFile}`,
      PARLEY_SECRET: TEST_SECRET,
      PARLEY_ADMIN_EMAIL: ADMIN.email,
      PARLEY_ADMIN_PASSWORD: ADMIN.password,
      PARLEY_PBKDF2_ITERATIONS: "1000",
      NO_COLOR: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited early (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet; retry below until the deadline
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`API did not answer /health within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    dbFile,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
