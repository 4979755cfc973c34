import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAgentClient, type ParleyAgentClient } from "@parley/sdk";
import { startRealtimeStack, type RealtimeStack } from "../support/rooms.js";
import { ADMIN, AGENT_PASSWORD, type RunningApi } from "../support/server.js";

/**
 * The examples are the smoke test for the SDK on each runtime: a Bun agent bot answers a Node
 * visitor and then a Deno visitor from the help centre, through the real API and rooms. Each
 * example runs as a child process exactly as `npm run example:*` runs it.
 */

const ROOM_SECRET = "room-secret-for-runtime-tests-0123456789";
const root = new URL("../..", import.meta.url).pathname;
const bin = (name: string) => join(root, "node_modules", ".bin", name);

const commands = {
  node: [bin("tsx"), ["examples/node-visitor.ts"]],
  deno: [bin("deno"), ["run", "--allow-all", "--unstable-sloppy-imports", "examples/deno-visitor.ts"]],
  bun: [bin("bun"), ["examples/bun-agent-bot.ts"]],
} as const;

let stack: RealtimeStack;
let api: RunningApi;
let ada: ParleyAgentClient;
let demoSiteId: string;
let nodeTicket: string;
const running = new Set<ChildProcess>();

beforeAll(async () => {
  // The default room runtime (in-process), as `npm start` runs it; the realtime suite covers partykit dev too.
  stack = await startRealtimeStack({ secret: ROOM_SECRET, rooms: "inprocess" });
  api = stack.api;
  const admin = await createAgentClient({ baseUrl: api.url, credentials: ADMIN });
  demoSiteId = (await admin.admin.sites.list({ limit: 100 })).items.find((site) => site.key === "pk_demo")!.id;
  ada = await createAgentClient({ baseUrl: api.url, credentials: { email: "ada@parley.test", password: AGENT_PASSWORD } });
});
afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
});
afterAll(async () => {
  await stack?.stop();
});

interface Run {
  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; stdout: string[]; stderr: string }>;
}

/** Runs an example under its runtime with the stack's address in the environment. */
function runExample(runtime: keyof typeof commands, env: Record<string, string> = {}): Run {
  const [command, args] = commands[runtime];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, PARLEY_URL: api.url, PARLEY_SITE: "pk_demo", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const stdout: string[] = [];
  let stderr = "";
  let partial = "";
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      stdout.push(line);
      for (const waiter of waiters) if (waiter.pattern.test(line)) (waiters.delete(waiter), waiter.resolve(line));
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string[]; stderr: string }>((resolve) =>
    child.once("exit", (code) => {
      running.delete(child);
      if (partial) stdout.push(partial);
      resolve({ code, stdout, stderr });
    }),
  );
  const report = () => `${runtime} ${args.at(-1)} printed:\n${stdout.join("\n")}\nstderr:\n${stderr}`;
  return {
    exited,
    line(pattern, timeoutMs = 30_000) {
      const seen = stdout.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; ${report()}`)), timeoutMs);
        const waiter = { pattern, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`exited before printing a line matching ${pattern}; ${report()}`));
        });
      });
    },
  };
}

/** Starts the bot for one answer and waits until it is listening. */
async function startBot(): Promise<Run> {
  const bot = runExample("bun", { PARLEY_BOT_MAX: "1", PARLEY_SITE_ID: demoSiteId, PARLEY_BOT_POLL_MS: "1000" });
  await bot.line(/^bot ready: /);
  return bot;
}

const REFUND_ARTICLE = /^reply from .+: This article should help: "Refunds, failed payments and disputed charges" \(help article: refunds-and-failed-payments\)/;

async function chatWithBot(visitorRuntime: "node" | "deno", question: string) {
  const bot = await startBot();
  const visitor = runExample(visitorRuntime, { PARLEY_QUESTION: question, PARLEY_WAIT_MS: "20000" });
  const [seen, answered] = await Promise.all([visitor.exited, bot.exited]);
  expect(seen.code, seen.stderr).toBe(0);
  expect(answered.code, answered.stderr).toBe(0);
  expect(seen.stdout[0]).toMatch(/^connected to Acme Cloud \(\d+ agents online\)$/);
  const number = seen.stdout[1]!.match(/^opened ticket (TKT-\d{4}-\d{6,}) \(open\)$/)?.[1];
  expect(number, seen.stdout.join("\n")).toBeDefined();
  expect(seen.stdout).toContain(`sent message #1: ${question}`);
  expect(seen.stdout.at(-1)).toBe("done");
  expect(answered.stdout[0]).toMatch(/^bot ready: Ada \S+ answering from pk_demo's help centre, watching 1 site room$/);
  expect(answered.stdout.slice(1)).toEqual([expect.stringMatching(new RegExp(`^answered ${number} #1 with `)), "bot done: answered 1 message"]);
  return { number: number!, visitor: seen.stdout, bot: answered.stdout };
}

describe("the examples on Node, Bun and Deno", () => {
  it("a Bun agent bot answers a Node visitor with the refunds article", async () => {
    const { number, visitor, bot } = await chatWithBot("node", "How do I get a refund after a chargeback?");
    expect(visitor).toEqual(expect.arrayContaining([expect.stringMatching(REFUND_ARTICLE)]));
    expect(bot[1]).toBe(`answered ${number} #1 with refunds-and-failed-payments`);
    // On the server: the question and one reply, read by the visitor.
    const messages = await ada.tickets.messages(number);
    expect(messages.items.map((m) => [m.seq, m.senderType])).toEqual([
      [1, "customer"],
      [2, "agent"],
    ]);
    expect((await ada.tickets.get(number)).source).toBe("chat");
    nodeTicket = number;
  });

  it("a fresh Bun bot answers a Deno visitor, leaving the earlier ticket alone", async () => {
    const { number, visitor, bot } = await chatWithBot("deno", "How do I get a refund after a chargeback?");
    expect(visitor).toEqual(expect.arrayContaining([expect.stringMatching(REFUND_ARTICLE)]));
    expect(bot[1]).toBe(`answered ${number} #1 with refunds-and-failed-payments`);
    expect((await ada.tickets.messages(number)).items).toHaveLength(2);
    // The new bot saw the Node visitor's ticket and its own earlier reply, and did not answer again.
    expect((await ada.tickets.messages(nodeTicket)).items).toHaveLength(2);
  });

  it.each([
    ["when asked for a person", "Can I talk to a human please?", /^reply from .+: Of course: a person from the team will answer here shortly\.$/],
    ["when no article fits", "My quokka chewed through the zeppelin", /^reply from .+: I could not find a help article for that/],
  ])("hands off %s", async (_case, question, line) => {
    const { visitor, bot } = await chatWithBot("node", question);
    expect(visitor).toEqual(expect.arrayContaining([expect.stringMatching(line)]));
    expect(bot[1]).toMatch(/with a handoff$/);
  });
});
