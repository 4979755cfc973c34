import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Context } from "hono";
import { createApp } from "./app.js";
import { createAddressHasher } from "./auth/address-hash.js";
import { TokenSigner } from "./auth/tokens.js";
import type { Env } from "./config.js";
import type { Services } from "./context.js";
import { openDatabase } from "./db/client.js";
import { createEmailServices } from "./delivery/email/email-setup.js";
import { demoLogins, type DemoLogin } from "./db/seed/demo-logins.js";
import { DEMO_SITE_KEY, randomHex, seedDemo } from "./db/seed/seed.js";
import { createFanout, silentFanout } from "./realtime/fanout.js";
import { createNotifier } from "./realtime/notifier.js";

/** Path of an embedded database file (`file:./data/parley.db` → `./data/parley.db`), or null for remote ones. */
export function databaseFile(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const path = url.slice("file:".length);
  return path === ":memory:" ? null : path;
}

/**
 * On the embedded setup the signing secret is generated once and kept beside the database,
 * so tokens survive restarts without any configuration. Remote databases need PARLEY_SECRET.
 */
function resolveSecret(env: Env): string {
  if (env.PARLEY_SECRET) return env.PARLEY_SECRET;
  const file = databaseFile(env.DATABASE_URL);
  if (!file) throw new Error("PARLEY_SECRET must be set (32+ characters) when DATABASE_URL is not a local file");
  const secretFile = `${dirname(file)}/parley.secret`;
  if (existsSync(secretFile)) return readFileSync(secretFile, "utf8").trim();
  const secret = randomHex(32);
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export interface Boot {
  services: Services;
  app: ReturnType<typeof createApp>;
  /** What the banner says about the database: just seeded, and which demo logins still work. */
  startup: Startup;
}

export interface Startup {
  seeded: boolean;
  demoLogins: DemoLogin[];
}

/** Opens (and if needed creates, migrates and seeds) the database and builds the app. */
export async function boot(env: Env, clientAddress: (c: Context) => string): Promise<Boot> {
  const file = databaseFile(env.DATABASE_URL);
  if (file) mkdirSync(dirname(file), { recursive: true });
  const db = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN ? { authToken: env.DATABASE_AUTH_TOKEN } : {});
  const trustProxy = env.PARLEY_TRUST_PROXY === "1";
  const log = (message: string, error?: unknown) => console.error(`[parley] ${message}`, error ?? "");
  if (env.PARLEY_REALTIME_URL && !env.PARLEY_ROOM_SECRET) throw new Error("PARLEY_REALTIME_URL needs PARLEY_ROOM_SECRET, the secret the rooms were started with");
  const realtime = env.PARLEY_REALTIME_URL && env.PARLEY_ROOM_SECRET ? { url: env.PARLEY_REALTIME_URL.replace(/\/$/, ""), secret: env.PARLEY_ROOM_SECRET } : null;
  const secret = resolveSecret(env);
  const email = createEmailServices(
    {
      smtpUrl: env.PARLEY_SMTP_URL,
      from: env.PARLEY_MAIL_FROM,
      publicUrl: env.PARLEY_PUBLIC_URL ?? `http://localhost:${env.PORT}`,
      inboundSecret: env.PARLEY_INBOUND_SECRET,
      // Beside the database on the embedded setup; ./data/mail/ otherwise.
      mailDir: join(file ? dirname(file) : "data", "mail"),
    },
    { secret, orm: db.orm, now: Date.now, log },
  );
  const services: Services = {
    db,
    tokens: new TokenSigner(secret),
    now: Date.now,
    passwordIterations: env.PARLEY_PBKDF2_ITERATIONS,
    rateLimits: env.PARLEY_RATE_LIMITS === "on",
    clientAddress: (c) => (trustProxy ? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() : undefined) || clientAddress(c),
    addressHash: createAddressHasher(secret),
    log,
    fanout: realtime ? createFanout(db.orm, createNotifier({ ...realtime, now: Date.now, log }), log) : silentFanout,
    realtime,
    email,
  };
  const { seeded } =
    env.PARLEY_SEED === "1"
      ? await seedDemo(db, {
          adminEmail: env.PARLEY_ADMIN_EMAIL,
          adminPassword: env.PARLEY_ADMIN_PASSWORD,
          passwordIterations: env.PARLEY_PBKDF2_ITERATIONS,
          demoOrigins: [`http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`],
        })
      : { seeded: false };
  const startup = { seeded, demoLogins: await demoLogins(db, env.PARLEY_ADMIN_EMAIL) };
  return { services, app: createApp(services), startup };
}

/**
 * What the API prints once it listens. Passwords appear only for the seeded accounts that
 * still accept their demo ones (see demoLogins); a configured admin password is never shown.
 */
export function banner(env: Env, startup: Startup, runtime: string): string {
  const base = `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`;
  const admin = startup.demoLogins.find((login) => login.role === "admin");
  const agents = startup.demoLogins.filter((login) => login.role === "agent");
  return [
    `Parley API (${runtime}) listening on ${base}`,
    `  home      ${base}/`,
    `  demo      ${base}/demo (site key ${DEMO_SITE_KEY})`,
    `  docs      ${base}/docs`,
    `  health    ${base}/health`,
    `  database  ${env.DATABASE_URL}${startup.seeded ? " (created and seeded)" : ""}`,
    `  admin     ${admin ? `${admin.email} / ${admin.password} (demo password)` : env.PARLEY_ADMIN_EMAIL.toLowerCase()}`,
    ...(agents.length ? [`  agents    ${agents.map((login) => login.email).join(", ")} / ${agents[0]!.password} (demo password)`] : []),
    `  realtime  ${env.PARLEY_REALTIME_URL ?? "off (set PARLEY_REALTIME_URL and PARLEY_ROOM_SECRET)"}`,
    `  email     ${env.PARLEY_SMTP_URL ? `SMTP ${new URL(env.PARLEY_SMTP_URL).host}` : ".eml files under data/mail/ (set PARLEY_SMTP_URL to send)"}; inbound ${env.PARLEY_INBOUND_SECRET ? "on" : "off (set PARLEY_INBOUND_SECRET)"}`,
    ...(env.PARLEY_RATE_LIMITS === "off" ? ["  rate limits OFF (PARLEY_RATE_LIMITS=off): for benchmarks only"] : []),
  ].join("\n");
}
