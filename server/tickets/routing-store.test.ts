import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/client.js";
import { agentSites, agents, sites, tickets } from "../db/schema.js";
import { moveRoutingPointer, routingCandidates, routingPointer, selectCandidates, siteRouting } from "./routing-store.js";

/** Routing's reads on a real file: the loads it counts, the index that counts them, the pointer. */
let dir: string;
let db: Database;
const ticket = { siteId: "site-a", departmentId: null, categoryId: null, tier: 1 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-routing-"));
  db = await openDatabase(`file:${join(dir, "routing.db")}`);
  await db.write(async (tx) => {
    await tx.insert(sites).values([
      { id: "site-a", publicKey: "pk_a", name: "A", identitySecret: "a".repeat(64), routing: "automatic" },
      { id: "site-b", publicKey: "pk_b", name: "B", identitySecret: "b".repeat(64) },
    ]);
    await tx.insert(agents).values([
      { id: "ada", email: "ada@routing.test", name: "Ada", passwordHash: "x", status: "available", skills: ["cat-1"] },
      { id: "sam", email: "sam@routing.test", name: "Sam", passwordHash: "x", status: "busy" },
      { id: "out", email: "out@routing.test", name: "Out", passwordHash: "x", status: "available" },
    ]);
    await tx.insert(agentSites).values([
      { agentId: "ada", siteId: "site-a" },
      { agentId: "sam", siteId: "site-a" },
      { agentId: "out", siteId: "site-b" },
    ]);
    const statuses = ["open", "in_progress", "pending_customer", "escalated", "resolved", "closed"] as const;
    // Ada holds one ticket in every status (four active) on two sites: the load counts all her active work.
    await tx.insert(tickets).values(
      statuses.map((status, i) => ({ id: `t-${i}`, number: `TKT-2026-00000${i}`, siteId: i === 0 ? "site-b" : "site-a", subject: "s", description: "d", source: "api" as const, status, assigneeId: "ada" })),
    );
  });
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("routing store", () => {
  it("reads a site's members with their active loads (resolved and closed do not count; every site's work does)", async () => {
    const candidates = await db.write((tx) => routingCandidates(tx, ticket));
    expect(candidates.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: "ada", active: true, memberOfSite: true, status: "available", departmentId: null, tier: 1, capacity: 5, skills: ["cat-1"], load: 4 },
      { id: "sam", active: true, memberOfSite: true, status: "busy", departmentId: null, tier: 1, capacity: 5, skills: [], load: 0 },
    ]);
  });

  it("counts each load from the (assignee, status) index, never by scanning tickets", async () => {
    const plan = (await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${selectCandidates.sql}`, args: selectCandidates.args({ siteId: "site-a" }) as never })).rows.map((row) => String(row.detail));
    const ticketReads = plan.filter((line) => /\btickets\b/.test(line));
    expect(ticketReads.length).toBeGreaterThan(0);
    for (const line of ticketReads) expect(line).toMatch(/^SEARCH tickets USING COVERING INDEX tickets_assignee_status_\w+ \(assignee_id=\? AND status=\?\)$/);
    expect(plan.some((line) => /SEARCH agent_sites USING (COVERING )?INDEX agent_sites_site_idx/.test(line))).toBe(true);
  });

  it("keeps one pointer per site and department, moved in place", async () => {
    expect(await db.write((tx) => routingPointer(tx, ticket))).toBeNull();
    await db.write((tx) => moveRoutingPointer(tx, ticket, "ada", 1));
    await db.write((tx) => moveRoutingPointer(tx, ticket, "sam", 2));
    await db.write((tx) => moveRoutingPointer(tx, { ...ticket, departmentId: "billing" }, "ada", 3));
    expect(await db.write((tx) => routingPointer(tx, ticket))).toBe("sam");
    expect(await db.write((tx) => routingPointer(tx, { ...ticket, departmentId: "billing" }))).toBe("ada");
    expect(await db.write((tx) => routingPointer(tx, { ...ticket, siteId: "site-b" }))).toBeNull();
  });

  it("reads the site's settings (manual and off unless set)", async () => {
    expect(await siteRouting(db.orm, "site-a")).toEqual({ routing: "automatic", releaseOnAway: false });
    expect(await siteRouting(db.orm, "site-b")).toEqual({ routing: "manual", releaseOnAway: false });
  });
});
