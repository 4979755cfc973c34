import { eq } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot, type Boot } from "../server/boot.js";
import { openTicket } from "../server/commands/open-ticket.js";
import { postMessage } from "../server/commands/ticket-messages.js";
import { readEnv } from "../server/config.js";
import { agents, sites } from "../server/db/schema.js";
import { HOUR_MS } from "../server/domain/automation.js";
import { startSmtp, type ReceivedMail, type RunningSmtp } from "./support/smtp.js";

/**
 * The chat-archive transcript of an Arabic site, end to end: a chat with Arabic and Latin lines
 * goes idle, the job archives it, the dispatcher sends the email to a real smtp-server, and the
 * message is read back with mailparser. The clock is the test's, so "a day later" is an
 * assignment. The HTML must be a right-to-left document whose every line isolates the name and
 * the message (`<bdi>`), the text part the same with Unicode isolates (FSI…PDI).
 */
const dir = mkdtempSync(join(tmpdir(), "parley-transcript-"));
let smtp: RunningSmtp;
let booted: Boot;
let siteId: string;
let adaId: string;
let clock = Date.now() - 10 * 24 * HOUR_MS;
const now = () => clock;

beforeAll(async () => {
  smtp = await startSmtp();
  const env = readEnv({
    DATABASE_URL: `file:${join(dir, "transcript.db")}`,
    PARLEY_PBKDF2_ITERATIONS: "1000",
    PARLEY_SECRET: "transcript-test-secret-0123456789abcdef012345",
    PARLEY_ADMIN_PASSWORD: "transcript-admin-password-1",
    PARLEY_SMTP_URL: smtp.url,
    PARLEY_MAIL_FROM: "Parley Support <support@parley.test>",
    PARLEY_PUBLIC_URL: "https://help.example.test",
    PARLEY_JOBS: "off",
  });
  booted = await boot(env, () => "127.0.0.1", { hostsRooms: false, now });
  await booted.delivery.start();
  const { orm } = booted.services.db;
  siteId = (await orm.query.sites.findFirst({ where: eq(sites.publicKey, "pk_demo") }))!.id;
  adaId = (await orm.query.agents.findFirst({ where: eq(agents.email, "ada@parley.test") }))!.id;
  await orm.update(sites).set({ locale: "ar" }).where(eq(sites.id, siteId));
});
afterAll(async () => {
  await booted?.jobs.stop();
  await booted?.delivery.stop();
  booted?.services.email.transport.close();
  booted?.services.db.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function mailTo(address: string, subject: RegExp): Promise<ReceivedMail> {
  for (;;) {
    const found = smtp.received.find((mail) => mail.envelopeTo.includes(address) && subject.test(mail.parsed.subject ?? ""));
    if (found) return found;
    await smtp.waitFor(smtp.received.length + 1);
  }
}

const ISOLATES = /[\u2066\u2068\u2069]/g;
const HAS_ISOLATE = /[\u2066\u2068\u2069]/;

describe("the chat transcript email of an Arabic site", () => {
  it("is a right-to-left document whose lines isolate each name and message, in the HTML and the text part", { timeout: 30_000 }, async () => {
    const start = clock;
    const { ticket } = await openTicket(
      booted.services,
      { siteId, visitorId: null, customerName: "ليلى", customerEmail: "layla@example.com", subject: "المزامنة متوقفة", description: "منذ الأمس", source: "chat" },
      { type: "customer", id: null },
    );
    const say = (who: "customer" | "agent", body: string) =>
      postMessage(booted.services, {
        ticket: { number: ticket.number },
        clientId: crypto.randomUUID(),
        body,
        sender: who === "agent" ? { type: "agent", id: adaId, name: "Ada" } : { type: "customer", id: null, name: "ليلى" },
        internal: false,
        attachments: [],
      });
    const lines: [string, string][] = [
      ["customer", "توقفت المزامنة على iPhone 15 منذ الأمس"],
      ["agent", "Hello! Please update the app to version 4.2."],
      ["agent", "بعد التحديث أعد تشغيل الهاتف (restart)"],
      ["customer", "OK, it works now. شكرًا!"],
    ];
    for (const [who, body] of lines) {
      clock += 60_000;
      await say(who as "customer" | "agent", body);
    }

    clock = start + 25 * HOUR_MS;
    const result = await booted.jobs.run("chat-archive", "admin");
    expect(result).toMatchObject({ outcome: "ran", run: { status: "succeeded", itemsFailed: 0 } });
    const mail = await mailTo("layla@example.com", new RegExp(`\\[${ticket.number}\\] نص محادثتك`));

    // The HTML part, as mailparser hands it over.
    const html = String(mail.parsed.html);
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toMatch(/<body dir="rtl"/);
    const rendered = [...html.matchAll(/<p[^>]*><span dir="ltr"[^>]*>\[[^\]]+ UTC\]<\/span> <bdi[^>]*>([^<]*)<\/bdi>: <bdi dir="auto"[^>]*>([^<]*)<\/bdi><\/p>/g)].map((m) => [m[1], m[2]]);
    expect(rendered).toEqual([
      ["أنت", lines[0]![1]],
      ["Ada", lines[1]![1]],
      ["Ada", lines[2]![1]],
      ["أنت", lines[3]![1]],
    ]);

    // The text part: each line `LRI[time]PDI FSI who PDI: FSI what PDI`.
    const text = mail.parsed.text ?? "";
    const textLines = text.split("\n").filter((line) => line.includes(" UTC]"));
    expect(textLines).toHaveLength(4);
    for (const [i, line] of textLines.entries()) {
      expect(line, line).toMatch(/^\u2066\[\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\]\u2069 \u2068[^\u2069]+\u2069: \u2068[^\u2069]+\u2069$/);
      expect(line.replace(ISOLATES, "")).toContain(`: ${lines[i]![1]}`);
    }
    // Nothing but the transcript's lines carries an isolate.
    expect(text.split("\n").filter((line) => HAS_ISOLATE.test(line) && !line.includes(" UTC]"))).toEqual([]);
  });
});
