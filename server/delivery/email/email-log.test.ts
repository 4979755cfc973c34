import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../db/client.js";
import { writeOutbox } from "../../db/outbox.js";
import type { EmailNotice } from "../../domain/notification-rules.js";
import type { NewOutboxEntry } from "../channel.js";
import { emailLog, redeliverEmail } from "./email-log.js";

/** The email log on a real libSQL file whose outbox holds mostly room entries, as a live one does. */
const dir = mkdtempSync(join(tmpdir(), "parley-email-log-"));
let db: Database;
const statements: string[] = [];

const notice = (to: string): EmailNotice => ({
  template: "ticket-created",
  locale: "en",
  audience: "customer",
  to,
  toName: null,
  siteId: "site-1",
  ticketId: "ticket-1",
  ticketNumber: "TKT-2026-000001",
  vars: { number: "TKT-2026-000001", subject: "Sync", customerName: null },
});
const email = (to: string): NewOutboxEntry => ({ channel: "email", target: to, eventType: "ticket.created", payload: notice(to), ticketId: "ticket-1" });
const room = (n: number): NewOutboxEntry => ({ channel: "room", target: `ticket:${n}`, eventType: "message.created", payload: { n }, ticketId: null });

beforeAll(async () => {
  db = await openDatabase(`file:${join(dir, "log.db")}`, { onStatement: (text) => statements.push(text) });
  const entries: NewOutboxEntry[] = [];
  for (let i = 0; i < 200; i++) entries.push(i % 40 === 0 ? email(`c${i}@example.com`) : room(i));
  // And one whose payload this server cannot read (rows outlive code).
  entries.push({ channel: "email", target: "old@example.com", eventType: "ticket.created", payload: { template: "retired-template" }, ticketId: null });
  await db.write((tx) => writeOutbox(tx, entries, { now: 1_000 }));
  await db.write((tx) => tx.run(sql`UPDATE outbox SET status = 'dead', attempts = 1, last_error = 'SMTP 550' WHERE target = 'c40@example.com'`));
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("emailLog", () => {
  it("lists only the email channel's entries, newest first, paged by id, and narrows by status", async () => {
    const first = await emailLog(db.orm, { limit: 4 });
    expect(first.items.map((entry) => entry.target)).toEqual(["old@example.com", "c160@example.com", "c120@example.com", "c80@example.com"]);
    expect(first.items[0]!.notice).toBeNull();
    expect(first.items[1]!.notice).toMatchObject({ template: "ticket-created", ticketNumber: "TKT-2026-000001" });
    const rest = await emailLog(db.orm, { limit: 4, before: first.nextCursor! });
    expect(rest.items.map((entry) => entry.target)).toEqual(["c40@example.com", "c0@example.com"]);
    expect(rest.nextCursor).toBeNull();
    expect((await emailLog(db.orm, { limit: 10, status: "dead" })).items.map((entry) => [entry.target, entry.lastError])).toEqual([["c40@example.com", "SMTP 550"]]);
  });

  it("is served by the partial index, never a scan of the whole outbox nor a sort", async () => {
    for (const [query, args] of [
      [{ limit: 25 }, [26]],
      [{ limit: 25, status: "dead" as const, before: 150 }, ["dead", 150, 26]],
    ] as const) {
      statements.length = 0;
      await emailLog(db.orm, query);
      const select = statements.find((text) => /FROM outbox/i.test(text))!;
      const plan = (await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${select}`, args: [...args] })).rows.map((row) => String(row.detail));
      expect(plan.join("\n")).toMatch(/USING (COVERING )?INDEX outbox_email_idx/);
      expect(plan.join("\n")).not.toMatch(/TEMP B-TREE/);
    }
  });

  it("redelivers an email entry and refuses any other channel's as unknown", async () => {
    const [dead] = (await emailLog(db.orm, { limit: 1, status: "dead" })).items;
    const result = await redeliverEmail(db, dead!.id, 5_000);
    expect(result).toMatchObject({ status: "queued", entry: { id: dead!.id, status: "pending", attempts: 0, nextAttemptAt: 5_000 } });
    const [roomEntry] = await db.orm.all<{ id: number }>(sql`SELECT id FROM outbox WHERE channel = 'room' LIMIT 1`);
    expect(await redeliverEmail(db, Number(roomEntry!.id), 5_000)).toEqual({ status: "unknown" });
    expect(await redeliverEmail(db, 999_999, 5_000)).toEqual({ status: "unknown" });
  });
});
