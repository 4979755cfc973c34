import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentTicketListQuerySchema } from "../../protocol/index.js";
import { openDatabase, type Database } from "../db/client.js";
import { sites } from "../db/schema.js";
import { EVERY_SITE } from "../domain/site-scope.js";
import { ticketByNumber } from "./access.js";
import { queryQueue } from "./queue.js";
import { appendMessage, createTicket, moveReadMark } from "./store.js";

/**
 * The queue's unread count (customer messages above the team's read mark, notes never) skips
 * the messages of a ticket read up to its last seq. Whatever the mix of customer messages,
 * replies, notes and read marks, and however they interleave, it equals a recount of the
 * messages and the count this test keeps itself.
 */

let dir: string;
let db: Database;
const numbers: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-queue-unread-"));
  db = await openDatabase(`file:${join(dir, "unread.db")}`);
  await db.write(async (tx) => {
    await tx.insert(sites).values({ id: "site-a", publicKey: "pk_a", name: "A", identitySecret: "a".repeat(64) });
    for (let i = 0; i < 4; i++) {
      const ticket = await createTicket(tx, { siteId: "site-a", visitorId: null, customerName: null, customerEmail: null, subject: `Question ${i}`, description: "text", source: "api" }, { type: "system", id: null }, 1_000);
      numbers.push(ticket.number);
    }
  });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Step =
  | { kind: "message"; ticket: number; sender: "customer" | "agent" | "bot"; internal: boolean }
  | { kind: "agent reads"; ticket: number; upTo: "all" | "one before last" | "nothing new" };

const ticket = fc.integer({ min: 0, max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("message" as const), ticket, sender: fc.constantFrom("customer" as const, "agent" as const, "bot" as const), internal: fc.boolean() }),
  fc.record({ kind: fc.constant("agent reads" as const), ticket, upTo: fc.constantFrom("all" as const, "one before last" as const, "nothing new" as const) }),
);

/** What the test itself knows: each ticket's messages in seq order, and the team's read mark. */
const model = new Map<string, { messages: { customerVisible: boolean }[]; readSeq: number }>();
let sent = 0;

async function run(one: Step) {
  const number = numbers[one.ticket]!;
  const known = model.get(number) ?? { messages: [], readSeq: 0 };
  model.set(number, known);
  await db.write(async (tx) => {
    const current = await ticketByNumber(tx, number);
    if (one.kind === "message") {
      // Customers write no notes.
      const internal = one.sender !== "customer" && one.internal;
      const { message } = await appendMessage(tx, current, { clientId: `c-${sent++}`, body: "hello", senderType: one.sender, senderId: null, senderName: null, internal, attachments: [] }, 2_000);
      known.messages[message.seq - 1] = { customerVisible: one.sender === "customer" && !internal };
    } else {
      const seq = one.upTo === "all" ? current.lastSeq : one.upTo === "one before last" ? current.lastSeq - 1 : current.agentReadSeq;
      const { ticket } = await moveReadMark(tx, current, "agent", seq, { type: "agent", id: null }, 2_000);
      known.readSeq = ticket.agentReadSeq;
    }
  });
}

describe("the queue's unread count", () => {
  it("equals a recount after any interleaving of messages, notes and read marks", async () => {
    const query = AgentTicketListQuerySchema.parse({ limit: 10 });
    const seen = { readUpToLast: 0, unread: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), async (batches) => {
        for (const batch of batches) {
          // One batch's writes are all in flight at once; the write queue serializes them in some order.
          await Promise.all(batch.map(run));
          const page = await queryQueue(db.orm, query, "agent-a", EVERY_SITE, 0);
          expect(page.rows).toHaveLength(numbers.length);
          const recount = await db.client.execute(
            "SELECT t.number, (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.seq > t.agent_read_seq AND m.internal = 0 AND m.sender_type = 'customer') AS n FROM tickets t",
          );
          const recounted = new Map(recount.rows.map((row) => [String(row.number), Number(row.n)]));
          page.rows.forEach((row, i) => {
            const known = model.get(row.number) ?? { messages: [], readSeq: 0 };
            const kept = known.messages.slice(known.readSeq).filter((message) => message.customerVisible).length;
            expect(page.extras[i]!.unread, row.number).toBe(recounted.get(row.number));
            expect(page.extras[i]!.unread, row.number).toBe(kept);
            if (row.lastSeq > 0 && row.lastSeq === row.agentReadSeq) seen.readUpToLast++;
            if (kept > 0) seen.unread++;
          });
        }
      }),
      { numRuns: 30 },
    );
    // The witness that both branches ran: tickets read up to their last seq, and tickets with unread messages.
    expect(seen.readUpToLast).toBeGreaterThan(0);
    expect(seen.unread).toBeGreaterThan(0);
  }, 120_000);
});
