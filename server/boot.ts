import { dirname, join } from "node:path";
import type { Context } from "hono";
import { createApp } from "./app.js";
import { createAiProvider } from "./assistant/provider.js";
import { createAddressHasher } from "./auth/address-hash.js";
import { TokenSigner } from "./auth/tokens.js";
import type { Env } from "./config.js";
import type { Services } from "./context.js";
import { databaseFile, preparePrivateDatabase, privateSecret } from "./data-dir.js";
import { openDatabase, type DatabaseOptions } from "./db/client.js";
import { createReferenceCache } from "./db/reference-cache.js";
import { createWebhookEndpointCache } from "./db/webhook-endpoint-cache.js";
import { createEmailServices } from "./delivery/email/email-setup.js";
import { demoLogins, type DemoLogin } from "./db/seed/demo-logins.js";
import { DEMO_SITE_KEY, randomHex, seedDemo } from "./db/seed/seed.js";
import { createDeliveryRuntime, type DeliveryRuntime } from "./delivery/delivery-runtime.js";
import { webhookChannel } from "./delivery/webhooks/webhook-channel.js";
import { liveDrafts } from "./assistant/live-drafts.js";
import { createMessageIndexer } from "./tickets/message-index.js";
import { httpDelivery, type RoomDelivery } from "./realtime/notifier.js";
import { createTicketRoomMemory } from "./realtime/revocation.js";
import { allJobs } from "./jobs/all-jobs.js";
import { createJobs, type Jobs } from "./jobs/scheduler.js";
import { inProcessDelivery } from "./rooms/in-process-delivery.js";
import { RoomHost } from "./rooms/room-host.js";

export { databaseFile } from "./data-dir.js";

/**
 * On the embedded setup the signing secret is generated once and kept beside the database,
 * so tokens survive restarts without any configuration. Remote databases need PARLEY_SECRET.
 */
function resolveSecret(env: Env): string {
  if (env.PARLEY_SECRET) return env.PARLEY_SECRET;
  const file = databaseFile(env.DATABASE_URL);
  if (!file) throw new Error("PARLEY_SECRET must be set (32+ characters) when DATABASE_URL is not a local file");
  return privateSecret(file, "parley.secret");
}

/**
 * In-process rooms share the secret with nobody but this process: read from the environment,
 * else kept beside an embedded database (so connect tickets survive a restart), else made up
 * for this run. It never travels on a command line.
 */
function inProcessRoomSecret(env: Env): string {
  if (env.PARLEY_ROOM_SECRET) return env.PARLEY_ROOM_SECRET;
  const file = databaseFile(env.DATABASE_URL);
  return file ? privateSecret(file, "parley.room-secret") : randomHex(32);
}

/** What the runtime entry can do with WebSockets. */
export interface BootOptions {
  /** True when the entry serves room WebSockets on its own port (see server/rooms/). */
  hostsRooms: boolean;
  /** Sees every statement the embedded database runs (tests count them). */
  onStatement?: DatabaseOptions["onStatement"];
  /**
   * The clock (epoch ms) of the commands and the scheduled jobs; Date.now unless a test drives
   * time. Delivery (retries, leases of outbox entries) and signed links keep the real clock.
   */
  now?: () => number;
}

export interface Boot {
  services: Services;
  app: ReturnType<typeof createApp>;
  /** What the banner says about the database: just seeded, and which demo logins still work. */
  startup: Startup;
  /** The in-process room host the entry must serve WebSockets for, or null (rooms elsewhere or off). */
  rooms: RoomHost | null;
  /** The outbox dispatcher: the entry starts it and stops it on shutdown. */
  delivery: DeliveryRuntime;
  /** The scheduled jobs: the entry starts their timers after the dispatcher (unless PARLEY_JOBS=off) and stops them first on shutdown. */
  jobs: Jobs;
}

export interface Startup {
  seeded: boolean;
  demoLogins: DemoLogin[];
}

/**
 * Opens (and if needed creates, migrates and seeds) the database and builds the app.
 * `options.onStatement` sees every statement the embedded database runs (tests count them).
 */
export async function boot(env: Env, clientAddress: (c: Context) => string, options: BootOptions): Promise<Boot> {
  const file = databaseFile(env.DATABASE_URL);
  if (file) preparePrivateDatabase(file);
  const db = await openDatabase(env.DATABASE_URL, {
    ...(env.DATABASE_AUTH_TOKEN ? { authToken: env.DATABASE_AUTH_TOKEN } : {}),
    ...(options.onStatement ? { onStatement: options.onStatement } : {}),
  });
  const trustProxy = env.PARLEY_TRUST_PROXY === "1";
  const now = options.now ?? Date.now;
  const log = (message: string, error?: unknown) => console.error(`[parley] ${message}`, error ?? "");
  if (env.PARLEY_REALTIME_URL && !env.PARLEY_ROOM_SECRET) throw new Error("PARLEY_REALTIME_URL needs PARLEY_ROOM_SECRET, the secret the rooms were started with");

  let rooms: RoomHost | null = null;
  let realtime: Services["realtime"] = null;
  let delivery: RoomDelivery | null = null;
  if (env.PARLEY_REALTIME_URL && env.PARLEY_ROOM_SECRET) {
    const url = env.PARLEY_REALTIME_URL.replace(/\/$/, "");
    const secret = env.PARLEY_ROOM_SECRET;
    const socketUrl = url.replace(/^http/, "ws");
    realtime = { secret, url: () => socketUrl };
    delivery = httpDelivery({ url, secret, now: Date.now });
  } else if (env.PARLEY_ROOMS === "in-process" && options.hostsRooms) {
    const secret = inProcessRoomSecret(env);
    rooms = new RoomHost({ env: { PARLEY_ROOM_SECRET: secret }, log });
    realtime = {
      secret,
      // The rooms answer wherever the client reached this API.
      url: (c) => {
        const url = new URL(c.req.url);
        const forwarded = trustProxy ? c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
        const secure = forwarded ? forwarded === "https" : url.protocol === "https:";
        return `${secure ? "wss" : "ws"}://${url.host}`;
      },
    };
    delivery = inProcessDelivery(rooms);
  }

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
  const reference = createReferenceCache(db.orm);
  // Started by the runtime entry once it listens, stopped on shutdown; commands hand it their
  // room entries after each commit.
  const webhooks = webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: env.PARLEY_WEBHOOKS_ALLOW_PRIVATE === "1" });
  const deliveryRuntime = createDeliveryRuntime({
    db,
    rooms: delivery,
    categories: () => reference.categories(),
    log,
    webhooks,
    email: email.channel,
    now,
  });
  const services: Services = {
    db,
    reference,
    webhookEndpoints: createWebhookEndpointCache(),
    tokens: new TokenSigner(secret),
    now,
    passwordIterations: env.PARLEY_PBKDF2_ITERATIONS,
    rateLimits: env.PARLEY_RATE_LIMITS === "on",
    clientAddress: (c) => (trustProxy ? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() : undefined) || clientAddress(c),
    addressHash: createAddressHasher(secret),
    log,
    outbox: deliveryRuntime,
    ticketRooms: createTicketRoomMemory(),
    realtime,
    webhooks,
    dispatcher: deliveryRuntime.dispatcher,
    email,
    jobs: createJobs({ db, now, outbox: deliveryRuntime, log, jobs: allJobs, server: `server-${randomHex(4)}` }),
    attachmentOrigin: env.PARLEY_ATTACHMENT_ORIGIN ?? null,
    assistantDrafts: delivery ? liveDrafts(delivery, log) : null,
    messageIndex: createMessageIndexer(db, log),
    ai: env.PARLEY_AI_URL ? createAiProvider({ url: env.PARLEY_AI_URL, key: env.PARLEY_AI_KEY, model: env.PARLEY_AI_MODEL, timeoutMs: env.PARLEY_AI_TIMEOUT_MS }) : null,
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
  const app = createApp(services);
  // PartyKit's HTTP side of a room (its onRequest: signed notify calls) at the same paths.
  if (rooms) {
    const host = rooms;
    app.all("/parties/:party/:room", (c) => host.request(c.req.raw));
  }
  return { services, app, startup, rooms, delivery: deliveryRuntime, jobs: services.jobs };
}

/**
 * What the API prints once it listens. Passwords appear only for the seeded accounts that
 * still accept their demo ones (see demoLogins); a configured admin password is never shown.
 */
export function banner(env: Env, startup: Startup, runtime: string, rooms: RoomHost | null): string {
  const base = `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`;
  const admin = startup.demoLogins.find((login) => login.role === "admin");
  const agents = startup.demoLogins.filter((login) => login.role === "agent");
  const realtime = env.PARLEY_REALTIME_URL
    ? `${env.PARLEY_REALTIME_URL} (PartyKit)`
    : rooms
      ? `${base.replace(/^http/, "ws")}/parties/<party>/<room> (in-process)`
      : env.PARLEY_ROOMS === "off"
        ? "off (PARLEY_ROOMS=off; set PARLEY_REALTIME_URL and PARLEY_ROOM_SECRET for PartyKit rooms)"
        : `off (${runtime} cannot host rooms here; set PARLEY_REALTIME_URL and PARLEY_ROOM_SECRET for PartyKit rooms)`;
  return [
    `Parley API (${runtime}) listening on ${base}`,
    `  home      ${base}/`,
    `  demo      ${base}/demo (site key ${DEMO_SITE_KEY})`,
    `  docs      ${base}/docs`,
    `  health    ${base}/health`,
    `  database  ${env.DATABASE_URL}${startup.seeded ? " (created and seeded)" : ""}`,
    `  admin     ${admin ? `${admin.email} / ${admin.password} (demo password)` : env.PARLEY_ADMIN_EMAIL.toLowerCase()}`,
    ...(agents.length ? [`  agents    ${agents.map((login) => login.email).join(", ")} / ${agents[0]!.password} (demo password)`] : []),
    `  realtime  ${realtime}`,
    `  email     ${env.PARLEY_SMTP_URL ? `SMTP ${new URL(env.PARLEY_SMTP_URL).host}` : ".eml files under data/mail/ (set PARLEY_SMTP_URL to send)"}; inbound ${env.PARLEY_INBOUND_SECRET ? "on" : "off (set PARLEY_INBOUND_SECRET)"}`,
    `  jobs      ${env.PARLEY_JOBS === "on" ? "scheduled here (UTC cron; leases share them with other servers)" : "off here (PARLEY_JOBS=off)"}: npm run parley -- jobs list`,
    ...(env.PARLEY_RATE_LIMITS === "off" ? ["  rate limits OFF (PARLEY_RATE_LIMITS=off): for benchmarks only"] : []),
    ...(env.PARLEY_WEBHOOKS_ALLOW_PRIVATE === "1" ? ["  webhooks  may reach loopback and private addresses (PARLEY_WEBHOOKS_ALLOW_PRIVATE=1): for development only"] : []),
  ].join("\n");
}
