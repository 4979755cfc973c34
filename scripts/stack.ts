/**
 * `npm start`: the whole product on one machine. Builds the widget (dist/widget, about a
 * second), starts the API and the PartyKit rooms (`partykit dev`), waits until both answer,
 * prints where everything is, and stops both on Ctrl-C or when either one exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { buildWidgetIfStale } from "../widget/build.js";

const root = join(import.meta.dirname, "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
const apiPort = Number(process.env.PORT ?? 8787);
const roomPort = Number(process.env.PARTYKIT_PORT ?? 1999);
const host = process.env.HOST ?? "127.0.0.1";
const databaseUrl = process.env.DATABASE_URL ?? "file:./data/parley.db";

/** The secret shared by the API and the rooms; kept beside the embedded database so restarts agree. */
function roomSecret(): string {
  if (process.env.PARLEY_ROOM_SECRET) return process.env.PARLEY_ROOM_SECRET;
  const file = databaseUrl.startsWith("file:") ? join(dirname(databaseUrl.slice(5)), "parley.room-secret") : null;
  if (!file) throw new Error("set PARLEY_ROOM_SECRET (32+ characters) when DATABASE_URL is not a local file");
  mkdirSync(dirname(file), { recursive: true });
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

const children: { name: string; process: ChildProcess }[] = [];
let stopping = false;

function start(name: string, command: string, args: string[], env: Record<string, string>) {
  // Each child leads its own process group so that stopping it also stops what it spawned.
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const prefix = (line: string) => `${name.padEnd(5)} | ${line}`;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) console.log(prefix(line));
    });
  }
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(prefix(`exited (${signal ?? code}); stopping the stack`));
    void stop(1);
  });
  children.push({ name, process: child });
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(({ process: child }) => {
      if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch (error) {
          // ESRCH: the group is already gone, which is what we wanted.
          if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
        }
      };
      signalGroup("SIGTERM");
      const force = setTimeout(() => signalGroup("SIGKILL"), 5_000);
      return exited.finally(() => clearTimeout(force));
    }),
  );
  process.exit(code);
}

async function waitFor(name: string, url: string, deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${name} did not answer at ${url} within ${deadlineMs / 1000} s`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

// The API serves the widget from dist/widget; without a build /demo and /parley.js answer 404.
try {
  const files = await buildWidgetIfStale();
  const loader = files?.find(({ file }) => file === "parley.js");
  console.log(loader ? `widget | built dist/widget (parley.js ${(loader.gzip / 1024).toFixed(1)} KB gzip)` : "widget | dist/widget is up to date");
} catch (error) {
  console.error(`widget | build failed, the API starts without it: ${error instanceof Error ? error.message : error}`);
}

const secret = roomSecret();
const roomUrl = `http://${host}:${roomPort}`;
start("rooms", bin("partykit"), ["dev", "--port", String(roomPort), "--disable-request-cf-fetch", "--no-hotkeys", "--var", `PARLEY_ROOM_SECRET=${secret}`], {
  CI: "true",
  NO_UPDATE_NOTIFIER: "1",
});
start("api", bin("tsx"), ["server/runtime/node.ts"], {
  PORT: String(apiPort),
  HOST: host,
  DATABASE_URL: databaseUrl,
  PARLEY_REALTIME_URL: roomUrl,
  PARLEY_ROOM_SECRET: secret,
});

try {
  await Promise.all([waitFor("API", `http://${host}:${apiPort}/health`, 60_000), waitFor("rooms", roomUrl, 60_000)]);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}

const api = `http://${host === "0.0.0.0" ? "localhost" : host}:${apiPort}`;
console.log(
  [
    "",
    "Parley is running.",
    `  API       ${api}  (docs ${api}/docs)`,
    `  rooms     ws://${host}:${roomPort}/parties/ticket/<ticket id>`,
    `  widget    ${api}/demo  (embed: <script src="${api}/parley.js" data-site="pk_demo" async></script>)`,
    "  demo      site key pk_demo · admin admin@parley.test / parley-admin-demo · agents ada@parley.test … / parley-agent-demo",
    "  Ctrl-C stops everything.",
    "",
  ].join("\n"),
);
