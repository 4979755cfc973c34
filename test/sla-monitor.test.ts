import { and, eq, sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RealtimeToken } from "../protocol/index.js";
import { openTicket } from "../server/commands/open-ticket.js";
import { raiseSlaAlarm } from "../server/commands/sla-alarms.js";
import { assign, escalate } from "../server/commands/ticket-actions.js";
import { readEnv, type Env } from "../server/config.js";
import { agents, sites, ticketEvents, tickets } from "../server/db/schema.js";
import type { RunResult } from "../server/jobs/runner.js";
import { startNodeServer, type NodeServer } from "../server/runtime/node-server.js";
import { apiClient, type ApiClient } from "./support/client.js";
import { openRoomSocket, type RoomSocket } from "./support/partykit.js";
import { ADMIN, TEST_SECRET } from "./support/server.js";
import { startSmtp, type ReceivedMail, type RunningSmtp } from "./support/smtp.js";

/**
 * The SLA monitor on two real servers sharing one libSQL file, with one clock the test drives
 * (`BootOptions.now`), so "49 minutes later" is an assignment, never a wait. Emails leave through
 * each server's dispatcher to a real smtp-server; the inbox's site room is a real socket on the
 * first server, which hosts the rooms (the second posts its frames there, signed, as to PartyKit). The seeded team: Ada (tier 1), Grace (tier 2), Linus (tier 3), the admin.
 */
const MINUTE = 60_000;
const ROOM_SECRET = "room-secret-for-the-sla-monitor-0123456789";
const dir = mkdtempSync(join(tmpdir(), "parley-sla-monitor-"));
let smtp: RunningSmtp;
let a: NodeServer;
let b: NodeServer;
let client: ApiClient;
let siteId: string;
let ids: Record<"ada" | "grace" | "linus" | "admin", string>;
let tokens: Record<"ada" | "grace" | "linus" | "admin", string>;
let siteRoom: RoomSocket;
/** Starts at the real time (sign-ins and the room's connect ticket are checked against it), then moves only forward. */
let clock = Date.now();
const now = () => clock;

function envFor(name: string, extra: Record<string, string> = {}): Env {
  return readEnv({
    ...extra,
    DATABASE_URL: `file:${join(dir, "parley.db")}`,
    PORT: "0",
    HOST: "127.0.0.1",
    PARLEY_SECRET: TEST_SECRET,
    PARLEY_ROOM_SECRET: ROOM_SECRET,
    PARLEY_ADMIN_EMAIL: ADMIN.email,
    PARLEY_ADMIN_PASSWORD: ADMIN.password,
    PARLEY_PBKDF2_ITERATIONS: "1000",
    PARLEY_SMTP_URL: smtp.url,
    PARLEY_MAIL_FROM: `Parley ${name} <support@parley.test>`,
    PARLEY_PUBLIC_URL: "https://help.example.test",
    // The test runs the monitor itself, on both servers at once; no timer runs it meanwhile.
    PARLEY_JOBS: "off",
  });
}

beforeAll(async () => {
  smtp = await startSmtp();
  a = await startNodeServer(envFor("A"), { now });
  // B posts its room frames to A's rooms (signed, as to PartyKit), so the one site-room socket hears both servers.
  b = await startNodeServer(envFor("B", { PARLEY_REALTIME_URL: `http://127.0.0.1:${a.port}` }), { now });
  client = apiClient(`http://127.0.0.1:${a.port}`);
  const { orm } = a.services.db;
  siteId = (await orm.query.sites.findFirst({ where: eq(sites.publicKey, "pk_demo") }))!.id;
  const idOf = async (email: string) => (await orm.query.agents.findFirst({ where: eq(agents.email, email) }))!.id;
  ids = { ada: await idOf("ada@parley.test"), grace: await idOf("grace@parley.test"), linus: await idOf("linus@parley.test"), admin: await idOf(ADMIN.email) };
  tokens = {
    ada: (await client.login("ada@parley.test")).token,
    grace: (await client.login("grace@parley.test")).token,
    linus: (await client.login("linus@parley.test")).token,
    admin: (await client.login(ADMIN.email)).token,
  };
  const ticket = await client.call<RealtimeToken>("POST", "/v1/realtime/token", { token: tokens.ada, body: { site: siteId } });
  expect(ticket.status).toBe(200);
  siteRoom = await openRoomSocket(new URL(ticket.body.host).host, ticket.body.party, ticket.body.room, ticket.body.token);
}, 60_000);

afterAll(async () => {
  await siteRoom?.close();
  for (const server of [b, a]) {
    await server?.stop();
    // Its pooled SMTP connections would keep the SMTP server's close waiting.
    server?.services.email.transport.close();
    server?.services.db.close();
  }
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A high-priority ticket (first response due in 60 minutes, warned at 48) opened at the clock's time. */
async function highTicket(subject: string) {
  const { ticket } = await openTicket(
    a.services,
    { siteId, visitorId: null, customerName: "Jane Doe", customerEmail: null, subject, description: "It broke.", priority: "high", source: "widget" },
    { type: "customer", id: null },
  );
  expect(ticket.firstResponseDueAt).toBe(clock + 60 * MINUTE);
  return ticket;
}

const ticketNow = async (number: string) => (await a.services.db.orm.query.tickets.findFirst({ where: eq(tickets.number, number) }))!;
const historyOf = (ticketId: string) => a.services.db.orm.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(sql`rowid`);
/** The outbox entries every server's commands wrote for a ticket and event type: what was announced, and how often. */
const entriesOf = async (ticketId: string, eventType: string) =>
  a.services.db.orm.all<{ channel: string; target: string; payload: string }>(
    sql`select channel, target, payload from outbox where ticket_id = ${ticketId} and event_type = ${eventType} order by id`,
  );
const emailsOf = async (ticketId: string, eventType: string) =>
  (await entriesOf(ticketId, eventType)).filter((e) => e.channel === "email").map((e) => ({ to: e.target, template: (JSON.parse(e.payload) as { template: string }).template }));

const ran = (result: RunResult) => {
  if (result.outcome !== "ran") throw new Error(`expected a run, the lease was held by ${result.holder}`);
  return result.run;
};

/** Both servers run the monitor at once: whichever takes the lease does the work; the other is busy or finds nothing. */
async function monitorOnBothServers() {
  const results = await Promise.all([a.jobs.run("sla-monitor", "admin"), b.jobs.run("sla-monitor", "admin")]);
  for (const result of results) if (result.outcome === "ran") expect(result.run).toMatchObject({ status: "succeeded", itemsFailed: 0 });
  return results;
}

/** The mails to `address` whose subject matches, once `count` have arrived (an event, never a delay). */
async function mailsTo(address: string, subject: RegExp, count: number): Promise<ReceivedMail[]> {
  for (;;) {
    const found = smtp.received.filter((mail) => mail.envelopeTo.includes(address) && subject.test(mail.parsed.subject ?? ""));
    if (found.length >= count) return found;
    await smtp.waitFor(smtp.received.length + 1);
  }
}

describe("the SLA monitor", { timeout: 30_000 }, () => {
  it("is a job of every server, every minute", () => {
    expect(a.jobs.jobs.find((job) => job.name === "sla-monitor")).toMatchObject({ schedule: "* * * * *" });
  });

  it("warns once at 80 % of the first-response target: stamp, history, the site room, the assignee's email", async () => {
    clock += MINUTE;
    const ticket = await highTicket("Warned once");
    await assign(a.services, { ticket: { number: ticket.number }, agentId: ids.ada, actor: { type: "agent", id: ids.ada } });
    const opened = clock;

    clock = opened + 47 * MINUTE; // before the 48-minute mark: nothing
    await monitorOnBothServers();
    expect((await ticketNow(ticket.number)).firstResponseWarnedAt).toBeNull();

    clock = opened + 49 * MINUTE;
    const frame = siteRoom.next((f) => f.type === "sla.warning" && f.number === ticket.number, 20_000);
    await monitorOnBothServers();
    await monitorOnBothServers(); // a second round on both finds nothing left to warn about
    expect(await frame).toEqual({ type: "sla.warning", number: ticket.number, target: "first_response", dueAt: new Date(opened + 60 * MINUTE).toISOString() });

    const after = await ticketNow(ticket.number);
    expect(after).toMatchObject({ firstResponseWarnedAt: opened + 49 * MINUTE, firstResponseBreachedAt: null, status: "open", tier: 1 });
    expect((await historyOf(ticket.id)).filter((e) => e.type === "sla_warning")).toEqual([
      expect.objectContaining({ actorType: "system", data: { target: "first_response", dueAt: opened + 60 * MINUTE } }),
    ]);
    expect((await entriesOf(ticket.id, "sla.warning")).map((e) => e.channel)).toEqual(["room", "email"]);
    expect(await emailsOf(ticket.id, "sla.warning")).toEqual([{ to: "ada@parley.test", template: "sla-warning" }]);
    const [mail] = await mailsTo("ada@parley.test", new RegExp(`\\[${ticket.number}\\] At risk`), 1);
    expect(mail!.parsed.text).toContain("past 80 % of its first-response target");
    // The dashboard counts it at risk (its due time has not come).
    const counts = (await client.call("GET", "/v1/agent/notifications", { token: tokens.ada })).body.counts;
    expect(counts.atRisk).toBeGreaterThanOrEqual(1);
  });

  it("stamps a breach, escalates to tier 2 and tells tier 2 exactly once when both servers raise it at the same moment", async () => {
    clock += MINUTE;
    const ticket = await highTicket("Raced breach");
    const opened = clock;
    clock = opened + 61 * MINUTE; // past the due time, never warned (the monitor was down): the breach says it all
    const frame = siteRoom.next((f) => f.type === "sla.breached" && f.number === ticket.number, 20_000);
    // The command itself on both servers at once, past the job's lease: its claim and the re-read stamps make one winner.
    const raised = await Promise.all([raiseSlaAlarm(a.services, ticket), raiseSlaAlarm(b.services, ticket), raiseSlaAlarm(b.services, ticket)]);
    expect(raised.filter((row) => row !== null)).toHaveLength(1);
    await monitorOnBothServers();

    const after = await ticketNow(ticket.number);
    expect(after).toMatchObject({ status: "escalated", tier: 2, assigneeId: null, firstResponseBreachedAt: opened + 61 * MINUTE });
    const history = await historyOf(ticket.id);
    expect(history.filter((e) => e.type === "sla_breached")).toEqual([expect.objectContaining({ actorType: "system", data: { target: "first_response", dueAt: opened + 60 * MINUTE, tier: 1 } })]);
    expect(history.filter((e) => e.type === "escalated")).toEqual([
      expect.objectContaining({ actorType: "system", data: expect.objectContaining({ fromTier: 1, toTier: 2, reason: `SLA breached: the first response was due at ${new Date(opened + 60 * MINUTE).toISOString()}` }) }),
    ]);
    expect(await emailsOf(ticket.id, "sla.breached")).toEqual([{ to: "grace@parley.test", template: "sla-breached" }]);
    expect(await frame).toEqual({ type: "sla.breached", number: ticket.number, target: "first_response", dueAt: new Date(opened + 60 * MINUTE).toISOString(), toTier: 2, tier: 2 });
    const [mail] = await mailsTo("grace@parley.test", new RegExp(`\\[${ticket.number}\\] SLA breached`), 1);
    expect(mail!.parsed.text).toContain("It was escalated to tier 2.");
  });

  it("escalates once when the two servers' jobs run the monitor at once over many due tickets", async () => {
    clock += MINUTE;
    const opened = clock;
    const many = [];
    for (let i = 0; i < 12; i++) many.push(await highTicket(`Batch ${i}`));
    clock = opened + 61 * MINUTE;
    const results = await Promise.all([a.jobs.run("sla-monitor", "admin"), b.jobs.run("sla-monitor", "admin"), a.jobs.run("sla-monitor", "cli")]);
    const done = results.filter((r): r is Extract<RunResult, { outcome: "ran" }> => r.outcome === "ran").reduce((sum, r) => sum + r.run.itemsDone, 0);
    await monitorOnBothServers();
    expect(done).toBeGreaterThanOrEqual(many.length);
    for (const ticket of many) {
      const history = await historyOf(ticket.id);
      expect([ticket.number, history.filter((e) => e.type === "sla_breached").length, history.filter((e) => e.type === "escalated").length]).toEqual([ticket.number, 1, 1]);
      expect(await emailsOf(ticket.id, "sla.breached")).toHaveLength(1);
      expect((await ticketNow(ticket.number)).tier).toBe(2);
    }
    const ranRuns = results.filter((r) => r.outcome === "ran").map(ran);
    expect(ranRuns.every((run) => run.status === "succeeded")).toBe(true);
  });

  it("at tier 3 tells tier 3 and the admins, by email and in the site room; a breach at the top tier stays there and tells them too", async () => {
    clock += MINUTE;
    const ticket = await highTicket("Top tier");
    const opened = clock;
    await escalate(a.services, { ticket: { number: ticket.number }, reason: "needs a specialist", actor: { type: "agent", id: ids.ada } });
    expect((await ticketNow(ticket.number)).tier).toBe(2);
    clock = opened + 61 * MINUTE;
    const frame = siteRoom.next((f) => f.type === "sla.breached" && f.number === ticket.number, 20_000);
    await monitorOnBothServers();
    expect(await frame).toMatchObject({ toTier: 3, tier: 3 });
    expect(await ticketNow(ticket.number)).toMatchObject({ tier: 3, status: "escalated" });
    expect((await emailsOf(ticket.id, "sla.breached")).map((e) => e.to).sort()).toEqual([ADMIN.email, "linus@parley.test"].sort());
    await mailsTo(ADMIN.email, new RegExp(`\\[${ticket.number}\\] SLA breached`), 1);
    await mailsTo("linus@parley.test", new RegExp(`\\[${ticket.number}\\] SLA breached`), 1);

    // Once answered, the resolution target (8 h) runs, and breaches at tier 3: no tier above, so it is stamped and told, not escalated.
    clock += MINUTE;
    const reply = await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: tokens.linus, body: { body: "Looking into it", clientId: "linus-top-tier-1" } });
    expect(reply.status).toBe(201);
    clock = opened + 8 * 60 * MINUTE + MINUTE;
    const second = siteRoom.next((f) => f.type === "sla.breached" && f.number === ticket.number && f.target === "resolution", 20_000);
    await monitorOnBothServers();
    expect(await second).toMatchObject({ target: "resolution", toTier: null, tier: 3 });
    const history = await historyOf(ticket.id);
    expect(history.filter((e) => e.type === "sla_breached").map((e) => (e.data as { target: string }).target)).toEqual(["first_response", "resolution"]);
    expect(history.filter((e) => e.type === "escalated")).toHaveLength(2); // Ada's to tier 2, the first breach's to tier 3
    const [mail] = await mailsTo(ADMIN.email, new RegExp(`\\[${ticket.number}\\] SLA breached`), 2);
    expect(mail).toBeDefined();
    expect((await emailsOf(ticket.id, "sla.breached")).filter((e) => e.to === ADMIN.email)).toHaveLength(2);
  });

  it("warns and breaches the resolution target of a ticket still waiting for its first response, once each, on two servers", async () => {
    clock += MINUTE;
    const ticket = await highTicket("Never answered");
    const opened = clock;
    // The first response (due at 60 minutes) is missed: warned, then breached and escalated to tier 2.
    clock = opened + 49 * MINUTE;
    await monitorOnBothServers();
    clock = opened + 61 * MINUTE;
    await monitorOnBothServers();
    expect(await ticketNow(ticket.number)).toMatchObject({ tier: 2, firstResponseAt: null, firstResponseBreachedAt: opened + 61 * MINUTE, resolutionWarnedAt: null });

    // Still no reply at 80 % of the 8-hour resolution target (6 h 24 min): the resolution is at risk.
    clock = opened + 6 * 60 * MINUTE + 25 * MINUTE;
    const warning = siteRoom.next((f) => f.type === "sla.warning" && f.number === ticket.number && f.target === "resolution", 20_000);
    await monitorOnBothServers();
    await monitorOnBothServers();
    expect(await warning).toMatchObject({ target: "resolution", dueAt: new Date(opened + 8 * 60 * MINUTE).toISOString() });
    expect(await ticketNow(ticket.number)).toMatchObject({ resolutionWarnedAt: opened + 6 * 60 * MINUTE + 25 * MINUTE, resolutionBreachedAt: null });

    // Past its due time: breached, escalated once more (to tier 3), and told once.
    clock = opened + 8 * 60 * MINUTE + MINUTE;
    const breach = siteRoom.next((f) => f.type === "sla.breached" && f.number === ticket.number && f.target === "resolution", 20_000);
    await Promise.all([monitorOnBothServers(), raiseSlaAlarm(b.services, ticket)]);
    await monitorOnBothServers();
    expect(await breach).toMatchObject({ target: "resolution", toTier: 3, tier: 3 });
    expect(await ticketNow(ticket.number)).toMatchObject({ tier: 3, firstResponseAt: null, resolutionBreachedAt: opened + 8 * 60 * MINUTE + MINUTE });

    const history = await historyOf(ticket.id);
    const targets = (type: string) => history.filter((e) => e.type === type).map((e) => (e.data as { target: string }).target);
    expect(targets("sla_warning")).toEqual(["first_response", "resolution"]);
    expect(targets("sla_breached")).toEqual(["first_response", "resolution"]);
    expect(history.filter((e) => e.type === "escalated").map((e) => e.data)).toEqual([
      expect.objectContaining({ fromTier: 1, toTier: 2 }),
      expect.objectContaining({ fromTier: 2, toTier: 3, reason: `SLA breached: the resolution was due at ${new Date(opened + 8 * 60 * MINUTE).toISOString()}` }),
    ]);
    expect((await entriesOf(ticket.id, "sla.warning")).filter((e) => e.channel === "room")).toHaveLength(2);
    expect((await entriesOf(ticket.id, "sla.breached")).filter((e) => e.channel === "room")).toHaveLength(2);
    // Nothing is left for the monitor: both targets are stamped.
    const [row] = await a.services.db.orm.all<{ alarm: number | null }>(sql`select sla_alarm_at as alarm from tickets where id = ${ticket.id}`);
    expect(row!.alarm).toBeNull();
  });
});

describe("escalating by hand to a tier and an agent", { timeout: 30_000 }, () => {
  it("hands the ticket to a named agent of the new tier, with the reason in the chain; the owner's reply puts it back in progress", async () => {
    clock += MINUTE;
    const ticket = await highTicket("Named escalation");
    const path = `/v1/agent/tickets/${ticket.number}/escalate`;
    const tooLow = await client.call("POST", path, { token: tokens.ada, body: { reason: "over to Ada", agentId: ids.ada } });
    expect([tooLow.status, tooLow.body.error.code, tooLow.body.error.details]).toEqual([400, "validation_failed", [{ path: "agentId", message: "below tier 2" }]]);
    const unknown = await client.call("POST", path, { token: tokens.ada, body: { reason: "over to nobody", agentId: "no-such-agent" } });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "validation_failed"]);
    const lower = await client.call("POST", path, { token: tokens.ada, body: { reason: "down a tier", tier: 1 } });
    expect([lower.status, lower.body.error.code]).toEqual([409, "conflict"]);

    const handed = await client.call("POST", path, { token: tokens.ada, body: { reason: "Grace knows the sync engine", tier: 2, agentId: ids.grace } });
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ status: "escalated", tier: 2, assigneeId: ids.grace });
    expect(await emailsOf(ticket.id, "ticket.escalated")).toEqual([{ to: "grace@parley.test", template: "ticket-escalated" }]);

    // Straight on to tier 3 and Linus: the chain keeps both steps, with who held it.
    const onwards = await client.call("POST", path, { token: tokens.grace, body: { reason: "Linus wrote it", tier: 3, agentId: ids.linus } });
    expect(onwards.body).toMatchObject({ status: "escalated", tier: 3, assigneeId: ids.linus });
    const chain = (await client.call("GET", `/v1/agent/tickets/${ticket.number}/history`, { token: tokens.ada })).body.items.filter((e: { type: string }) => e.type === "escalated");
    expect(chain.map((e: { data: unknown }) => e.data)).toEqual([
      expect.objectContaining({ fromTier: 1, toTier: 2, reason: "Grace knows the sync engine", fromAgentId: null, toAgentId: ids.grace }),
      expect.objectContaining({ fromTier: 2, toTier: 3, reason: "Linus wrote it", fromAgentId: ids.grace, toAgentId: ids.linus }),
    ]);

    // Someone else's reply leaves it escalated; its owner's reply is the owner acting.
    const byGrace = await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: tokens.grace, body: { body: "Linus will look", clientId: "grace-reply-1" } });
    expect(byGrace.status).toBe(201);
    expect((await ticketNow(ticket.number)).status).toBe("escalated");
    const byLinus = await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: tokens.linus, body: { body: "On it", clientId: "linus-reply-1" } });
    expect(byLinus.status).toBe(201);
    expect((await ticketNow(ticket.number)).status).toBe("in_progress");
    const moves = (await historyOf(ticket.id)).filter((e) => e.type === "status_changed").map((e) => e.data);
    expect(moves.at(-1)).toEqual({ from: "escalated", to: "in_progress" });
  });

  it("refuses an agent who does not work on the ticket's site", async () => {
    clock += MINUTE;
    const ticket = await highTicket("Other team");
    const other = (await client.call("POST", "/v1/admin/sites", { token: tokens.admin, body: { name: "Elsewhere" } })).body;
    const outsider = await client.createAgent(tokens.admin, { email: "outsider@parley.test", password: "outsider-password-1", tier: 3, siteIds: [other.id] });
    const res = await client.call("POST", `/v1/agent/tickets/${ticket.number}/escalate`, { token: tokens.ada, body: { reason: "to the outsider", agentId: outsider.id } });
    expect([res.status, res.body.error.code]).toEqual([409, "not_site_member"]);
    expect(await ticketNow(ticket.number)).toMatchObject({ status: "open", tier: 1, assigneeId: null });
    expect(await a.services.db.orm.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.type, "escalated")))).toEqual([]);
  });
});
