import { eq, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandContext } from "../server/commands/command.js";
import { emailEntries } from "../server/commands/outbox/email-entries.js";
import { close } from "../server/commands/ticket-actions.js";
import { snapshotOf } from "../server/commands/snapshot.js";
import { boot, type Boot } from "../server/boot.js";
import { readEnv } from "../server/config.js";
import type { Tx } from "../server/db/client.js";
import { outboxEntry, writeOutbox, type StoredOutboxEntry } from "../server/db/outbox.js";
import { agents, messages, sites, tickets } from "../server/db/schema.js";
import { deliveriesOfEntry } from "../server/delivery/delivery-log.js";
import { createDispatcher, type Dispatcher } from "../server/delivery/dispatcher.js";
import { backoffDelay, retryPolicies, type RetryPolicy } from "../server/delivery/retry-policy.js";
import type { DomainEvent } from "../server/domain/events.js";
import { AWAY_DELAY_MS } from "../server/domain/notification-rules.js";
import { appendMessage, createTicket, moveReadMark } from "../server/tickets/store.js";
import { toMessage } from "../server/tickets/views.js";
import { startSmtp, type ReceivedMail, type RunningSmtp } from "./support/smtp.js";

/**
 * The email channel as the outbox dispatcher drives it: domain events over a real libSQL file
 * become entries through emailEntries(), are stored by writeOutbox() in the same transaction,
 * and a dispatcher sends them to a real smtp-server on loopback (read back with mailparser),
 * with the delay of "agent replied", retries and the dead state all the dispatcher's. A reply
 * to what arrived goes back in through POST /v1/inbound/email and lands on its ticket.
 */
const INBOUND_SECRET = "email-outbox-inbound-secret-0123456789";
const dir = mkdtempSync(join(tmpdir(), "parley-email-outbox-"));
let smtp: RunningSmtp;
let booted: Boot;
let dispatcher: Dispatcher;
let siteId: string;
let clock = Date.now();
const random = () => 0.5;
const policy: Partial<RetryPolicy> = { maxAttempts: 3, baseMs: 1_000, factor: 2, capMs: 60_000, timeoutMs: 10_000 };

beforeAll(async () => {
  smtp = await startSmtp();
  const env = readEnv({
    DATABASE_URL: `file:${join(dir, "parley.db")}`,
    PARLEY_PBKDF2_ITERATIONS: "1000",
    PARLEY_SECRET: "email-outbox-test-secret-0123456789abcdef",
    PARLEY_MAIL_FROM: "Parley Support <support@parley.test>",
    PARLEY_PUBLIC_URL: "https://help.example.test",
    PARLEY_SMTP_URL: smtp.url,
    PARLEY_INBOUND_SECRET: INBOUND_SECRET,
  });
  booted = await boot(env, () => "127.0.0.1", { hostsRooms: false });
  siteId = (await booted.services.db.orm.query.sites.findFirst({ where: eq(sites.publicKey, "pk_demo") }))!.id;
  dispatcher = createDispatcher({ db: booted.services.db, channels: { email: booted.services.email.channel }, policies: { email: policy }, now: () => clock, random, log: () => {} });
});
afterAll(async () => {
  booted?.services.email.transport.close();
  booted?.services.db.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ticketIn = (tx: Tx, id: string) => tx.query.tickets.findFirst({ where: eq(tickets.id, id) }).then((row) => row!);

/** A command's write: the change, then the email entries of its event in the same transaction. */
async function command<T>(change: (tx: Tx) => Promise<T>, event: (result: T) => DomainEvent): Promise<{ result: T; entries: StoredOutboxEntry[] }> {
  return booted.services.db.write(async (tx) => {
    const result = await change(tx);
    const entries = await writeOutbox(tx, await emailEntries(tx, event(result), clock), { now: clock });
    return { result, entries };
  });
}

const openTicket = (email: string) =>
  command(
    (tx) =>
      createTicket(
        tx,
        { siteId, visitorId: null, customerName: "Noor", customerEmail: email, subject: "Cannot download my invoice", description: "The link is broken.", source: "api" },
        { type: "customer", id: null },
        clock,
      ),
    (ticket) => ({ type: "ticket.created", ticket: snapshotOf(ticket) }),
  );

const agentReply = (ticketId: string, body: string) =>
  command(
    async (tx) =>
      appendMessage(tx, await ticketIn(tx, ticketId), { clientId: crypto.randomUUID(), body, senderType: "agent", senderId: null, senderName: "Ada", internal: false, attachments: [] }, clock),
    (r) => ({ type: "message.created", ticket: snapshotOf(r.ticket), message: toMessage(r.message), visibleSeq: r.message.visibleSeq, senderType: "agent" }),
  );

const addresses = (field: unknown) => ((Array.isArray(field) ? field : [field]) as { value: { address: string }[] }[]).flatMap((g) => g.value.map((v) => v.address));

/** One dispatcher round, and the mails it sent. */
async function round(): Promise<{ report: Awaited<ReturnType<Dispatcher["drainOnce"]>>; mails: ReceivedMail[] }> {
  const before = smtp.received.length;
  const report = await dispatcher.drainOnce();
  return { report, mails: smtp.received.slice(before) };
}

describe("email delivered by the outbox dispatcher", () => {
  let created: { number: string; id: string; mail: ReceivedMail };

  it("ticket created: one entry in the command's transaction, sent by the dispatcher to the SMTP server with a signed Reply-To, and logged", async () => {
    const { result: ticket, entries } = await openTicket("Noor@Example.com");
    expect(entries.map((e) => [e.channel, e.target, e.eventType, e.ticketId])).toEqual([["email", "noor@example.com", "ticket.created", ticket.id]]);

    const { report, mails } = await round();
    expect(report).toMatchObject({ claimed: 1, delivered: 1 });
    expect(mails).toHaveLength(1);
    const parsed = mails[0]!.parsed;
    expect(mails[0]!.envelopeTo).toEqual(["noor@example.com"]);
    expect(parsed.subject).toBe(`[${ticket.number}] We received your request: Cannot download my invoice`);
    expect(parsed.text).toContain(`opened ticket ${ticket.number}`);
    const replyTo = addresses(parsed.replyTo)[0]!;
    expect(booted.services.email.signer.verifyReplyAddress(replyTo, "noor@example.com", Date.now())).toEqual({ ok: true, ticketNumber: ticket.number });
    // The message id names the outbox entry: the same on every attempt.
    expect(parsed.messageId).toBe(`<outbox-${entries[0]!.id}.${ticket.number.toLowerCase()}@parley.test>`);

    expect((await deliveriesOfEntry(booted.services.db.orm, entries[0]!.id)).map((d) => [d.attempt, d.outcome])).toEqual([[1, "delivered"]]);
    expect((await outboxEntry(booted.services.db.orm, entries[0]!.id))!.status).toBe("delivered");
    created = { number: ticket.number, id: ticket.id, mail: mails[0]! };
  });

  it("agent replied: the entry waits in the outbox until the visitor has been away long enough, and is skipped if they read it meanwhile", async () => {
    const { entries } = await agentReply(created.id, "The link works again, could you retry?");
    expect(entries).toHaveLength(1);
    expect((await outboxEntry(booted.services.db.orm, entries[0]!.id))!.nextAttemptAt).toBe(clock + AWAY_DELAY_MS);
    expect((await round()).report).toMatchObject({ claimed: 0 });

    clock += AWAY_DELAY_MS;
    const sent = await round();
    expect(sent.report).toMatchObject({ claimed: 1, delivered: 1 });
    expect(sent.mails.map((m) => [m.envelopeTo, m.parsed.subject])).toEqual([[["noor@example.com"], `[${created.number}] New reply from Ada`]]);
    expect(sent.mails[0]!.parsed.text).toContain("The link works again, could you retry?");
    // One thread per ticket in the customer's mail client.
    expect(sent.mails[0]!.parsed.references).toBe(created.mail.parsed.references);

    const { result: second, entries: [later] } = await agentReply(created.id, "Any luck?");
    await booted.services.db.write(async (tx) => moveReadMark(tx, await ticketIn(tx, created.id), "customer", second.message.seq, { type: "customer", id: null }, clock));
    clock += AWAY_DELAY_MS;
    const skipped = await round();
    expect(skipped.report).toMatchObject({ claimed: 1, delivered: 1 });
    expect(skipped.mails).toEqual([]);
    // The log says why nothing went out.
    expect((await deliveriesOfEntry(booted.services.db.orm, later!.id)).map((d) => [d.outcome, d.note])).toEqual([["delivered", "not sent: the visitor read the reply in the meantime"]]);
  });

  it("close with a message: the customer gets one closed email quoting it, and no 'agent replied' email for the same words", async () => {
    const { result: ticket } = await openTicket("closing@example.com");
    await round();
    const ada = (await booted.services.db.orm.query.agents.findFirst({ where: eq(agents.email, "ada@parley.test") }))!;
    // The real command, writing only email entries (this test's dispatcher delivers them).
    const context: CommandContext = { db: booted.services.db, now: () => clock, outbox: { accepts: (entry) => entry.channel === "email", handOver: null, wake: () => undefined } };
    await close(context, { ticket: { number: ticket.number }, message: "We shipped the fix; closing this request.", actor: { type: "agent", id: ada.id } });

    const stored = await booted.services.db.orm.query.messages.findMany({ where: eq(messages.ticketId, ticket.id) });
    expect(stored.map((m) => [m.senderType, m.senderName, m.body, m.internal, m.visibleSeq])).toEqual([["agent", ada.name, "We shipped the fix; closing this request.", false, 1]]);

    // Past the away delay, so an "agent replied" entry, had one been written, would be due too.
    clock += AWAY_DELAY_MS;
    const { report, mails } = await round();
    expect(report).toMatchObject({ claimed: 1, delivered: 1 });
    expect(mails.map((m) => [m.envelopeTo, m.parsed.subject])).toEqual([[["closing@example.com"], `[${ticket.number}] Your request is closed`]]);
    expect(mails[0]!.parsed.text).toContain("We shipped the fix; closing this request.");
    const pending = await booted.services.db.orm.all<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE channel = 'email' AND ticket_id = ${ticket.id} AND status = 'pending'`);
    expect(Number(pending[0]!.n)).toBe(0);
  });

  it("a temporary SMTP refusal (451) is retried after the backoff and passes; an unknown mailbox (550) is dead at once", async () => {
    smtp.refuse("busy@example.com", 451, 1);
    const { entries: [busy] } = await openTicket("busy@example.com");
    const first = await round();
    expect(first.report).toMatchObject({ claimed: 1, retried: 1 });
    const waiting = (await outboxEntry(booted.services.db.orm, busy!.id))!;
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: clock + backoffDelay(retryPolicies({ email: policy }).email, 1, random) });
    expect(waiting.lastError).toMatch(/451/);
    expect((await round()).report).toMatchObject({ claimed: 0 });
    clock = waiting.nextAttemptAt;
    const second = await round();
    expect(second.report).toMatchObject({ claimed: 1, delivered: 1 });
    expect(second.mails.map((m) => m.envelopeTo)).toEqual([["busy@example.com"]]);
    expect((await deliveriesOfEntry(booted.services.db.orm, busy!.id)).map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [1, "retry", 451],
      [2, "delivered", null],
    ]);

    smtp.refuse("nobody@example.com");
    const { entries: [gone] } = await openTicket("nobody@example.com");
    expect((await round()).report).toMatchObject({ claimed: 1, dead: 1 });
    expect((await outboxEntry(booted.services.db.orm, gone!.id))!).toMatchObject({ status: "dead", attempts: 1 });
  });

  it("a reply to the email, quoting it, comes back through POST /v1/inbound/email onto the same ticket without the quote", async () => {
    const original = created.mail.parsed;
    const replyTo = addresses(original.replyTo)[0]!;
    const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const quoted = (original.text ?? "").split("\n").map((line) => `> ${line}`).join("\n");
    const { message: raw } = await composer.sendMail({
      from: "Noor <noor@example.com>",
      to: replyTo,
      subject: `Re: ${original.subject}`,
      inReplyTo: original.messageId,
      references: [original.references as string, original.messageId!].join(" "),
      text: `It downloads now, thank you!\n\nOn ${original.date?.toUTCString()}, Parley Support <${replyTo}> wrote:\n${quoted}`,
    });
    const res = await booted.app.request("/v1/inbound/email", {
      method: "POST",
      headers: { "content-type": "message/rfc822", authorization: `Bearer ${INBOUND_SECRET}` },
      body: new Uint8Array(raw as Buffer),
    });
    expect(res.status).toBe(201);
    const receipt = (await res.json()) as { number: string; startedTicket: boolean; seq: number };
    expect(receipt).toMatchObject({ number: created.number, startedTicket: false });

    const stored = await booted.services.db.orm.query.messages.findMany({ where: eq(messages.ticketId, created.id), orderBy: (m, { asc }) => asc(m.seq) });
    expect(stored.at(-1)).toMatchObject({ seq: receipt.seq, senderType: "customer", body: "It downloads now, thank you!", internal: false });
  });
});
