import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/server.js";

const root = new URL("../..", import.meta.url).pathname;

const answers = (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  );

describe("npm start", () => {
  it("runs the API and the rooms together, says where they are, and stops both on Ctrl-C", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-stack-"));
    const [apiPort, roomPort] = [await freePort(), await freePort()];
    const stack = spawn(join(root, "node_modules/.bin/tsx"), ["scripts/stack.ts"], {
      cwd: root,
      env: { ...process.env, PORT: String(apiPort), PARTYKIT_PORT: String(roomPort), DATABASE_URL: `file:${join(dir, "parley.db")}`, PARLEY_PBKDF2_ITERATIONS: "1000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    stack.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    stack.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes("Parley is running.")) {
        if (stack.exitCode !== null || Date.now() > deadline) throw new Error(`stack did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(output).toContain(`http://127.0.0.1:${apiPort}`);
      expect(output).toContain(`ws://127.0.0.1:${roomPort}/parties/ticket/`);
      expect(output).toMatch(/realtime\s+http:\/\/127\.0\.0\.1:\d+/);

      const health = await fetch(`http://127.0.0.1:${apiPort}/health`);
      expect(health.status).toBe(200);
      const session = await fetch(`http://127.0.0.1:${apiPort}/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"siteKey":"pk_demo"}' });
      const { token } = (await session.json()) as { token: string };
      const ticket = await fetch(`http://127.0.0.1:${apiPort}/v1/tickets`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ subject: "Stack check", description: "through npm start" }),
      });
      const { number } = (await ticket.json()) as { number: string };
      const connect = await fetch(`http://127.0.0.1:${apiPort}/v1/realtime/token`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ ticket: number }),
      });
      expect(connect.status).toBe(200);
      expect(await answers(`http://127.0.0.1:${roomPort}/`)).toBe(true);

      const exited = new Promise<number | null>((resolve) => stack.once("exit", (code) => resolve(code)));
      stack.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(await answers(`http://127.0.0.1:${apiPort}/health`)).toBe(false);
      expect(await answers(`http://127.0.0.1:${roomPort}/`)).toBe(false);
    } finally {
      if (stack.exitCode === null) stack.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
