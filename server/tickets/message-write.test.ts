import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/client.js";
import { messages, sites, tickets } from "../db/schema.js";
import { seedDemo } from "../db/seed/seed.js";
import { canTransition } from "../domain/ticket-lifecycle.js";
import { ticketByNumber } from "./access.js";
import { appendMessage, changeStatus, createTicket } from "./store.js";

/**
 * A message write reads nothing back (no RETURNING): it answers the message it was given and
 * the ticket row it read plus the columns it set. Whatever the senders, notes, status moves and
 * SLA times (breaches included), those answers equal the rows as stored, read again in the same
 * transaction; and a resend answers the stored message and changes nothing.
 */

let dir: string;
let db: Database;
let siteId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-message-write-"));
  db = await openDatabase(`file:${join(dir, "write.db")}`);
  // The demo data brings SLA policies, so tickets start with due times that messages move.
  await seedDemo(db, { adminEmail: "admin@parley.test", adminPassword: "admin-password-1", passwordIterations: 1_000, demoOrigins: [] });
  siteId = (await db.orm.select({ id: sites.id }).from(sites).limit(1))[0]!.id;
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Step =
  | { kind: "message"; sender: "customer" | "agent" | "bot"; internal: boolean; later: number; wholeRow: boolean; resend: boolean }
  | { kind: "resolve"; later: number };

const HOUR = 3_600_000;
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("message" as const), sender: fc.constantFrom("customer" as const, "agent" as const, "bot" as const), internal: fc.boolean(), later: fc.integer({ min: 0, max: 30 * HOUR }), wholeRow: fc.boolean(), resend: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("resolve" as const), later: fc.integer({ min: 0, max: 4 * HOUR }) }) },
);

let sent = 0;

describe("a message write answers the rows it stored", () => {
  it("holds for any mix of senders, notes, status moves and SLA times", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("urgent" as const, "high" as const, "normal" as const), fc.array(step, { minLength: 1, maxLength: 12 }), async (priority, steps) => {
        let at = 1_800_000_000_000;
        const { number } = await db.write((tx) =>
          createTicket(tx, { siteId, visitorId: null, customerName: "Ivy", customerEmail: null, subject: "Sync", description: "It stopped.", source: "api", priority }, { type: "system", id: null }, at),
        );
        let lastClientId: string | null = null;
        for (const one of steps) {
          at += one.later;
          await db.write(async (tx) => {
            const read = await ticketByNumber(tx, number);
            if (one.kind === "resolve") {
              if (canTransition(read.status, "resolved")) await changeStatus(tx, read, "resolved", { type: "system", id: null }, at);
              return;
            }
            if (read.status === "closed") return;
            // Commands read the ticket through its reader; older paths hand over the whole row.
            const ticket = one.wholeRow ? (await tx.query.tickets.findFirst({ where: eq(tickets.number, number) }))! : read;
            const resend = one.resend && lastClientId !== null;
            const clientId = resend ? lastClientId! : `write-${sent++}`;
            const internal = one.sender !== "customer" && one.internal;
            const result = await appendMessage(tx, ticket, { clientId, body: `message ${clientId}`, senderType: one.sender, senderId: null, senderName: "Someone", internal, attachments: [] }, at);

            const [stored] = await tx.select().from(messages).where(and(eq(messages.ticketId, read.id), eq(messages.clientId, clientId)));
            expect(result.message).toEqual(stored);
            const current = await ticketByNumber(tx, number);
            expect(result.ticket).toEqual(current);
            expect(result.created).toBe(!resend);
            if (resend) expect(current).toEqual(read);
            else expect(result.statusChanged).toBe(current.status !== read.status);
            lastClientId = clientId;
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it("answers the stored message to a resend without writing", async () => {
    const at = 1_900_000_000_000;
    const { number } = await db.write((tx) =>
      createTicket(tx, { siteId, visitorId: null, customerName: null, customerEmail: null, subject: "Again", description: "Twice.", source: "api" }, { type: "system", id: null }, at),
    );
    const input = { clientId: "write-resend", body: "once only", senderType: "customer" as const, senderId: null, senderName: null, internal: false, attachments: [] };
    const first = await db.write(async (tx) => appendMessage(tx, await ticketByNumber(tx, number), input, at));
    const again = await db.write(async (tx) => appendMessage(tx, await ticketByNumber(tx, number), { ...input, body: "a different body" }, at + 1_000));
    expect(again.created).toBe(false);
    expect(again.message).toEqual(first.message);
    expect(again.ticket).toEqual(first.ticket);
    const rows = await db.orm.select().from(messages).where(eq(messages.ticketId, first.ticket.id));
    expect(rows.map((row) => row.body)).toEqual(["once only"]);
  });
});
