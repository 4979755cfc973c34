import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Context } from "hono";
import { createApp } from "./app.js";
import { TokenSigner } from "./auth/tokens.js";
import type { Env } from "./config.js";
import type { Services } from "./context.js";
import { openDatabase, type DatabaseOptions } from "./db/client.js";
import { createReferenceCache } from "./db/reference-cache.js";
import { randomHex, seedDemo } from "./db/seed/seed.js";
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
  seeded: boolean;
}

/**
 * Opens (and if needed creates, migrates and seeds) the database and builds the app.
 * `options.onStatement` sees every statement the embedded database runs (tests count them).
 */
export async function boot(env: Env, clientAddress: (c: Context) => string, options: Pick<DatabaseOptions, "onStatement"> = {}): Promise<Boot> {
  const file = databaseFile(env.DATABASE_URL);
  if (file) mkdirSync(dirname(file), { recursive: true });
  const db = await openDatabase(env.DATABASE_URL, { ...(env.DATABASE_AUTH_TOKEN ? { authToken: env.DATABASE_AUTH_TOKEN } : {}), ...options });
  const trustProxy = env.PARLEY_TRUST_PROXY === "1";
  const log = (message: string, error?: unknown) => console.error(`[parley] ${message}`, error ?? "");
  if (env.PARLEY_REALTIME_URL && !env.PARLEY_ROOM_SECRET) throw new Error("PARLEY_REALTIME_URL needs PARLEY_ROOM_SECRET, the secret the rooms were started with");
  const realtime = env.PARLEY_REALTIME_URL && env.PARLEY_ROOM_SECRET ? { url: env.PARLEY_REALTIME_URL.replace(/\/$/, ""), secret: env.PARLEY_ROOM_SECRET } : null;
  const services: Services = {
    db,
    reference: createReferenceCache(db.orm),
    tokens: new TokenSigner(resolveSecret(env)),
    now: Date.now,
    passwordIterations: env.PARLEY_PBKDF2_ITERATIONS,
    rateLimits: env.PARLEY_RATE_LIMITS === "on",
    clientAddress: (c) => (trustProxy ? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() : undefined) || clientAddress(c),
    log,
    fanout: realtime ? createFanout(db.orm, createNotifier({ ...realtime, now: Date.now, log }), log) : silentFanout,
    realtime,
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
  return { services, app: createApp(services), seeded };
}

export function banner(env: Env, seeded: boolean, runtime: string): string {
  const base = `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`;
  return [
    `Parley API (${runtime}) listening on ${base}`,
    `  docs      ${base}/docs`,
    `  health    ${base}/health`,
    `  database  ${env.DATABASE_URL}${seeded ? " (created and seeded)" : ""}`,
    `  demo site key pk_demo; admin ${env.PARLEY_ADMIN_EMAIL} / ${env.PARLEY_ADMIN_PASSWORD === "parley-admin-demo" ? "parley-admin-demo" : "(from PARLEY_ADMIN_PASSWORD)"}`,
    `  realtime  ${env.PARLEY_REALTIME_URL ?? "off (set PARLEY_REALTIME_URL and PARLEY_ROOM_SECRET)"}`,
    ...(env.PARLEY_RATE_LIMITS === "off" ? ["  rate limits OFF (PARLEY_RATE_LIMITS=off): for benchmarks only"] : []),
  ].join("\n");
}
