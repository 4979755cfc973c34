import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketStatus } from "../../protocol/index.js";
import { openDatabase, type Database } from "../db/client.js";
import { agents, messages, sites, tickets } from "../db/schema.js";
import { EVERY_SITE, type SiteScope } from "../domain/site-scope.js";
import { dashboardCounts, dashboardStatements } from "./dashboard-counts.js";

/**
 * The dashboard counts against tickets built by hand, each written with the counts it should
 * move, so every expected figure below is read off this table rather than computed by the code
 * under test. The clock is NOW = 10_000: warn marks at 8_000, due times at 12_000 (running),
 * 9_000 (overdue).
 */
const NOW = 10_000;
let dir: string;
let db: Database;
const me = "agent-me";
const other = "agent-other";

interface Fixture {
  id: string;
  site: "a" | "b";
  status: TicketStatus;
  assignee?: string;
  /** The pending first-response target: warn mark and due time (no first response yet). */
  warn?: number;
  due?: number;
  breachedAt?: number;
  /** Customer messages after the team's read mark. */
  unreadCustomer?: boolean;
}

// site a                                                  open inProg unassigned atRisk breached myUnread (as agent-me)
const fixtures: Fixture[] = [
  { id: "a1", site: "a", status: "open" }, //               1    -      1          -      -
  { id: "a2", site: "a", status: "open", assignee: me, warn: 8_000, due: 12_000, unreadCustomer: true }, // 1 - - 1 - 1
  { id: "a3", site: "a", status: "in_progress", assignee: other, warn: 8_000, due: 9_000 }, // - 1 - - 1 -
  { id: "a4", site: "a", status: "in_progress", assignee: me, warn: 11_000, due: 12_000 }, // - 1 - - - -
  { id: "a5", site: "a", status: "escalated", warn: 8_000, due: 12_000, breachedAt: 7_000 }, // - - 1 - 1 -
  { id: "a6", site: "a", status: "pending_customer", assignee: me, warn: 8_000, due: 9_000, unreadCustomer: true }, // - - - - - 1 (paused: no SLA)
  { id: "a7", site: "a", status: "resolved", warn: 8_000, due: 9_000 }, //  finished: nothing
  { id: "a8", site: "a", status: "closed", assignee: me, unreadCustomer: true }, // finished: nothing
  { id: "a9", site: "a", status: "in_progress", assignee: me }, // - 1 - - - - (read everything)
];
// site b: open 1, unassigned 1, atRisk 1 (agent-me holds one with an unread message there)
fixtures.push(
  { id: "b1", site: "b", status: "open", warn: 8_000, due: 12_000 },
  { id: "b2", site: "b", status: "in_progress", assignee: me, unreadCustomer: true },
);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-dashboard-"));
  db = await openDatabase(`file:${join(dir, "dashboard.db")}`);
  await db.write(async (tx) => {
    await tx.insert(sites).values([
      { id: "a", publicKey: "pk_a", name: "A", identitySecret: "a".repeat(64) },
      { id: "b", publicKey: "pk_b", name: "B", identitySecret: "b".repeat(64) },
    ]);
    await tx.insert(agents).values([
      { id: me, email: "me@dash.test", name: "Me", passwordHash: "x" },
      { id: other, email: "other@dash.test", name: "Other", passwordHash: "x" },
    ]);
    await tx.insert(tickets).values(
      fixtures.map((f, i) => ({
        id: f.id,
        number: `TKT-2026-${String(i + 1).padStart(6, "0")}`,
        siteId: f.site,
        subject: `Ticket ${f.id}`,
        description: "text",
        source: "widget" as const,
        status: f.status,
        assigneeId: f.assignee ?? null,
        firstResponseWarnAt: f.warn ?? null,
        firstResponseDueAt: f.due ?? null,
        resolutionWarnAt: f.warn === undefined ? null : 50_000,
        resolutionDueAt: f.due === undefined ? null : 60_000,
        firstResponseBreachedAt: f.breachedAt ?? null,
        slaClock: f.due === undefined ? null : ("continuous" as const),
        // Two messages each: the agent read the first; an unread customer message is the second.
        lastSeq: 2,
        agentReadSeq: f.unreadCustomer ? 1 : 2,
        createdAt: 1_000 + i,
        updatedAt: 1_000 + i,
      })),
    );
    await tx.insert(messages).values(
      fixtures.flatMap((f) => [
        { id: `${f.id}-m1`, ticketId: f.id, seq: 1, visibleSeq: 1, clientId: `${f.id}-c1`, senderType: "customer" as const, body: "hello" },
        // Where the read mark is behind, the customer wrote last; elsewhere the agent replied last (never unread to the team).
        { id: `${f.id}-m2`, ticketId: f.id, seq: 2, visibleSeq: 2, clientId: `${f.id}-c2`, senderType: f.unreadCustomer ? ("customer" as const) : ("agent" as const), body: "more" },
      ]),
    );
    // A note from the customer side never exists; an internal note above the read mark must not count as unread.
    await tx.insert(messages).values({ id: "a9-note", ticketId: "a9", seq: 3, visibleSeq: null, clientId: "a9-c3", senderType: "agent", body: "note", internal: true });
  });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("dashboard counts", () => {
  it("counts one site's tickets by hand-read figures for an agent of that site", async () => {
    const siteA: SiteScope = { all: false, siteIds: ["a"] };
    expect(await dashboardCounts(db.orm, siteA, me, NOW)).toEqual({ open: 2, inProgress: 3, unassigned: 2, atRisk: 1, breached: 2, myUnread: 2 });
    // Another agent of the same site: same team counts, its own unread (none).
    expect(await dashboardCounts(db.orm, siteA, other, NOW)).toEqual({ open: 2, inProgress: 3, unassigned: 2, atRisk: 1, breached: 2, myUnread: 0 });
  });

  it("adds the other site for an admin, and counts only that site for its own agent", async () => {
    expect(await dashboardCounts(db.orm, EVERY_SITE, me, NOW)).toEqual({ open: 3, inProgress: 4, unassigned: 3, atRisk: 2, breached: 2, myUnread: 3 });
    expect(await dashboardCounts(db.orm, { all: false, siteIds: ["b"] }, me, NOW)).toEqual({ open: 1, inProgress: 1, unassigned: 1, atRisk: 1, breached: 0, myUnread: 1 });
    expect(await dashboardCounts(db.orm, { all: false, siteIds: [] }, me, NOW)).toEqual({ open: 0, inProgress: 0, unassigned: 0, atRisk: 0, breached: 0, myUnread: 0 });
  });

  it("moves at risk to breached as the clock passes the due time", async () => {
    const siteA: SiteScope = { all: false, siteIds: ["a"] };
    // At 12_000 a2's and a4's first responses are overdue too; at 7_999 nothing is at risk yet, a3 is fine too.
    expect(await dashboardCounts(db.orm, siteA, me, 12_000)).toMatchObject({ atRisk: 0, breached: 4 });
    expect(await dashboardCounts(db.orm, siteA, me, 7_999)).toMatchObject({ atRisk: 0, breached: 1 });
  });

  it("reads the counts from the dashboard index alone, and my unread along the caller's tickets with one message seek each", async () => {
    for (const scope of [EVERY_SITE, { all: false, siteIds: ["a"] } as SiteScope]) {
      const [counts, unread] = dashboardStatements(scope, me, NOW);
      const plan = async (s: { sql: string; args: unknown[] }) =>
        (await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${s.sql}`, args: s.args as never })).rows.map((row) => String(row.detail)).join(" | ");
      const countsPlan = await plan(counts!);
      expect(countsPlan).toMatch(/SEARCH tickets USING COVERING INDEX tickets_site_dashboard_idx \(site_id=\? AND status=\?\)/);
      expect(countsPlan).not.toMatch(/SCAN tickets/);
      const unreadPlan = await plan(unread!);
      // By the caller's own tickets: the assignee/status index, or (scoped) the dashboard index down to the assignee.
      expect(unreadPlan).toMatch(/SEARCH tickets USING INDEX (tickets_assignee_status_\w+ \(assignee_id=\? AND status=\?\)|tickets_site_dashboard_idx \(site_id=\? AND status=\? AND assignee_id=\?\))/);
      expect(unreadPlan).toMatch(/SEARCH messages USING INDEX messages_ticket_seq_idx \(ticket_id=\? AND seq>\?\)/);
    }
  });
});
