import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentTicketListQuerySchema, TicketSortSchema } from "../../protocol/index.js";
import { openDatabase, type Database } from "../db/client.js";
import { sites, tickets } from "../db/schema.js";
import { FEW_MATCHES, queryQueue, queueStatement } from "./queue.js";
import { EVERY_SITE } from "../domain/site-scope.js";
import type { TicketRow } from "./views.js";

/**
 * The queue's text search (`q`): a substring of number, subject, description, customer name or
 * email, case-insensitive. Few matches are read from the trigram index; a common term walks
 * the order's index instead. Both must give exactly what a scan of every ticket would.
 */

let dir: string;
let db: Database;
const agentId = "agent-a";
const commonCount = FEW_MATCHES + 50;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-queue-search-"));
  db = await openDatabase(`file:${join(dir, "search.db")}`);
  await db.write(async (tx) => {
    await tx.insert(sites).values({ id: "site-a", publicKey: "pk_a", name: "A", identitySecret: "a".repeat(64) });
    const rows = Array.from({ length: commonCount + 60 }, (_, i) => {
      const special = i >= commonCount;
      const j = i - commonCount;
      return {
        id: `t-${String(i).padStart(5, "0")}`,
        number: `TKT-2026-${String(i + 1).padStart(6, "0")}`,
        siteId: "site-a",
        subject: special ? [`Invoice ${j} is wrong`, `50% off "promo" code`, `under_score case`, `Ünïcode Straße`][j % 4]! : `Refund please ${i}`,
        description: special && j % 5 === 0 ? "The CSV export times out" : "text",
        customerName: special && j % 3 === 0 ? `Zoë Martin ${j}` : null,
        customerEmail: special && j % 3 === 1 ? `zoe.${j}@example.org` : null,
        source: "widget" as const,
        status: i % 3 === 0 ? ("open" as const) : ("pending_customer" as const),
        createdAt: 1_000 + (i % 11) * 10,
        updatedAt: 2_000 + (i % 7) * 10,
      };
    });
    for (let i = 0; i < rows.length; i += 500) await tx.insert(tickets).values(rows.slice(i, i + 500));
  });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const contains = (row: TicketRow, q: string) =>
  [row.number, row.subject, row.description, row.customerName, row.customerEmail].some((text) => text !== null && text.toLowerCase().includes(q.toLowerCase()));

async function everyPage(filter: Record<string, unknown>, sort: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryQueue(db.orm, AgentTicketListQuerySchema.parse({ ...filter, sort, limit: 100, cursor }), agentId, EVERY_SITE);
    seen.push(...page.rows.map((row) => row.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

describe("agent queue search", () => {
  it("finds what a scan of every ticket finds, for rare and common terms, in every order", async () => {
    const all = await db.orm.select().from(tickets);
    // Rare terms (the index), a common one (the order's index), a short one (no trigram), none,
    // and text LIKE or a phrase query would read as syntax.
    const terms = ["invoice 1", "ZOE.", "zoë", "csv export", "refund", "re", "zzqx-nothing", '"promo"', "50%", "under_score", "STRASSE", "straße", "000042"];
    for (const q of terms) {
      const matching = all.filter((row) => contains(row, q) && row.status === "open");
      for (const sort of TicketSortSchema.options) {
        const seen = await everyPage({ q, status: "open" }, sort);
        expect(new Set(seen).size, `${q} sort=${sort}: no repeats`).toBe(seen.length);
        expect([...seen].sort(), `${q} sort=${sort}`).toEqual(matching.map((row) => row.id).sort());
      }
    }
    // The common term really is above the threshold, and the rare ones below it.
    expect(all.filter((row) => contains(row, "refund")).length).toBeGreaterThan(FEW_MATCHES);
    expect(all.filter((row) => contains(row, "invoice 1")).length).toBeGreaterThan(0);
  }, 120_000);

  it("reads few matches by rowid, never by walking a table or an order's index", async () => {
    const query = AgentTicketListQuerySchema.parse({ q: "invoice", status: "open", sort: "priority" });
    const { sql, args } = queueStatement(query, agentId, [1, 2, 3]);
    const plan = (await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args as never })).rows.map((row) => String(row.detail));
    expect(plan.some((line) => /SEARCH tickets USING INTEGER PRIMARY KEY/.test(line)), plan.join(" | ")).toBe(true);
    // Each found ticket then looks up its visitor and unread count by index; no tickets index is walked.
    expect(plan.some((line) => /SCAN tickets|SEARCH tickets USING (COVERING )?INDEX/.test(line)), plan.join(" | ")).toBe(false);
  });

  it("keeps the index in step with changed and deleted tickets", async () => {
    await db.write((tx) => tx.update(tickets).set({ subject: "Password reset loop" }).where(eq(tickets.id, `t-${String(commonCount).padStart(5, "0")}`)));
    const after = (q: string) => everyPage({ q }, "-created");
    expect(await after("password reset")).toEqual([`t-${String(commonCount).padStart(5, "0")}`]);
    expect(await after("invoice 0 is")).toEqual([]);
    await db.write((tx) => tx.delete(tickets).where(eq(tickets.id, `t-${String(commonCount).padStart(5, "0")}`)));
    expect(await after("password reset")).toEqual([]);
  });
});
