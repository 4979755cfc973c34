import { eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { boot, type Boot } from "../server/boot.js";
import type { Tx } from "../server/db/client.js";
import { agents, emailUnsubscribes, sites, tickets } from "../server/db/schema.js";
import { emailEntries } from "../server/commands/outbox/email-entries.js";
import { snapshotOf } from "../server/commands/snapshot.js";
import { unsubscribeCustomer } from "../server/commands/email-unsubscribe.js";
import { readEnv } from "../server/config.js";
import type { NewOutboxEntry, OutboxEntry } from "../server/delivery/channel.js";
import type { DomainEvent } from "../server/domain/events.js";
import { AWAY_DELAY_MS } from "../server/domain/notification-rules.js";
import { appendMessage, createTicket, moveReadMark } from "../server/tickets/store.js";
import { toMessage } from "../server/tickets/views.js";
import { startSmtp, type RunningSmtp } from "./support/smtp.js";

/**
 * The email channel end to end without the dispatcher: real domain events over a real libSQL
 * file become entries through emailEntries(), and the channel delivers them over SMTP to a
 * real smtp-server on loopback; what arrives is read back with mailparser.
 */
const SECRET = "email-delivery-test-secret-0123456789abcdef";
const PUBLIC_URL = "https://help.example.test";
const dir = mkdtempSync(join(tmpdir(), "parley-email-"));
let smtp: RunningSmtp;
let booted: Boot;
let demoSiteId: string;
let entryId = 0;

const envFor = (database: string, extra: Record<string, string> = {}) =>
  readEnv({
    DATABASE_URL: `file:${join(dir, database)}`,
    PARLEY_PBKDF2_ITERATIONS: "1000",
    PARLEY_SECRET: SECRET,
    PARLEY_MAIL_FROM: "Parley Support <support@parley.test>",
    PARLEY_PUBLIC_URL: PUBLIC_URL,
    ...extra,
  });

beforeAll(async () => {
  smtp = await startSmtp();
  booted = await boot(envFor("smtp.db", { PARLEY_SMTP_URL: smtp.url }), () => "127.0.0.1", { hostsRooms: false });
  demoSiteId = (await booted.services.db.orm.query.sites.findFirst({ where: eq(sites.publicKey, "pk_demo") }))!.id;
});
afterAll(async () => {
  booted?.services.email.transport.close();
  booted?.services.db.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function newTicket(fields: { siteId?: string; email?: string | null; name?: string | null; subject?: string } = {}) {
  const { db } = booted.services;
  return db.write((tx) =>
    createTicket(
      tx,
      {
        siteId: fields.siteId ?? demoSiteId,
        visitorId: null,
        customerName: fields.name === undefined ? "Jane Doe" : fields.name,
        customerEmail: fields.email === undefined ? "Jane.Doe@Example.com" : fields.email,
        subject: fields.subject ?? "Sync stopped working",
        description: "Since yesterday.",
        source: "api",
      },
      { type: "customer", id: null },
      Date.now(),
    ),
  );
}

async function siteWithLocale(locale: string) {
  const id = crypto.randomUUID();
  await booted.services.db.write((tx) => tx.insert(sites).values({ id, publicKey: `pk_${id.slice(0, 8)}`, name: `Site ${locale}`, identitySecret: "s".repeat(32), locale }));
  return id;
}

const entriesOf = (event: DomainEvent, at = Date.now()) => booted.services.db.write((tx) => emailEntries(tx, event, at));

/** As the outbox would hand it over: the payload went through JSON on its way into the table. */
const stored = (entry: NewOutboxEntry): OutboxEntry => ({ ...entry, payload: JSON.parse(JSON.stringify(entry.payload)), id: ++entryId, attempts: 0, createdAt: Date.now() });

async function deliverOne(entry: NewOutboxEntry) {
  const before = smtp.received.length;
  const outcome = await booted.services.email.channel.deliver(stored(entry));
  return { outcome, mail: smtp.received.length > before ? (await smtp.waitFor(before + 1))[before]! : null };
}

/** A header line as sent, unfolded. */
const header = (parsed: { headerLines: readonly { key: string; line: string }[] }, key: string) => parsed.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n[ \t]+/g, " ");
const addresses = (field: unknown) => ((Array.isArray(field) ? field : [field]) as { value: { address: string }[] }[]).flatMap((g) => g.value.map((v) => v.address));

describe("email channel over SMTP, fed by emailEntries()", () => {
  it("ticket created: the customer gets the number, a signed conversation link, a signed Reply-To and an unsubscribe header", async () => {
    const ticket = await newTicket({ subject: 'Sync <script>alert("x")</script> & more' });
    const entries = await entriesOf({ type: "ticket.created", ticket: snapshotOf(ticket) });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ channel: "email", target: "jane.doe@example.com", eventType: "ticket.created", ticketId: ticket.id });

    const { outcome, mail } = await deliverOne(entries[0]!);
    expect(outcome.ok).toBe(true);
    const parsed = mail!.parsed;
    expect(mail!.envelopeTo).toEqual(["jane.doe@example.com"]);
    expect(addresses(parsed.to)).toEqual(["jane.doe@example.com"]);
    expect(parsed.subject).toBe(`[${ticket.number}] We received your request: Sync <script>alert("x")</script> & more`);
    expect(parsed.text).toContain(`opened ticket ${ticket.number}`);

    const replyTo = addresses(parsed.replyTo)[0]!;
    expect(replyTo).toMatch(new RegExp(`^reply\\+${ticket.number.toLowerCase()}\\.[0-9a-z]+\\.[0-9a-f]{20}@parley\\.test$`));
    const { signer } = booted.services.email;
    expect(signer.verifyReplyAddress(replyTo, "jane.doe@example.com", Date.now())).toEqual({ ok: true, ticketNumber: ticket.number });
    expect(signer.verifyReplyAddress(replyTo, "mallory@example.com", Date.now())).toEqual({ ok: false, reason: "forged" });

    const link = /https:\/\/help\.example\.test\/v1\/email\/conversation\?token=(\S+)/.exec(parsed.text ?? "");
    expect(link).not.toBeNull();
    expect(signer.verifyLink("conversation", link![1]!, Date.now())).toEqual({ ok: true, subject: { ref: ticket.number, to: "jane.doe@example.com" } });

    expect(header(parsed, "list-unsubscribe")).toMatch(/^List-Unsubscribe: <https:\/\/help\.example\.test\/v1\/email\/unsubscribe\?token=/);
    expect(header(parsed, "list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(header(parsed, "auto-submitted")).toBe("Auto-Submitted: auto-generated");
    expect(parsed.references).toBe(`<ticket.${ticket.number.toLowerCase()}@parley.test>`);
    expect(parsed.messageId).toMatch(/^<outbox-\d+\.tkt-\d{4}-\d{6}@parley\.test>$/);

    // The HTML part escapes what the customer typed; the subject was theirs.
    expect(parsed.html).toContain("Sync &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(parsed.html).not.toContain("<script>");
  });

  it("agent replied: waits AWAY_DELAY_MS, goes out while the visitor has not read it, and is skipped once they have", async () => {
    const { db } = booted.services;
    const ticket = await newTicket();
    // appendMessage takes the next seq from the row it is given, so the row is read inside the
    // same write (the store's rule), never reused from an earlier one.
    const current = (tx: Tx) => tx.query.tickets.findFirst({ where: eq(tickets.id, ticket.id) }).then((row) => row!);
    const reply = async (body: string, internal = false) =>
      db.write(async (tx) =>
        appendMessage(tx, await current(tx), { clientId: crypto.randomUUID(), body, senderType: "agent", senderId: null, senderName: "Ada", internal, attachments: [] }, Date.now()),
      );
    const first = await reply("Could you try signing out and in again?");
    const at = Date.now();
    const event = (result: Awaited<ReturnType<typeof reply>>): Extract<DomainEvent, { type: "message.created" }> => ({
      type: "message.created",
      ticket: snapshotOf(result.ticket),
      message: toMessage(result.message),
      visibleSeq: result.message.visibleSeq,
      senderType: "agent",
    });
    const [entry] = await entriesOf(event(first), at);
    expect(entry!.notBefore).toBe(at + AWAY_DELAY_MS);
    const sent = await deliverOne(entry!);
    expect(sent.outcome.ok).toBe(true);
    expect(sent.mail!.parsed.subject).toBe(`[${ticket.number}] New reply from Ada`);
    expect(sent.mail!.parsed.text).toContain("Could you try signing out and in again?");
    expect(addresses(sent.mail!.parsed.replyTo)[0]).toMatch(/^reply\+/);

    const second = await reply("Any luck?");
    const [later] = await entriesOf(event(second));
    await db.write(async (tx) => moveReadMark(tx, await current(tx), "customer", second.message.seq, { type: "customer", id: null }, Date.now()));
    const skipped = await deliverOne(later!);
    expect(skipped.outcome).toEqual({ ok: true, note: "not sent: the visitor read the reply in the meantime" });
    expect(skipped.mail).toBeNull();

    const note = await reply("internal: VIP", true);
    expect(await entriesOf({ ...event(note), message: toMessage(note.message) })).toEqual([]);
  });

  it("resolved and closed speak the site's locale: French with the rating link, Arabic right to left", async () => {
    const fr = await newTicket({ siteId: await siteWithLocale("fr-CA"), name: null });
    const [frEntry] = await entriesOf({ type: "ticket.resolved", ticket: snapshotOf(fr), resolution: "Mise à jour installée." });
    const frMail = (await deliverOne(frEntry!)).mail!.parsed;
    expect(frMail.subject).toBe(`[${fr.number}] Votre demande est résolue`);
    expect(frMail.text).toContain("Mise à jour installée.");
    expect(frMail.text).toMatch(/Évaluer notre aide : https:\/\/help\.example\.test\/v1\/email\/rating\?token=/);
    expect(frMail.html).toContain('<html lang="fr" dir="ltr">');

    const ar = await newTicket({ siteId: await siteWithLocale("ar"), subject: "مشكلة في المزامنة" });
    const [arEntry] = await entriesOf({ type: "ticket.closed", ticket: snapshotOf(ar), message: "شكرًا لتواصلك معنا" });
    const arMail = (await deliverOne(arEntry!)).mail!.parsed;
    expect(arMail.subject).toBe(`[${ar.number}] تم إغلاق طلبك`);
    expect(arMail.text).toContain("«مشكلة في المزامنة»");
    expect(arMail.html).toContain('<html lang="ar" dir="rtl">');
    expect(arMail.html).toContain('<body dir="rtl"');
  });

  it("assigned and escalated go to the agent concerned, without a reply address", async () => {
    const { orm } = booted.services.db;
    const ada = (await orm.query.agents.findFirst({ where: (a, { eq }) => eq(a.email, "ada@parley.test") }))!;
    const grace = (await orm.query.agents.findFirst({ where: (a, { eq }) => eq(a.email, "grace@parley.test") }))!;
    const ticket = snapshotOf(await newTicket());
    const [assigned] = await entriesOf({ type: "ticket.assigned", ticket: { ...ticket, assigneeId: ada.id }, from: null, to: ada.id });
    const assignedMail = (await deliverOne(assigned!)).mail!;
    expect(assignedMail.envelopeTo).toEqual(["ada@parley.test"]);
    expect(assignedMail.parsed.subject).toBe(`[${ticket.number}] Assigned to you: Sync stopped working`);
    expect(assignedMail.parsed.text).toContain(`${PUBLIC_URL}/inbox`);
    expect(assignedMail.parsed.replyTo).toBeUndefined();

    const [escalated] = await entriesOf({ type: "ticket.escalated", ticket, fromTier: 1, toTier: 2, reason: "needs a database fix", toAgentId: grace.id, toDepartmentId: null });
    const escalatedMail = (await deliverOne(escalated!)).mail!;
    expect(escalatedMail.envelopeTo).toEqual(["grace@parley.test"]);
    expect(escalatedMail.parsed.text).toContain("from tier 1 to tier 2");
    expect(escalatedMail.parsed.text).toContain("needs a database fix");

    expect(await entriesOf({ type: "ticket.assigned", ticket, from: ada.id, to: null })).toEqual([]);

    // Deactivated between the assignment and the delivery: the email is not sent.
    const [late] = await entriesOf({ type: "ticket.assigned", ticket, from: null, to: grace.id });
    await booted.services.db.write((tx) => tx.update(agents).set({ active: false }).where(eq(agents.id, grace.id)));
    try {
      expect(await deliverOne(late!)).toEqual({ outcome: { ok: true, note: "not sent: the agent is no longer active" }, mail: null });
    } finally {
      await booted.services.db.write((tx) => tx.update(agents).set({ active: true }).where(eq(agents.id, grace.id)));
    }
  });

  it("an unsubscribed customer gets nothing: no new entries, and entries written before are skipped at delivery", async () => {
    const ticket = snapshotOf(await newTicket({ email: "leaving@example.com" }));
    const [pending] = await entriesOf({ type: "ticket.created", ticket });
    await unsubscribeCustomer(booted.services.db, demoSiteId, "Leaving@Example.com", Date.now());
    expect(await booted.services.db.orm.select().from(emailUnsubscribes).where(eq(emailUnsubscribes.email, "leaving@example.com"))).toHaveLength(1);
    expect(await entriesOf({ type: "ticket.resolved", ticket, resolution: null })).toEqual([]);
    const { outcome, mail } = await deliverOne(pending!);
    expect(outcome).toEqual({ ok: true, note: "not sent: the customer unsubscribed" });
    expect(mail).toBeNull();
    // Another site's emails to the same address still go out: the opt-out is per site.
    const elsewhere = snapshotOf(await newTicket({ siteId: await siteWithLocale("en"), email: "leaving@example.com" }));
    expect(await entriesOf({ type: "ticket.created", ticket: elsewhere })).toHaveLength(1);
  });

  it("a ticket without a usable address sends nothing; a mailbox the SMTP server refuses is a permanent failure", async () => {
    expect(await entriesOf({ type: "ticket.created", ticket: snapshotOf(await newTicket({ email: null })) })).toEqual([]);
    expect(await entriesOf({ type: "ticket.created", ticket: snapshotOf(await newTicket({ email: "not an address" })) })).toEqual([]);
    smtp.refuse("nobody@example.com");
    const [entry] = await entriesOf({ type: "ticket.created", ticket: snapshotOf(await newTicket({ email: "nobody@example.com" })) });
    const { outcome } = await deliverOne(entry!);
    expect(outcome).toMatchObject({ ok: false, statusCode: 550, permanent: true });
  });

  it("refuses a payload that is not an email as a permanent failure", async () => {
    const outcome = await booted.services.email.channel.deliver({ channel: "email", target: "x@example.com", eventType: "ticket.created", payload: { hello: 1 }, ticketId: null, id: 1, attempts: 0, createdAt: 0 });
    expect(outcome).toMatchObject({ ok: false, permanent: true });
  });
});

describe("the development transport (no PARLEY_SMTP_URL)", () => {
  it("writes each email as a 0600 .eml file beside the database and logs one line saying where", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const dev = await boot(envFor("dev/parley.db"), () => "127.0.0.1", { hostsRooms: false });
    try {
      const site = (await dev.services.db.orm.query.sites.findFirst({ where: eq(sites.publicKey, "pk_demo") }))!;
      const ticket = await dev.services.db.write((tx) =>
        createTicket(tx, { siteId: site.id, visitorId: null, customerName: "Lee", customerEmail: "lee@example.com", subject: "Invoice question", description: "?", source: "api" }, { type: "customer", id: null }, Date.now()),
      );
      const [entry] = await dev.services.db.write((tx) => emailEntries(tx, { type: "ticket.created", ticket: snapshotOf(ticket) }, Date.now()));
      const outcome = await dev.services.email.channel.deliver(stored(entry!));
      expect(outcome.ok).toBe(true);

      const mailDir = join(dir, "dev", "mail");
      const files = readdirSync(mailDir).filter((name) => name.endsWith(".eml"));
      expect(files).toHaveLength(1);
      const file = join(mailDir, files[0]!);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const parsed = await simpleParser(readFileSync(file));
      expect(addresses(parsed.to)).toEqual(["lee@example.com"]);
      expect(parsed.subject).toBe(`[${ticket.number}] We received your request: Invoice question`);
      expect(lines.filter((line) => line.includes(file))).toHaveLength(1);
      expect(lines.find((line) => line.includes(file))).toContain("email to lee@example.com written to");
    } finally {
      spy.mockRestore();
      dev.services.email.transport.close();
      dev.services.db.close();
    }
  });
});
