import { and, eq, sql } from "drizzle-orm";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot, type Boot } from "../server/boot.js";
import type { CommandContext } from "../server/commands/command.js";
import { openTicket } from "../server/commands/open-ticket.js";
import { remindRating } from "../server/commands/scheduled-actions.js";
import { rate, resolve } from "../server/commands/ticket-actions.js";
import { postMessage } from "../server/commands/ticket-messages.js";
import { readEnv } from "../server/config.js";
import { openDatabase } from "../server/db/client.js";
import { agents, jobRuns, messages, sites, ticketEvents, tickets } from "../server/db/schema.js";
import { DAY_MS, HOUR_MS } from "../server/domain/automation.js";
import type { Job } from "../server/jobs/job.js";
import { createJobs, type Jobs } from "../server/jobs/scheduler.js";
import type { RunResult } from "../server/jobs/runner.js";
import { startSmtp, type ReceivedMail, type RunningSmtp } from "./support/smtp.js";

/**
 * The scheduled jobs on a real libSQL file with a clock the test drives: the server's commands
 * and jobs read it, so "seven days later" is one assignment, never a wait. Emails leave through
 * the real dispatcher to a real smtp-server on loopback and are read back with mailparser.
 * "Two servers" are two job runners on one database (here two in one process sharing its write
 * queue, and below two CLI processes on one file).
 */
const SECRET = "jobs-test-secret-0123456789abcdef0123456789";
const ADMIN_PASSWORD = "jobs-admin-password-1";
const dir = mkdtempSync(join(tmpdir(), "parley-jobs-"));
const root = new URL("..", import.meta.url).pathname;
let smtp: RunningSmtp;
let booted: Boot;
let context: CommandContext;
let other: Jobs;
let siteId: string;
let adaId: string;
/**
 * The test's clock starts four months back and only moves forward, never past the real time:
 * a lease released at some time stays released at every later one, and what the real clock
 * judges (the dispatcher's delays, token expiry) is never in the future.
 */
let clock = Date.now() - 120 * DAY_MS;
const now = () => clock;
const DEFAULT_SITE_SETTINGS = { autoCloseDays: 7, ratingReminderHours: 24, unassignedEscalationHours: 48, chatIdleHours: 24 };

beforeAll(async () => {
  smtp = await startSmtp();
  const env = readEnv({
    DATABASE_URL: `file:${join(dir, "jobs.db")}`,
    PARLEY_PBKDF2_ITERATIONS: "1000",
    PARLEY_SECRET: SECRET,
    PARLEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PARLEY_SMTP_URL: smtp.url,
    PARLEY_MAIL_FROM: "Parley Support <support@parley.test>",
    PARLEY_PUBLIC_URL: "https://help.example.test",
  });
  booted = await boot(env, () => "127.0.0.1", { hostsRooms: false, now });
  await booted.delivery.start();
  context = booted.services;
  // A second "server" on the same database: its own runner, leases and run records.
  other = createJobs({ db: booted.services.db, now, outbox: booted.services.outbox, log: booted.services.log, jobs: booted.jobs.jobs, server: "server-b" });
  const { orm } = booted.services.db;
  siteId = (await orm.query.sites.findFirst({ where: eq(sites.publicKey, "pk_demo") }))!.id;
  adaId = (await orm.query.agents.findFirst({ where: eq(agents.email, "ada@parley.test") }))!.id;
});

afterAll(async () => {
  await other?.stop();
  await booted?.jobs.stop();
  await booted?.delivery.stop();
  booted?.services.email.transport.close();
  booted?.services.db.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const agent = () => ({ type: "agent" as const, id: adaId });

async function newTicket(fields: { email?: string | null; source?: "chat" | "widget"; subject?: string; site?: string } = {}) {
  const { ticket } = await openTicket(
    context,
    {
      siteId: fields.site ?? siteId,
      visitorId: null,
      customerName: "Jane Doe",
      customerEmail: fields.email === undefined ? null : fields.email,
      subject: fields.subject ?? "Sync stopped",
      description: "Since yesterday.",
      source: fields.source ?? "widget",
    },
    { type: "customer", id: null },
  );
  return ticket;
}

const ticketNow = async (number: string) => (await booted.services.db.orm.query.tickets.findFirst({ where: eq(tickets.number, number) }))!;
const historyOf = (ticketId: string) => booted.services.db.orm.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(ticketEvents.createdAt);
const emailEntriesOf = async (ticketId: string) =>
  (await booted.services.db.orm.all<{ payload: string; target: string }>(sql`select payload, target from outbox where channel = 'email' and ticket_id = ${ticketId} order by id`)).map(
    (row) => ({ to: row.target, template: (JSON.parse(row.payload) as { template: string }).template }),
  );

const ran = (result: RunResult) => {
  if (result.outcome !== "ran") throw new Error(`expected a run, the lease was held by ${result.holder}`);
  return result.run;
};

/** Resolves with the mails to `address` once `count` of them have arrived (an event, not a delay). */
async function mailsTo(address: string, count: number): Promise<ReceivedMail[]> {
  for (;;) {
    const found = smtp.received.filter((mail) => mail.envelopeTo.includes(address));
    if (found.length >= count) return found;
    await smtp.waitFor(smtp.received.length + 1);
  }
}

describe("auto-close", () => {
  it("closes a resolved ticket after the site's 7 days, not a minute before, with a system message, through the close command's events", async () => {
    const start = clock;
    const ticket = await newTicket({ email: "close@example.com" });
    await resolve(context, { ticket: { number: ticket.number }, resolution: "Fixed in 4.2", actor: agent() });

    clock = start + 7 * DAY_MS - 60_000;
    expect(ran(await booted.jobs.run("auto-close", "admin")).status).toBe("succeeded");
    expect((await ticketNow(ticket.number)).status).toBe("resolved");

    clock = start + 7 * DAY_MS + 60_000;
    const run = ran(await booted.jobs.run("auto-close", "admin"));
    expect(run).toMatchObject({ status: "succeeded", itemsFailed: 0, error: null });
    expect(run.itemsDone).toBeGreaterThanOrEqual(1);
    const closed = await ticketNow(ticket.number);
    expect(closed).toMatchObject({ status: "closed", closedAt: clock });

    const conversation = await booted.services.db.orm.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(conversation.filter((m) => m.senderType === "system").map((m) => m.body)).toEqual([expect.stringContaining("closed automatically after 7 days")]);
    const history = await historyOf(ticket.id);
    expect(history.filter((e) => e.type === "status_changed").at(-1)).toMatchObject({ actorType: "system", data: { from: "resolved", to: "closed" } });
    expect((await emailEntriesOf(ticket.id)).map((e) => e.template)).toEqual(["ticket-created", "ticket-resolved", "ticket-closed"]);

    // A second run finds nothing to do for it.
    const again = ran(await other.run("auto-close", "admin"));
    expect(again.itemsDone).toBe(0);
    expect((await historyOf(ticket.id)).length).toBe(history.length);
  });

  it("follows each site's setting, and leaves a site alone that turned it off", async () => {
    const [fast, off] = await Promise.all(
      [2, null].map(async (days, i) => {
        const id = crypto.randomUUID();
        await booted.services.db.write((tx) => tx.insert(sites).values({ id, publicKey: `pk_jobs_${i}_${id.slice(0, 6)}`, name: `Jobs ${i}`, identitySecret: "s".repeat(32), autoCloseDays: days }));
        return id;
      }),
    );
    const start = clock;
    const a = await newTicket({ site: fast! });
    const b = await newTicket({ site: off! });
    for (const t of [a, b]) await resolve(context, { ticket: { number: t.number }, actor: agent() });
    clock = start + DAY_MS;
    await booted.jobs.run("auto-close", "admin");
    expect((await ticketNow(a.number)).status).toBe("resolved");
    clock = start + 2 * DAY_MS;
    await booted.jobs.run("auto-close", "admin");
    expect((await ticketNow(a.number)).status).toBe("closed");
    clock = start + 60 * DAY_MS;
    await booted.jobs.run("auto-close", "admin");
    expect((await ticketNow(b.number)).status).toBe("resolved");
  });
});

describe("rating reminder", () => {
  it("sends exactly one, even when the job runs twice and on two runners at once, and none to a ticket already rated", { timeout: 30_000 }, async () => {
    clock += DAY_MS;
    const start = clock;
    const ticket = await newTicket({ email: "remind@example.com", subject: "Password reset" });
    const rated = await newTicket({ email: "rated@example.com" });
    for (const t of [ticket, rated]) await resolve(context, { ticket: { number: t.number }, actor: agent() });
    await rate(context, { ticket: { number: rated.number }, score: 5, comment: null, actor: { type: "customer", id: null } });

    clock = start + 23 * HOUR_MS;
    await booted.jobs.run("rating-reminder", "admin");
    expect((await emailEntriesOf(ticket.id)).map((e) => e.template)).not.toContain("rating-reminder");

    clock = start + 25 * HOUR_MS;
    // Two servers ask at the same moment: one takes the lease, the other is told who has it.
    const both = await Promise.all([booted.jobs.run("rating-reminder", "schedule"), other.run("rating-reminder", "schedule")]);
    expect(both.map((r) => r.outcome).sort()).toEqual(["busy", "ran"]);
    // Then each runs again, one after the other: the claim says it was sent.
    for (const jobs of [booted.jobs, other]) expect(ran(await jobs.run("rating-reminder", "admin")).itemsFailed).toBe(0);
    // And the command itself, twice at once past both leases: neither sends again.
    expect(await Promise.all([remindRating(context, ticket), remindRating(context, ticket)])).toEqual([null, null]);

    const reminders = (await emailEntriesOf(ticket.id)).filter((e) => e.template === "rating-reminder");
    expect(reminders).toEqual([{ to: "remind@example.com", template: "rating-reminder" }]);
    expect((await historyOf(ticket.id)).filter((e) => e.type === "rating_requested")).toHaveLength(1);
    expect((await emailEntriesOf(rated.id)).map((e) => e.template)).not.toContain("rating-reminder");

    const mails = await mailsTo("remind@example.com", 3); // created, resolved, the reminder
    const reminder = mails.filter((mail) => mail.parsed.subject === `[${ticket.number}] How did we do?`);
    expect(reminder).toHaveLength(1);
    expect(reminder[0]!.parsed.text).toMatch(/Rate our help: https:\/\/help\.example\.test\/v1\/email\/rating\?token=\S+/);
  });

  it("lets only one of two commands racing on a fresh ticket send it", async () => {
    const ticket = await newTicket({ email: "race@example.com" });
    await resolve(context, { ticket: { number: ticket.number }, actor: agent() });
    clock += 25 * HOUR_MS;
    const results = await Promise.all([remindRating(context, ticket), remindRating(context, ticket)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect((await emailEntriesOf(ticket.id)).filter((e) => e.template === "rating-reminder")).toHaveLength(1);
  });
});

describe("unassigned escalation", () => {
  it("escalates a ticket open and unassigned for 48 hours to the next tier once, with the reason, as system", async () => {
    const start = clock;
    const ticket = await newTicket();
    const taken = await newTicket();
    await booted.services.db.write((tx) => tx.update(tickets).set({ assigneeId: adaId }).where(eq(tickets.id, taken.id)));

    clock = start + 47 * HOUR_MS;
    await booted.jobs.run("unassigned-escalation", "admin");
    expect((await ticketNow(ticket.number)).status).toBe("open");

    clock = start + 49 * HOUR_MS;
    await booted.jobs.run("unassigned-escalation", "admin");
    expect(await ticketNow(ticket.number)).toMatchObject({ status: "escalated", tier: 2, assigneeId: null });
    expect(await ticketNow(taken.number)).toMatchObject({ status: "open", tier: 1 });

    clock = start + 200 * HOUR_MS;
    await Promise.all([booted.jobs.run("unassigned-escalation", "admin"), other.run("unassigned-escalation", "admin")]);
    await booted.jobs.run("unassigned-escalation", "admin");
    const escalations = (await historyOf(ticket.id)).filter((e) => e.type === "escalated");
    expect(escalations).toEqual([expect.objectContaining({ actorType: "system", data: expect.objectContaining({ fromTier: 1, toTier: 2, reason: "open and unassigned for 48 hours" }) })]);
    expect((await ticketNow(ticket.number)).tier).toBe(2);
  });
});

describe("chat archive", () => {
  it("emails the transcript of an idle chat, closes it when resolved, keeps an unanswered one as a ticket, and archives again only after new messages", { timeout: 30_000 }, async () => {
    const start = clock;
    const done = await newTicket({ email: "chat-done@example.com", source: "chat", subject: "Sync" });
    const waiting = await newTicket({ email: "chat-waiting@example.com", source: "chat", subject: "Refund" });
    const say = (number: string, type: "customer" | "agent", body: string, internal = false) =>
      postMessage(context, {
        ticket: { number },
        clientId: crypto.randomUUID(),
        body,
        sender: type === "agent" ? { type, id: adaId, name: "Ada" } : { type, id: null, name: null },
        internal,
        attachments: [],
      });
    await say(done.number, "customer", "My sync stopped");
    await say(done.number, "agent", "Please update to 4.2");
    await say(done.number, "agent", "known bug, do not tell", true);
    await say(done.number, "customer", "That worked, thanks!");
    await resolve(context, { ticket: { number: done.number }, actor: agent() });
    await say(waiting.number, "customer", "Where is my refund?");
    const anonymous = await newTicket({ email: null, source: "chat", subject: "No address" });
    await say(anonymous.number, "customer", "Hello?");

    clock = start + 23 * HOUR_MS;
    await booted.jobs.run("chat-archive", "admin");
    expect((await emailEntriesOf(done.id)).map((e) => e.template)).not.toContain("chat-transcript");

    clock = start + 25 * HOUR_MS;
    expect(ran(await booted.jobs.run("chat-archive", "admin")).itemsDone).toBeGreaterThanOrEqual(3);
    expect((await ticketNow(done.number)).status).toBe("closed");
    expect((await ticketNow(waiting.number)).status).toBe("open");
    // The closed chat's customer hears of it once, by the transcript (no separate "closed" email).
    expect((await emailEntriesOf(done.id)).map((e) => e.template)).toEqual(["ticket-created", "agent-replied", "ticket-resolved", "chat-transcript"]);

    const doneMail = (await mailsTo("chat-done@example.com", 4)).find((mail) => mail.parsed.subject === `[${done.number}] Transcript of your chat: Sync`)!;
    // Read without the bidi isolates around each time, name and message (test/transcript-email.test.ts checks those).
    const text = doneMail.parsed.text!.replace(/[\u2066\u2068\u2069]/g, "");
    expect(text).toMatch(/\] You: My sync stopped\n\[[^\]]+\] Ada: Please update to 4\.2\n\[[^\]]+\] You: That worked, thanks!/);
    expect(text).not.toContain("known bug");
    expect(text).toContain("This conversation is now closed.");
    expect(doneMail.parsed.html).toContain("My sync stopped");
    const waitingMail = (await mailsTo("chat-waiting@example.com", 2)).find((mail) => mail.parsed.subject?.includes("Transcript of your chat"))!;
    expect(waitingMail.parsed.text!.replace(/[\u2066\u2068\u2069]/g, "")).toContain("You: Where is my refund?");
    expect(waitingMail.parsed.text).toContain("We will carry on by email");

    const systemLines = async (ticketId: string) =>
      (await booted.services.db.orm.select().from(messages).where(and(eq(messages.ticketId, ticketId), eq(messages.senderType, "system")))).map((m) => m.body);
    // The system message promises a transcript only to a customer who gets one.
    expect(await systemLines(waiting.id)).toEqual(["This chat has ended; your request stays open and we will reply here. A transcript has been sent to you by email."]);
    expect(await systemLines(done.id)).toEqual(["This chat has ended and is now closed. A transcript has been sent to you by email."]);
    expect(await systemLines(anonymous.id)).toEqual(["This chat has ended; your request stays open and we will reply here."]);
    const waitingSystem = async () => (await booted.services.db.orm.select().from(messages).where(and(eq(messages.ticketId, waiting.id), eq(messages.senderType, "system")))).length;
    expect(await waitingSystem()).toBe(1);
    // Nothing new: a second run leaves both alone.
    clock = start + 60 * HOUR_MS;
    await other.run("chat-archive", "admin");
    expect(await waitingSystem()).toBe(1);
    // The customer comes back; a day of silence later the chat is archived again.
    await say(waiting.number, "customer", "Any news?");
    clock = start + 85 * HOUR_MS;
    await booted.jobs.run("chat-archive", "admin");
    expect(await waitingSystem()).toBe(2);
    expect((await emailEntriesOf(waiting.id)).filter((e) => e.template === "chat-transcript")).toHaveLength(2);
    expect((await historyOf(waiting.id)).filter((e) => e.type === "chat_archived")).toHaveLength(2);
  });
});

describe("leases", () => {
  /** A job that waits for the test to let it go, then handles two items. */
  const gated = (name: string, gate: Promise<void>, entered: () => void): Job => ({
    name,
    description: "test",
    schedule: "0 0 1 1 *",
    run: async (run) => {
      entered();
      await gate;
      await run.each([1, 2], async (n) => n);
    },
  });
  const runnerWith = (server: string, job: Job) =>
    createJobs({ db: booted.services.db, now, outbox: booted.services.outbox, log: () => undefined, jobs: [job], server, leaseMs: 3_000 });

  it("stops a second runner while the first holds it, and lets it run once released", async () => {
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const a = runnerWith("a", gated("gate", new Promise((r) => (release = r)), entered));
    const b = runnerWith("b", gated("gate", Promise.resolve(), () => undefined));
    const first = a.run("gate", "admin");
    await inside;
    expect(await b.run("gate", "admin")).toMatchObject({ outcome: "busy", holder: expect.stringMatching(/^a#/) });
    release();
    expect(ran(await first)).toMatchObject({ status: "succeeded", itemsDone: 2 });
    expect(ran(await b.run("gate", "admin"))).toMatchObject({ status: "succeeded", itemsDone: 2, holder: "b" });
  });

  it("passes a lapsed lease to another runner, and the first stops at its next item and says why", async () => {
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const a = runnerWith("a2", gated("lapse", new Promise((r) => (release = r)), entered));
    const b = runnerWith("b2", gated("lapse", Promise.resolve(), () => undefined));
    const first = a.run("lapse", "admin");
    await inside;
    clock += 3_001;
    expect(ran(await b.run("lapse", "admin"))).toMatchObject({ status: "succeeded", itemsDone: 2 });
    release();
    expect(ran(await first)).toMatchObject({ status: "failed", itemsDone: 0, error: "the lease lapsed and another server took the job" });
  });
});

describe("scheduler", () => {
  it("runs a job on its cron schedule and stops cleanly", async () => {
    let fired!: () => void;
    const tick = new Promise<void>((r) => (fired = r));
    const everySecond: Job = { name: "every-second", description: "test", schedule: "* * * * * *", run: async () => fired() };
    const jobs = createJobs({ db: booted.services.db, now, outbox: booted.services.outbox, log: booted.services.log, jobs: [everySecond], server: "ticker" });
    jobs.start();
    await tick;
    await jobs.stop();
    const runs = await booted.services.db.orm.select().from(jobRuns).where(eq(jobRuns.job, "every-second"));
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs[0]).toMatchObject({ trigger: "schedule", holder: "ticker", status: "succeeded" });
    await expect(jobs.run("every-second", "admin")).rejects.toThrow(/stopping/);
  });

  it("counts an item that fails, records its error on the run, and goes on with the others", async () => {
    const flaky: Job = {
      name: "flaky",
      description: "test",
      schedule: "0 0 1 1 *",
      run: (run) =>
        run.each([1, 2, 3, 4], async (n) => {
          if (n === 2) throw new Error("item 2 is broken");
          return n === 3 ? null : n;
        }),
    };
    const jobs = createJobs({ db: booted.services.db, now, outbox: booted.services.outbox, log: () => undefined, jobs: [flaky], server: "flaky" });
    expect(ran(await jobs.run("flaky", "cli"))).toMatchObject({ status: "failed", itemsDone: 2, itemsSkipped: 1, itemsFailed: 1, error: "1 item(s) failed; first: item 2 is broken" });
  });

  it("refuses a job with a cron expression croner cannot read, at start", () => {
    const broken: Job = { name: "broken", description: "test", schedule: "61 * * * *", run: async () => undefined };
    expect(() => createJobs({ db: booted.services.db, now, outbox: booted.services.outbox, log: () => undefined, jobs: [broken], server: "x" })).toThrow(/minute/);
  });
});

describe("admin routes", () => {
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await booted.app.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it("lists the jobs with their next run and last runs, runs one on demand, and validates the site settings", async () => {
    clock = Date.now(); // tokens are checked against the real clock
    const login = await call("POST", "/v1/auth/login", undefined, { email: "admin@parley.test", password: ADMIN_PASSWORD });
    const token = login.body.token as string;
    const list = await call("GET", "/v1/admin/jobs", token);
    expect(list.status).toBe(200);
    expect(list.body.items.map((job: { name: string }) => job.name)).toEqual(["auto-close", "rating-reminder", "unassigned-escalation", "chat-archive", "sla-monitor", "stats-rollup", "ai-usage"]);
    const autoClose = list.body.items[0];
    expect(autoClose).toMatchObject({ schedule: "5 * * * *", timezone: "UTC", lease: null });
    expect(Date.parse(autoClose.nextRunAt)).toBeGreaterThan(clock);
    expect(autoClose.lastRuns[0]).toMatchObject({ trigger: "admin", status: "succeeded" });

    const run = await call("POST", "/v1/admin/jobs/auto-close/run", token);
    expect(run).toMatchObject({ status: 200, body: { status: "succeeded", trigger: "admin", itemsFailed: 0 } });
    expect(await call("POST", "/v1/admin/jobs/no-such-job/run", token)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await call("POST", "/v1/admin/jobs/Not_A_Name/run", token)).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });

    const site = await call("GET", `/v1/admin/sites/${siteId}`, token);
    expect(site.body).toMatchObject(DEFAULT_SITE_SETTINGS);
    expect(await call("PATCH", `/v1/admin/sites/${siteId}`, token, { autoCloseDays: 0 })).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    expect(await call("PATCH", `/v1/admin/sites/${siteId}`, token, { autoCloseDays: 3, chatIdleHours: null })).toMatchObject({ status: 200, body: { autoCloseDays: 3, chatIdleHours: null } });
    expect(await call("PATCH", `/v1/admin/sites/${siteId}`, token, DEFAULT_SITE_SETTINGS)).toMatchObject({ status: 200, body: DEFAULT_SITE_SETTINGS });
  });
});

describe("CLI", () => {
  const cli = (url: string, ...args: string[]) =>
    new Promise<{ code: number | null; out: string }>((done, fail) => {
      const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["server/cli.ts", ...args], { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.once("error", fail);
      child.once("exit", (code) => done({ code, out }));
    });

  it("runs a job against a database file, two processes at once sending one reminder, and lists the runs", async () => {
    const url = `file:${join(dir, "cli.db")}`;
    const db = await openDatabase(url);
    try {
      const site = crypto.randomUUID();
      await db.write((tx) => tx.insert(sites).values({ id: site, publicKey: "pk_cli_site", name: "CLI", identitySecret: "s".repeat(32) }));
      // Written in the past by real time: the CLI judges with the real clock.
      const past: CommandContext = { db, now: () => Date.now() - 8 * DAY_MS, outbox: { accepts: () => false, handOver: null, wake: () => undefined } };
      const open = (email: string) =>
        openTicket(past, { siteId: site, visitorId: null, customerName: "Jo", customerEmail: email, subject: "CLI", description: "d", source: "api" }, { type: "customer", id: null });
      const old = (await open("old@example.com")).ticket;
      await resolve(past, { ticket: { number: old.number }, actor: { type: "agent", id: null } });
      const recent = (await open("recent@example.com")).ticket;
      await resolve({ ...past, now: () => Date.now() - 25 * HOUR_MS }, { ticket: { number: recent.number }, actor: { type: "agent", id: null } });

      const [first, second] = await Promise.all([cli(url, "jobs", "run", "rating-reminder"), cli(url, "jobs", "run", "rating-reminder")]);
      // Each either ran (the later one finding the reminders claimed) or found the other holding the lease.
      for (const result of [first, second]) expect([0, 3], result.out).toContain(result.code);
      const reminders = await db.orm.all<{ ticket_id: string }>(sql`select ticket_id from outbox where event_type = 'rating.requested' order by ticket_id`);
      expect(reminders.map((r) => r.ticket_id).sort()).toEqual([old.id, recent.id].sort());

      const close = await cli(url, "jobs", "run", "auto-close");
      expect(close).toMatchObject({ code: 0, out: expect.stringContaining("auto-close: succeeded, 1 done") });
      expect((await db.orm.query.tickets.findFirst({ where: eq(tickets.id, old.id) }))!.status).toBe("closed");
      expect((await db.orm.query.tickets.findFirst({ where: eq(tickets.id, recent.id) }))!.status).toBe("resolved");
      // The customer's email waits in the outbox for a server's dispatcher; no room entry was written.
      const entries = await db.orm.all<{ channel: string; event_type: string }>(sql`select channel, event_type from outbox where ticket_id = ${old.id} order by id`);
      expect(entries).toEqual([
        { channel: "email", event_type: "rating.requested" },
        { channel: "email", event_type: "ticket.closed" },
      ]);

      const list = await cli(url, "jobs", "list");
      expect(list.code).toBe(0);
      expect(list.out).toMatch(/auto-close\t5 \* \* \* \* UTC\tnext \S+\tlast succeeded at \S+ \(1 done, 0 skipped, 0 failed\)/);
    } finally {
      db.close();
    }
  }, 180_000);
});
