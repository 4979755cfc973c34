import { and, eq } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentStats } from "../protocol/index.js";
import { boot, type Boot } from "../server/boot.js";
import { readEnv } from "../server/config.js";
import { DEMO_AGENT_PASSWORD } from "../server/db/seed/seed.js";
import { agents, departments, sites, statsDaily, statsDays, tickets } from "../server/db/schema.js";
import type { RunResult } from "../server/jobs/runner.js";
import { writeRollup } from "../server/tickets/stats.js";

/**
 * The stats endpoint on a real libSQL file, through the app's own request handling, with a
 * clock the test sets. One site with business hours (Mon–Fri 09:00–17:00 UTC) holds six
 * tickets whose figures are worked out by hand below; a second site holds a few hundred
 * generated tickets on which stats read from the rollup must equal stats computed live.
 */
const ADMIN_PASSWORD = "stats-admin-password-1";
const dir = mkdtempSync(join(tmpdir(), "parley-stats-"));
const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
// Wednesday 2026-03-11, noon UTC: "today" for every request below.
let clock = at("2026-03-11T12:00:00Z");
let booted: Boot;
let adminToken: string;
let adaToken: string;
const FIXTURE_SITE = "site-stats-fixture";
const BULK_SITE = "site-stats-bulk";
const BILLING = "dep-stats-billing";
let adaId: string;
const BO = "agent-stats-bo";

async function request(path: string, token: string) {
  const response = await booted.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as AgentStats & { error?: { code: string } } };
}
const stats = async (query: string, token = adminToken) => {
  const { status, body } = await request(`/v1/agent/stats?${query}`, token);
  expect(status, JSON.stringify(body)).toBe(200);
  return body;
};
async function login(email: string, password: string) {
  const response = await booted.app.request("/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}
const ran = (result: RunResult) => {
  if (result.outcome !== "ran") throw new Error(`expected a run, the lease was held by ${result.holder}`);
  expect(result.run.status, result.run.error ?? "").toBe("succeeded");
  return result.run;
};

type TicketInsert = typeof tickets.$inferInsert;
let serial = 0;
const row = (siteId: string, fields: Partial<TicketInsert> & { createdAt: number }): TicketInsert => {
  serial++;
  const stamps = [fields.createdAt, fields.firstResponseAt, fields.resolvedAt, fields.closedAt, fields.ratedAt].filter((t): t is number => typeof t === "number");
  return {
    id: `stats-ticket-${serial}`,
    number: `TKT-2026-9${String(serial).padStart(5, "0")}`,
    siteId,
    subject: `Stats fixture ${serial}`,
    description: "fixture",
    source: "api",
    status: "open",
    updatedAt: Math.max(...stamps),
    ...fields,
  };
};

beforeAll(async () => {
  const env = readEnv({ DATABASE_URL: `file:${join(dir, "stats.db")}`, PARLEY_PBKDF2_ITERATIONS: "1000", PARLEY_SECRET: "stats-test-secret-0123456789abcdef0123456789", PARLEY_ADMIN_PASSWORD: ADMIN_PASSWORD });
  booted = await boot(env, () => "127.0.0.1", { hostsRooms: false, now: () => clock });
  const { orm } = booted.services.db;
  adaId = (await orm.query.agents.findFirst({ where: eq(agents.email, "ada@parley.test") }))!.id;
  const office = { timezone: "UTC", days: [1, 2, 3, 4, 5].map((day) => ({ day, open: "09:00", close: "17:00" })) };
  await orm.insert(sites).values([
    { id: FIXTURE_SITE, publicKey: "pk_stats_fixture", name: "Fixture Co", identitySecret: "fixture-secret", businessHours: office },
    { id: BULK_SITE, publicKey: "pk_stats_bulk", name: "Bulk Co", identitySecret: "bulk-secret" },
  ]);
  await orm.insert(departments).values({ id: BILLING, name: "Stats billing" });
  await orm.insert(agents).values({ id: BO, email: "bo@stats.test", name: "Bo Stats", passwordHash: "x" });

  const mon = (time: string) => at(`2026-03-09T${time}:00Z`);
  const tue = (time: string) => at(`2026-03-10T${time}:00Z`);
  const wed = (time: string) => at(`2026-03-11T${time}:00Z`);
  await orm.insert(tickets).values([
    // T1: answered in 10 min (due 15: met), resolved in 120 min (due 240: met), rated 5 on Tuesday.
    row(FIXTURE_SITE, { createdAt: mon("09:00"), assigneeId: adaId, departmentId: BILLING, status: "resolved", firstResponseAt: mon("09:10"), firstResponseDueAt: mon("09:15"), resolvedAt: mon("11:00"), resolutionDueAt: mon("13:00"), rating: 5, ratedAt: tue("10:00") }),
    // T2: answered in 20 min (due 15, breached), resolved Tuesday 10:00 = 420 + 60 business minutes (breached), closed Tuesday, rated 4.
    row(FIXTURE_SITE, { createdAt: mon("10:00"), assigneeId: adaId, departmentId: BILLING, status: "closed", firstResponseAt: mon("10:20"), firstResponseDueAt: mon("10:15"), firstResponseBreachedAt: mon("10:15"), resolvedAt: tue("10:00"), resolutionDueAt: tue("09:30"), resolutionBreachedAt: tue("09:30"), closedAt: tue("15:00"), rating: 4, ratedAt: tue("12:00") }),
    // T3: opened Monday 16:30, answered Tuesday 09:15 = 30 + 15 business minutes (due Tuesday 09:30: met); resolved today 10:00 = 30 + 480 + 60 (due 09:00, late: missed); rated 2 today.
    row(FIXTURE_SITE, { createdAt: mon("16:30"), assigneeId: BO, status: "resolved", firstResponseAt: tue("09:15"), firstResponseDueAt: tue("09:30"), resolvedAt: wed("10:00"), resolutionDueAt: wed("09:00"), rating: 2, ratedAt: wed("11:00") }),
    // T4: no SLA policy; answered in 40 min; waiting on the customer (paused: not breached).
    row(FIXTURE_SITE, { createdAt: tue("11:00"), departmentId: BILLING, status: "pending_customer", firstResponseAt: tue("11:40") }),
    // T5: opened today before hours, unanswered past its due time (not stamped yet): breached in the backlog.
    row(FIXTURE_SITE, { createdAt: wed("08:00"), status: "open", firstResponseDueAt: wed("09:15"), resolutionDueAt: wed("17:00") }),
    // T6: an old ticket still worked on, its resolution breached long ago; its events fall before the range.
    row(FIXTURE_SITE, { createdAt: at("2026-02-01T10:00:00Z"), assigneeId: BO, status: "in_progress", firstResponseAt: at("2026-02-02T10:00:00Z"), firstResponseDueAt: at("2026-02-02T11:00:00Z"), resolutionDueAt: at("2026-02-05T10:00:00Z"), resolutionBreachedAt: at("2026-02-05T10:00:00Z") }),
  ]);

  // A few hundred tickets over three weeks with pseudo-random times, agents, outcomes and ratings.
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const bulk: TicketInsert[] = [];
  const start = at("2026-02-18T00:00:00Z");
  for (let i = 0; i < 300; i++) {
    const createdAt = start + Math.floor(random() * 21 * 24 * 60) * MIN;
    const answered = random() < 0.85 ? createdAt + Math.floor(1 + random() * 600) * MIN : null;
    const resolved = answered !== null && random() < 0.7 ? answered + Math.floor(random() * 5_000) * MIN : null;
    const finished = resolved !== null && resolved < clock;
    bulk.push(
      row(BULK_SITE, {
        createdAt,
        assigneeId: [adaId, BO, null][Math.floor(random() * 3)]!,
        departmentId: random() < 0.5 ? BILLING : null,
        status: finished ? (random() < 0.5 ? "closed" : "resolved") : "in_progress",
        firstResponseAt: answered !== null && answered < clock ? answered : null,
        firstResponseDueAt: createdAt + 240 * MIN,
        resolutionDueAt: random() < 0.9 ? createdAt + 1_440 * MIN : null,
        resolutionBreachedAt: resolved !== null && resolved > createdAt + 1_440 * MIN && random() < 0.8 ? createdAt + 1_440 * MIN : null,
        resolvedAt: finished ? resolved : null,
        closedAt: finished && random() < 0.5 ? resolved! + 60 * MIN : null,
        rating: finished && random() < 0.5 ? 1 + Math.floor(random() * 5) : null,
        ratedAt: null,
      }),
    );
    const last = bulk.at(-1)!;
    if (last.rating != null) last.ratedAt = last.resolvedAt! + 30 * MIN;
    if (last.closedAt != null && last.closedAt >= clock) last.closedAt = null;
    if (last.ratedAt != null && last.ratedAt >= clock) (last.ratedAt = null), (last.rating = null);
    last.updatedAt = Math.max(...[last.createdAt, last.firstResponseAt, last.resolvedAt, last.closedAt, last.ratedAt].filter((t): t is number => typeof t === "number"));
  }
  await orm.insert(tickets).values(bulk);

  // Tokens are signed on the server's clock and their expiry checked on the real one: sign in now, then go back to March.
  const march = clock;
  clock = Date.now();
  adminToken = await login("admin@parley.test", ADMIN_PASSWORD);
  adaToken = await login("ada@parley.test", DEMO_AGENT_PASSWORD);
  clock = march;
});

afterAll(async () => {
  await booted?.jobs.stop();
  booted?.services.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const fixtureRange = `site=${FIXTURE_SITE}&from=2026-03-09&to=2026-03-11`;
const none = { count: 0, medianMinutes: null, p90Minutes: null };

function expectFixtureFigures(report: AgentStats) {
  expect(report.range).toEqual({ from: "2026-03-09", to: "2026-03-11", days: 3, timeZone: "UTC" });
  expect(report.perDay).toEqual([
    { day: "2026-03-09", created: 3, resolved: 1 },
    { day: "2026-03-10", created: 1, resolved: 1 },
    { day: "2026-03-11", created: 1, resolved: 1 },
  ]);
  // First replies 10, 20, 45, 40: nearest rank 2 of 4 is 20, rank 4 (⌈3.6⌉) is 45.
  expect(report.firstResponse).toEqual({ count: 4, medianMinutes: 20, p90Minutes: 45 });
  // Resolutions 120, 480, 570: rank 2 is 480, rank 3 (⌈2.7⌉) is 570.
  expect(report.resolution).toEqual({ count: 3, medianMinutes: 480, p90Minutes: 570 });
  expect(report.sla).toEqual({ firstResponse: { met: 2, missed: 1, attainment: 0.6667 }, resolution: { met: 1, missed: 2, attainment: 0.3333 } });
  // Ratings 5, 4, 2.
  expect(report.csat).toEqual({ count: 3, average: 3.67, distribution: [0, 1, 0, 1, 1] });
  expect(report.byStatus).toEqual({ open: 1, in_progress: 1, pending_customer: 1, escalated: 0, resolved: 2, closed: 1 });
  // T5 is 4 h old, T4 25 h, T6 38 days; T5 is past its due time and T6 stamped breached.
  expect(report.backlog).toEqual({
    total: 3,
    breached: 2,
    byAge: [
      { bucket: "under_1d", count: 1 },
      { bucket: "1d_3d", count: 1 },
      { bucket: "3d_7d", count: 0 },
      { bucket: "7d_30d", count: 0 },
      { bucket: "30d_plus", count: 1 },
    ],
  });
  expect(report.agents).toEqual([
    { agentId: adaId, name: "Ada Tier-One", created: 2, resolved: 2, firstResponse: { count: 2, medianMinutes: 10, p90Minutes: 20 }, resolution: { count: 2, medianMinutes: 120, p90Minutes: 480 }, sla: { firstResponse: { met: 1, missed: 1, attainment: 0.5 }, resolution: { met: 1, missed: 1, attainment: 0.5 } }, csat: { count: 2, average: 4.5, distribution: [0, 0, 0, 1, 1] } },
    { agentId: BO, name: "Bo Stats", created: 1, resolved: 1, firstResponse: { count: 1, medianMinutes: 45, p90Minutes: 45 }, resolution: { count: 1, medianMinutes: 570, p90Minutes: 570 }, sla: { firstResponse: { met: 1, missed: 0, attainment: 1 }, resolution: { met: 0, missed: 1, attainment: 0 } }, csat: { count: 1, average: 2, distribution: [0, 1, 0, 0, 0] } },
    { agentId: null, name: null, created: 2, resolved: 0, firstResponse: { count: 1, medianMinutes: 40, p90Minutes: 40 }, resolution: none, sla: { firstResponse: { met: 0, missed: 0, attainment: null }, resolution: { met: 0, missed: 0, attainment: null } }, csat: { count: 0, average: null, distribution: [0, 0, 0, 0, 0] } },
  ]);
  expect(report.departments.map(({ departmentId, created, resolved, firstResponse }) => ({ departmentId, created, resolved, firstResponse }))).toEqual([
    { departmentId: BILLING, created: 3, resolved: 2, firstResponse: { count: 3, medianMinutes: 20, p90Minutes: 40 } },
    { departmentId: null, created: 2, resolved: 1, firstResponse: { count: 1, medianMinutes: 45, p90Minutes: 45 } },
  ]);
}

describe("GET /v1/agent/stats", () => {
  it("answers the figures worked out by hand, computed live", async () => {
    expectFixtureFigures(await stats(fixtureRange));
  });

  it("filters by department and agent", async () => {
    const billing = await stats(`${fixtureRange}&department=${BILLING}`);
    expect(billing.perDay.map((day) => day.created)).toEqual([2, 1, 0]);
    expect(billing.byStatus).toMatchObject({ pending_customer: 1, resolved: 1, closed: 1, open: 0 });
    const bo = await stats(`${fixtureRange}&agent=${BO}`);
    expect(bo.resolution).toEqual({ count: 1, medianMinutes: 570, p90Minutes: 570 });
    expect(bo.backlog.total).toBe(1);
  });

  it("reads closed days from the rollup, which answers the same figures; today stays live", async () => {
    ran(await booted.jobs.run("stats-rollup", "admin"));
    const rolled = await booted.services.db.orm.select().from(statsDays).where(eq(statsDays.siteId, FIXTURE_SITE));
    expect(rolled.map((day) => day.day)).toContain("2026-03-10");
    expect(rolled.map((day) => day.day)).not.toContain("2026-03-11");
    expectFixtureFigures(await stats(fixtureRange));

    // Proof that Monday is read from the rollup: a change to Monday's ticket shows only once Monday is rolled again.
    const { orm } = booted.services.db;
    await orm.update(tickets).set({ resolvedAt: at("2026-03-09T10:00:00Z") }).where(eq(tickets.subject, "Stats fixture 1"));
    // Live, Ada's resolutions would now be 60 and 480 (median 60); the stored Monday still says 120.
    expect((await stats(fixtureRange)).agents[0]!.resolution).toEqual({ count: 2, medianMinutes: 120, p90Minutes: 480 });
    await writeRollup(booted.services.db, FIXTURE_SITE, ["2026-03-09"], clock);
    const after = await stats(fixtureRange);
    expect(after.resolution).toEqual({ count: 3, medianMinutes: 480, p90Minutes: 570 });
    expect(after.agents[0]!.resolution).toEqual({ count: 2, medianMinutes: 60, p90Minutes: 480 });
    await orm.update(tickets).set({ resolvedAt: at("2026-03-09T11:00:00Z") }).where(eq(tickets.subject, "Stats fixture 1"));
    await writeRollup(booted.services.db, FIXTURE_SITE, ["2026-03-09"], clock);
    expectFixtureFigures(await stats(fixtureRange));
  });

  it("equals live figures over generated tickets, and rolling a day again rewrites it to the same rows", async () => {
    const range = `site=${BULK_SITE}&from=2026-02-15&to=2026-03-11`;
    const { orm } = booted.services.db;
    const bulkDays = () => orm.select().from(statsDaily).where(eq(statsDaily.siteId, BULK_SITE)).orderBy(statsDaily.day, statsDaily.departmentId, statsDaily.agentId);
    await orm.delete(statsDaily).where(eq(statsDaily.siteId, BULK_SITE));
    await orm.delete(statsDays).where(eq(statsDays.siteId, BULK_SITE));
    const live = await stats(range);
    expect(live.resolution.count).toBeGreaterThan(100);
    expect(live.csat.count).toBeGreaterThan(20);

    ran(await booted.jobs.run("stats-rollup", "admin"));
    const once = await bulkDays();
    expect(new Set(once.map((r) => r.day)).size).toBeGreaterThan(15);
    expect(await stats(range)).toEqual(live);

    // The next run writes its last rolled day again; a whole range rewritten gives the same rows.
    ran(await booted.jobs.run("stats-rollup", "admin"));
    await writeRollup(booted.services.db, BULK_SITE, ["2026-02-20", "2026-02-21", "2026-02-22"], clock);
    expect(await bulkDays()).toEqual(once);
    expect(await stats(range)).toEqual(live);
    // Sub-ranges add up the same way (a range starting mid-rollup, ending today).
    expect(await stats(`site=${BULK_SITE}&from=2026-03-01&to=2026-03-11`)).toEqual(await statsAfterDroppingRollup(`site=${BULK_SITE}&from=2026-03-01&to=2026-03-11`));
  });

  it("shows an agent its own sites only; another site is answered as unknown", async () => {
    const refused = await request(`/v1/agent/stats?site=${FIXTURE_SITE}`, adaToken);
    expect(refused.status).toBe(404);
    expect(refused.body.error?.code).toBe("not_found");
    const demo = (await booted.services.db.orm.query.sites.findFirst({ where: eq(sites.publicKey, "pk_demo") }))!.id;
    const mine = await stats("from=2026-03-09&to=2026-03-11", adaToken);
    expect(mine.perDay.every((day) => day.created === 0)).toBe(true);
    expect(mine).toEqual(await stats(`site=${demo}&from=2026-03-09&to=2026-03-11`));
  });

  it("refuses bad ranges with the error shape", async () => {
    for (const query of ["from=2026-03-10&to=2026-03-09", "from=2025-01-01&to=2026-03-11", "from=2026-02-30", "to=yesterday"]) {
      const { status, body } = await request(`/v1/agent/stats?${query}`, adminToken);
      expect(status, query).toBe(400);
      expect(body.error?.code).toBe("validation_failed");
    }
    const defaults = await stats("");
    expect(defaults.range).toEqual({ from: "2026-02-10", to: "2026-03-11", days: 30, timeZone: "UTC" });
  });
});

/** The same request computed wholly live: the site's rollup set aside and put back. */
async function statsAfterDroppingRollup(query: string): Promise<AgentStats> {
  const { orm } = booted.services.db;
  const kept = await orm.select().from(statsDays).where(eq(statsDays.siteId, BULK_SITE));
  await orm.delete(statsDays).where(eq(statsDays.siteId, BULK_SITE));
  const report = await stats(query);
  await orm.insert(statsDays).values(kept);
  expect(await orm.select().from(statsDays).where(and(eq(statsDays.siteId, BULK_SITE)))).toHaveLength(kept.length);
  return report;
}
