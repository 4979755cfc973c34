import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentTicketListQuerySchema, TicketSortSchema, type AgentTicket } from "../../protocol/index.js";
import { openDatabase, type Database } from "../db/client.js";
import { readCategoryTable, type CategoryTable } from "../db/reference-cache.js";
import { categories, messages, sites, tickets, visitors } from "../db/schema.js";
import { EVERY_SITE } from "../domain/site-scope.js";
import { presentWithExtras } from "./present.js";
import { createPresentedTickets } from "./presented-tickets.js";
import { queryQueue, queueJson, readFoundTicket } from "./queue.js";

/**
 * `queueJson` answers what presenting and serializing `queryQueue`'s page answers, whatever
 * changed since a ticket was last presented: its columns, its unread count, its customer's
 * identity, its category's slug, or only the clock.
 */

let dir: string;
let db: Database;
const TICKETS = 12;
const ticketId = (i: number) => `t-${String(i).padStart(2, "0")}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-queue-json-"));
  db = await openDatabase(`file:${join(dir, "queue-json.db")}`);
  await db.write(async (tx) => {
    await tx.insert(sites).values({ id: "site-a", publicKey: "pk_a", name: "A", identitySecret: "a".repeat(64) });
    await tx.insert(categories).values({ id: "cat-a", slug: "billing", name: "Billing" });
    await tx.insert(visitors).values(
      Array.from({ length: TICKETS }, (_, i) => ({ id: `v-${i}`, siteId: "site-a", verified: i % 2 === 0, name: `Customer ${i}`, nameVerified: i % 2 === 0 })),
    );
    await tx.insert(tickets).values(
      Array.from({ length: TICKETS }, (_, i) => ({
        id: ticketId(i),
        number: `TKT-2026-${String(i + 1).padStart(6, "0")}`,
        siteId: "site-a",
        visitorId: `v-${i}`,
        customerName: `Customer ${i}`,
        subject: `Question ${i}`,
        description: "text",
        source: "widget" as const,
        categoryId: i % 3 === 0 ? "cat-a" : null,
        // Targets spread over the clock's range below, so moving it turns tickets at risk, then breached.
        firstResponseDueAt: 5_000 + i * 200,
        firstResponseWarnAt: 4_500 + i * 200,
        resolutionDueAt: 9_000 + i * 200,
        resolutionWarnAt: 8_000 + i * 200,
        slaClock: "continuous" as const,
        // Ties on created_at, so pages end inside a run of equal keys.
        createdAt: 1_000 + (i % 4) * 10,
        updatedAt: 1_000 + i,
      })),
    );
  });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const queries = [
  { limit: 5 },
  { limit: 5, sort: "due" },
  { status: "open", limit: 25 },
  { sort: "priority", limit: 4 },
].map((query) => AgentTicketListQuerySchema.parse(query));

/** Every page of every query above, as queueJson answers it and as presenting queryQueue's page and serializing it does. */
async function comparePages(categoryTable: CategoryTable, now: number): Promise<{ answered: string; expected: string }[]> {
  const compared: { answered: string; expected: string }[] = [];
  for (const query of queries) {
    let cursor: string | undefined;
    do {
      const paged = { ...query, cursor };
      const page = await queryQueue(db.orm, paged, "agent-a", EVERY_SITE, now);
      const expected = JSON.stringify({ items: presentWithExtras(page.rows, page.extras, categoryTable, now), nextCursor: page.nextCursor });
      compared.push({ answered: await queueJson(db, paged, "agent-a", EVERY_SITE, categoryTable, now), expected });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return compared;
}

type Change =
  | { kind: "clock"; by: number }
  | { kind: "status"; ticket: number; status: "open" | "in_progress" | "pending_customer" | "resolved" }
  | { kind: "tags"; ticket: number; tags: string[] }
  | { kind: "customer message"; ticket: number; internal: boolean }
  | { kind: "agent reads"; ticket: number }
  | { kind: "identity"; ticket: number; verified: boolean }
  | { kind: "category slug"; slug: string };

const ticket = fc.integer({ min: 0, max: TICKETS - 1 });
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant("clock" as const), by: fc.integer({ min: 0, max: 1_500 }) }),
  fc.record({ kind: fc.constant("status" as const), ticket, status: fc.constantFrom("open" as const, "in_progress" as const, "pending_customer" as const, "resolved" as const) }),
  fc.record({ kind: fc.constant("tags" as const), ticket, tags: fc.array(fc.constantFrom("vip", "refund", "bug"), { maxLength: 2 }) }),
  fc.record({ kind: fc.constant("customer message" as const), ticket, internal: fc.boolean() }),
  fc.record({ kind: fc.constant("agent reads" as const), ticket }),
  fc.record({ kind: fc.constant("identity" as const), ticket, verified: fc.boolean() }),
  fc.record({ kind: fc.constant("category slug" as const), slug: fc.constantFrom("billing", "payments", "invoices") }),
);

let messageCount = 0;
async function apply(changed: Change) {
  await db.write(async (tx) => {
    switch (changed.kind) {
      case "clock":
        return;
      case "status":
        await tx.update(tickets).set({ status: changed.status }).where(eq(tickets.id, ticketId(changed.ticket)));
        return;
      case "tags":
        await tx.update(tickets).set({ tags: changed.tags }).where(eq(tickets.id, ticketId(changed.ticket)));
        return;
      case "customer message": {
        const [row] = await tx.update(tickets).set({ lastSeq: sql`${tickets.lastSeq} + 1` }).where(eq(tickets.id, ticketId(changed.ticket))).returning({ seq: tickets.lastSeq });
        const n = messageCount++;
        await tx.insert(messages).values({ id: `m-${n}`, ticketId: ticketId(changed.ticket), seq: row!.seq, clientId: `c-${n}`, senderType: "customer", body: "hello", internal: changed.internal });
        return;
      }
      case "agent reads":
        await tx.update(tickets).set({ agentReadSeq: sql`${tickets.lastSeq}` }).where(eq(tickets.id, ticketId(changed.ticket)));
        return;
      case "identity":
        await tx.update(visitors).set({ verified: changed.verified, nameVerified: changed.verified }).where(eq(visitors.id, `v-${changed.ticket}`));
        return;
      case "category slug":
        await tx.update(categories).set({ slug: changed.slug }).where(eq(categories.id, "cat-a"));
        return;
    }
  });
}

describe("the queue page as JSON", () => {
  it("is the presented page, serialized, after any sequence of changes and clock moves", async () => {
    let now = 4_000;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), async (changes) => {
        for (const changed of changes) {
          await apply(changed);
          if (changed.kind === "clock") now += changed.by;
          // A new table whenever the slug changes, as the reference cache hands out after categoriesChanged().
          const categoryTable = await readCategoryTable(db.orm);
          for (const { answered, expected } of await comparePages(categoryTable, now)) expect(answered).toBe(expected);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("follows the clock through at-risk and breached for a ticket whose row stayed the same", async () => {
    const categoryTable = await readCategoryTable(db.orm);
    const query = AgentTicketListQuerySchema.parse({ limit: 25, sort: "due" });
    const states = new Set<string>();
    for (const now of [0, 4_600, 4_600, 5_100, 20_000, 0]) {
      const answered = JSON.parse(await queueJson(db, query, "agent-a", EVERY_SITE, categoryTable, now)) as { items: AgentTicket[] };
      const page = await queryQueue(db.orm, query, "agent-a", EVERY_SITE, now);
      expect(answered.items).toEqual(presentWithExtras(page.rows, page.extras, categoryTable, now));
      for (const item of answered.items) states.add(item.slaState);
    }
    // The witness that the clock moved states at all: were it ignored, the first page would answer throughout.
    expect(states).toContain("ok");
    expect(states).toContain("breached");
  });

  it("answers an empty page for an agent without sites, and every order's pages", async () => {
    const categoryTable = await readCategoryTable(db.orm);
    expect(await queueJson(db, queries[0]!, "agent-a", { all: false, siteIds: [] }, categoryTable, 0)).toBe('{"items":[],"nextCursor":null}');
    for (const sort of TicketSortSchema.options) {
      const query = AgentTicketListQuerySchema.parse({ sort, limit: 3 });
      const page = await queryQueue(db.orm, query, "agent-a", EVERY_SITE, 0);
      expect(await queueJson(db, query, "agent-a", EVERY_SITE, categoryTable, 0)).toBe(JSON.stringify({ items: presentWithExtras(page.rows, page.extras, categoryTable, 0), nextCursor: page.nextCursor }));
    }
  });
});

describe("presented tickets", () => {
  it("keeps at most its capacity, reading an evicted row's text again", async () => {
    const page = await queryQueue(db.orm, AgentTicketListQuerySchema.parse({ limit: 6 }), "agent-a", EVERY_SITE, 0);
    expect(page.rows).toHaveLength(6);
    // Stand-ins for the statement's texts, each read as one ticket of the page; the reads are counted.
    const found = new Map(page.rows.map((row, i) => [`row ${i}`, { row, rowid: i, extras: page.extras[i]! }]));
    const reads: string[] = [];
    const kept = createPresentedTickets(
      (text) => {
        reads.push(text);
        return found.get(text)!;
      },
      (text) => text,
      3,
    );
    const categoryTable = await readCategoryTable(db.orm);
    for (const text of found.keys()) expect(kept.json(kept.found(text), categoryTable, 0)).toBe(JSON.stringify(presentWithExtras([found.get(text)!.row], [found.get(text)!.extras], categoryTable, 0)[0]));
    expect(kept.size).toBe(3);
    expect(reads).toEqual(["row 0", "row 1", "row 2", "row 3", "row 4", "row 5"]);
    // The last three are kept, and reading one makes it the most recent; the first was evicted and is read again.
    for (const text of ["row 3", "row 4", "row 5", "row 3"]) kept.found(text);
    expect(reads).toHaveLength(6);
    kept.found("row 0");
    expect(reads).toEqual(["row 0", "row 1", "row 2", "row 3", "row 4", "row 5", "row 0"]);
    // row 4 was the least recently read: row 0 took its place.
    kept.found("row 4");
    expect(reads.at(-1)).toBe("row 4");
    expect(kept.size).toBe(3);
  });

  it("keeps one entry per key, and answers each text what that very text gave, even when two share a key", async () => {
    const page = await queryQueue(db.orm, AgentTicketListQuerySchema.parse({ limit: 2 }), "agent-a", EVERY_SITE, 0);
    const [first, second] = page.rows.map((row, i) => ({ row, rowid: i, extras: page.extras[i]! }));
    const found = new Map([
      ["a:1", first!],
      ["a:2", second!],
    ]);
    let reads = 0;
    const kept = createPresentedTickets(
      (text) => {
        reads++;
        return found.get(text)!;
      },
      (text) => text.split(":")[0]!,
      10,
    );
    expect(kept.found("a:1")).toBe(first);
    expect(kept.found("a:2")).toBe(second);
    expect(kept.found("a:1")).toBe(first);
    expect(reads).toBe(3);
    expect(kept.size).toBe(1);
    expect(kept.found("a:1")).toBe(first);
    expect(reads).toBe(3);
  });
});
