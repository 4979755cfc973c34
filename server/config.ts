import { z } from "zod";

/** What the admin's password is when PARLEY_ADMIN_PASSWORD is not set (the banner shows it while it works). */
export const DEMO_ADMIN_PASSWORD = "parley-admin-demo";

/** Everything the server reads from its environment, parsed once at start. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.string().default("file:./data/parley.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /** Signs visitor and agent tokens. Generated and kept in ./data/ when unset on the embedded setup. */
  PARLEY_SECRET: z.string().min(32, "PARLEY_SECRET needs at least 32 characters").optional(),
  PARLEY_ADMIN_EMAIL: z.email().default("admin@parley.test"),
  PARLEY_ADMIN_PASSWORD: z.string().min(10).default(DEMO_ADMIN_PASSWORD),
  /** Trust X-Forwarded-For for client addresses (only behind a proxy you run). */
  PARLEY_TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  /** Cost of the password KDF; lower only in tests. */
  PARLEY_PBKDF2_ITERATIONS: z.coerce.number().int().min(1_000).default(210_000),
  PARLEY_SEED: z.enum(["0", "1"]).default("1"),
  /** "off" lets every request past every rate limiter: for load benchmarks only, never in production. */
  PARLEY_RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  /**
   * "in-process" (default): the party/ rooms run inside the API process, on its own port, on
   * runtimes that can host them; "off": no realtime unless PARLEY_REALTIME_URL is set.
   */
  PARLEY_ROOMS: z.enum(["in-process", "off"]).default("in-process"),
  /** Where external PartyKit rooms answer (partykit dev/deploy, e.g. http://127.0.0.1:1999); wins over in-process rooms. */
  PARLEY_REALTIME_URL: z.url().optional(),
  /**
   * Shared with external rooms: signs connect tickets and the API's notify calls. In-process
   * rooms read it from ./data/parley.room-secret (created mode 600) when unset.
   */
  PARLEY_ROOM_SECRET: z.string().min(32, "PARLEY_ROOM_SECRET needs at least 32 characters").optional(),
  /** Development only: webhooks may reach loopback and private addresses (never link-local or metadata ones). */
  PARLEY_WEBHOOKS_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
  /** Outgoing email over SMTP (smtp://user:pass@host:port or smtps://…). Unset: .eml files under ./data/mail/. */
  PARLEY_SMTP_URL: z.url({ protocol: /^smtps?$/, error: "PARLEY_SMTP_URL must be an smtp:// or smtps:// URL" }).optional(),
  /** The From of every email; its domain also names the reply and inbound addresses (reply+…@, support+<site key>@). */
  PARLEY_MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, "PARLEY_MAIL_FROM must be an address, optionally with a name: Support <support@example.com>")
    .default("Parley Support <support@parley.localhost>"),
  /** Base of the links in emails (conversation, rating, unsubscribe). Unset: http://localhost:<PORT>. */
  PARLEY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Where customers' attachments are stored (an http(s) origin, say https://files.example.com):
   * the inbox shows image attachments from it inline, and only from it (its page policy allows
   * images from this origin alone); every other attachment stays a link.
   */
  PARLEY_ATTACHMENT_ORIGIN: z
    .url({ protocol: /^https?$/, error: "PARLEY_ATTACHMENT_ORIGIN must be an http:// or https:// origin" })
    .transform((url) => new URL(url).origin)
    .optional(),
  /** Bearer secret of POST /v1/inbound/email (the MTA pipe or relay). Unset: inbound email is off (503). */
  PARLEY_INBOUND_SECRET: z.string().min(32, "PARLEY_INBOUND_SECRET needs at least 32 characters").optional(),
  /**
   * "on" (default): this server runs the scheduled jobs (auto-close, reminders, escalation,
   * chat archive) on their cron schedules; leases keep several servers from doubling a run.
   * "off": none here (another server, or `npm run parley -- jobs run <name>` from cron, does them).
   */
  PARLEY_JOBS: z.enum(["on", "off"]).default("on"),
  /** An OpenAI-compatible API base (POST {url}/chat/completions) the assistant writes its answers with; unset: the offline answerer only. */
  PARLEY_AI_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Its key, sent as a bearer token from the server only. */
  PARLEY_AI_KEY: z.string().min(1).optional(),
  PARLEY_AI_MODEL: z.string().min(1).max(200).default("gpt-4o-mini"),
  /** How long an answer may take before the offline answer is used instead. */
  PARLEY_AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
});
export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
