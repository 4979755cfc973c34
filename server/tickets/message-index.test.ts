import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandContext } from "../commands/command.js";
import { openTicket } from "../commands/open-ticket.js";
import { postMessage } from "../commands/ticket-messages.js";
import { openDatabase, type Database } from "../db/client.js";
import { sites } from "../db/schema.js";
import { seedDemo } from "../db/seed/seed.js";
import { createMessageIndexer, indexPendingMessages, messagesAwaitIndexing } from "./message-index.js";

const dir = mkdtempSync(join(tmpdir(), "parley-message-index-"));
let db: Database;
let context: CommandContext;
let siteId: string;
let sequence = 0;

beforeAll(async () => {
  db = await openDatabase(`file:${join(dir, "index.db")}`);
  await seedDemo(db, { adminEmail: "admin@parley.test", adminPassword: "admin-password-1", passwordIterations: 1_000, demoOrigins: [] });
  context = { db, now: Date.now, outbox: { accepts: () => false, handOver: null, wake: () => undefined } };
  siteId = (await db.orm.select({ id: sites.id }).from(sites).limit(1))[0]!.id;
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ticketWith(bodies: string[]) {
  const { ticket } = await openTicket(context, { siteId, visitorId: null, customerName: "Ivy", customerEmail: null, subject: "Index", description: "index me", source: "api" }, { type: "customer", id: null });
  for (const body of bodies) {
    await postMessage(context, { ticket: { number: ticket.number }, clientId: `index-${sequence++}`, body, sender: { type: "customer", id: null, name: "Ivy" }, internal: false, attachments: [] });
  }
  return ticket;
}

/** Rowids of the messages the index finds for a word. */
const found = async (word: string) => (await db.orm.all<{ rowid: number }>(sql`select rowid from messages_fts where messages_fts match ${word} order by rowid`)).map((row) => Number(row.rowid));
const rowidOf = async (body: string) => Number((await db.orm.all<{ rowid: number }>(sql`select rowid from messages where body = ${body}`))[0]!.rowid);
/** FTS5's own check of the index against the messages it was built from: it throws on any drift. */
const indexIsConsistent = () => db.client.execute("insert into messages_fts(messages_fts, rank) values ('integrity-check', 1)");

describe("the deferred message index", () => {
  it("indexes a committed message after its write, not in it", async () => {
    await ticketWith(["the flux capacitor hums"]);
    expect(await found("capacitor")).toEqual([]);
    expect(await messagesAwaitIndexing(db.orm)).toBe(true);
    expect(await indexPendingMessages(db)).toBe(1);
    expect(await found("capacitor")).toEqual([await rowidOf("the flux capacitor hums")]);
    expect(await messagesAwaitIndexing(db.orm)).toBe(false);
    await indexIsConsistent();
  });

  it("keeps the index exact when a message is edited or deleted before and after it is indexed", async () => {
    await ticketWith(["waiting walrus", "doomed dodo", "early egret"]);
    // Before indexing: an edit and a delete touch only the waiting list.
    await db.client.execute({ sql: "update messages set body = 'edited walrus' where body = 'waiting walrus'", args: [] });
    await db.client.execute({ sql: "delete from messages where body = 'doomed dodo'", args: [] });
    await indexPendingMessages(db);
    expect(await found("edited")).toEqual([await rowidOf("edited walrus")]);
    expect(await found("waiting")).toEqual([]);
    expect(await found("dodo")).toEqual([]);
    await indexIsConsistent();
    // After indexing: the triggers keep the index in step.
    const egret = await rowidOf("early egret");
    await db.client.execute({ sql: "update messages set body = 'late egret' where rowid = ?", args: [egret] });
    expect(await found("late")).toEqual([egret]);
    expect(await found("early")).toEqual([]);
    await db.client.execute({ sql: "delete from messages where rowid = ?", args: [egret] });
    expect(await found("egret")).toEqual([]);
    await indexIsConsistent();
  });

  it("indexes a message that reuses the rowid of a deleted one", async () => {
    await ticketWith(["topmost tapir"]);
    await indexPendingMessages(db);
    const top = await rowidOf("topmost tapir");
    await db.client.execute({ sql: "delete from messages where rowid = ?", args: [top] });
    await ticketWith(["reborn rhino"]);
    await indexPendingMessages(db);
    expect(await found("rhino")).toEqual([await rowidOf("reborn rhino")]);
    expect(await found("tapir")).toEqual([]);
    await indexIsConsistent();
  });

  it("works through a backlog larger than one batch, and a catch-up leaves nothing waiting", async () => {
    await ticketWith(Array.from({ length: 450 }, (_, i) => `backlog item ${i}`));
    const indexer = createMessageIndexer(db, () => undefined);
    await Promise.all([indexer.catchUp(), indexer.catchUp()]);
    expect(await messagesAwaitIndexing(db.orm)).toBe(false);
    expect(await found("backlog")).toHaveLength(450);
    await indexer.stop();
    await indexIsConsistent();
  });
});
