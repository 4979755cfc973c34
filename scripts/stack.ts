/**
 * `npm start`: the whole product on one machine, as one long-lived process (scripts/start.js
 * runs this file compiled, so no TypeScript loader stays in memory). Builds the
 * widget and the inbox when their sources changed (short child processes, so vite never stays in memory),
 * then runs the API with the rooms hosted in it, on one port, bound to loopback unless HOST
 * says otherwise. Prints where everything is; Ctrl-C stops it.
 *
 * Safe by default: no debugger or inspector, no secret on any command line (the API keeps its
 * secrets in ./data/, mode 600), and every file it creates readable by this user only.
 */
import { spawn } from "node:child_process";
import inspector from "node:inspector";
import { fileURLToPath } from "node:url";
import { readEnv } from "../server/config.js";
import { startNodeServer, stopOnSignals } from "../server/runtime/node-server.js";

// Files and directories this process creates (database, WAL/SHM, secrets, mail) are private.
process.umask(0o077);
// An inspector would let anyone who reaches its port read the secrets out of this process.
if (inspector.url()) {
  inspector.close();
  console.error("stack  | closed the inspector that NODE_OPTIONS or a flag opened: npm start never runs with one");
}

const root = fileURLToPath(new URL("..", import.meta.url));
const prefix = (name: string, text: string) =>
  text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => `${name.padEnd(6)} | ${line}`)
    .join("\n");

if (process.env.PARTYKIT_PORT) {
  console.error(prefix("stack", "PARTYKIT_PORT is no longer used: the rooms answer on the API's port. For PartyKit rooms set PARLEY_REALTIME_URL and PARLEY_ROOM_SECRET."));
}

/** Runs a build script as a short child process; answers its exit code and output. */
async function runBuild(script: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, "--if-stale"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve(exitCode));
  });
  return { code, output };
}

/** The API serves the widget from dist/widget; without a build /demo and /parley.js answer 404. */
async function buildWidget(): Promise<void> {
  const { code, output } = await runBuild("widget/build.ts");
  if (code === 0) {
    const loader = /^parley\.js\s.*?([\d.]+) KB gzip$/m.exec(output);
    console.log(prefix("widget", loader ? `built dist/widget (parley.js ${loader[1]} KB gzip)` : "dist/widget is up to date"));
  } else {
    console.error(prefix("widget", `build failed (exit ${code}), the API starts without it:\n${output}`));
  }
}

/** The API serves the inbox from dist/inbox; without a build /inbox answers 404. */
async function buildInbox(): Promise<void> {
  const { code, output } = await runBuild("inbox/build.ts");
  if (code === 0) {
    const first = /^first screen JS ([\d.]+) KB gzip/m.exec(output);
    console.log(prefix("inbox", first ? `built dist/inbox (first screen ${first[1]} KB gzip)` : "dist/inbox is up to date"));
  } else {
    console.error(prefix("inbox", `build failed (exit ${code}), the API starts without it:\n${output}`));
  }
}

const env = readEnv(process.env);
await buildWidget();
await buildInbox();
const api = await startNodeServer(env).catch((error: unknown) => {
  console.error(prefix("api", `could not start: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(1);
});

stopOnSignals(api, (error) => console.error(prefix("api", `stopping failed: ${error instanceof Error ? error.message : String(error)}`)));

const base = `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${api.port}`;
const rooms = env.PARLEY_REALTIME_URL
  ? `${env.PARLEY_REALTIME_URL.replace(/^http/, "ws")}/parties/ticket/<ticket id>  (PartyKit)`
  : api.rooms
    ? `${base.replace(/^http/, "ws")}/parties/ticket/<ticket id>  (in-process, on the API's port)`
    : "off (PARLEY_ROOMS=off)";
// Passwords only for the seeded accounts that still accept their demo ones; never a configured one.
const admin = api.startup.demoLogins.find((login) => login.role === "admin");
const agents = api.startup.demoLogins.filter((login) => login.role === "agent");
const demoLogin = [
  `  demo      site key pk_demo · admin ${admin ? `${admin.email} / ${admin.password}` : `${env.PARLEY_ADMIN_EMAIL} (password from PARLEY_ADMIN_PASSWORD)`}`,
  ...(agents.length ? [`            agents ${agents.map((login) => login.email).join(", ")} / ${agents[0]!.password}`] : []),
].join("\n");
console.log(
  [
    "",
    "Parley is running.",
    `  API       ${base}  (docs ${base}/docs)`,
    `  rooms     ${rooms}`,
    `  widget    ${base}/demo  (embed: <script src="${base}/parley.js" data-site="pk_demo" async></script>)`,
    `  inbox     ${base}/inbox  (sign in with a demo login below)`,
    `  data      ${env.DATABASE_URL}${api.startup.seeded ? " (created and seeded)" : ""}`,
    demoLogin,
    ...(env.PARLEY_RATE_LIMITS === "off" ? ["  rate limits OFF (PARLEY_RATE_LIMITS=off): for benchmarks only"] : []),
    "  Ctrl-C stops everything.",
    "",
  ].join("\n"),
);
