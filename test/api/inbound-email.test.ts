import { createClient, type Client } from "@libsql/client";
import nodemailer from "nodemailer";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSigner } from "../../server/delivery/email/signed-links.js";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { startApi, TEST_SECRET, type RunningApi } from "../support/server.js";

/**
 * Replies by email through the real API (on each runtime): raw MIME posted as an MTA pipe or
 * relay would, checked signatures, quote stripping, the dead-letter table, and the pages the
 * links in our emails open.
 */
const INBOUND_SECRET = "inbound-secret-for-tests-0123456789abcdef";
const DOMAIN = "parley.test";
const signer = new EmailSigner(TEST_SECRET, DOMAIN);
const DAY = 86_400_000;

let api: RunningApi;
let client: ApiClient;
let db: Client;
let agent: { token: string; agentId: string };

beforeAll(async () => {
  api = await startApi({ env: { PARLEY_INBOUND_SECRET: INBOUND_SECRET, PARLEY_MAIL_FROM: `Parley Support <support@${DOMAIN}>`, PARLEY_PUBLIC_URL: "https://help.example.test" } });
  client = apiClient(api.url);
  db = createClient({ url: `file:${api.dbFile}` });
  agent = await client.login("ada@parley.test");
});
afterAll(async () => {
  db?.close();
  await api?.stop();
});

/** A mail as a real client composes it (nodemailer's MIME builder), multipart text + HTML. */
async function compose(mail: { from: string; to: string; cc?: string; subject?: string; text: string; messageId?: string; headers?: Record<string, string> }): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await composer.sendMail({
    ...mail,
    subject: mail.subject ?? "Re: your request",
    html: `<p>${mail.text.split("\n")[0]}</p>`,
    messageId: mail.messageId ?? `<${clientId("m")}@mail.example.com>`,
  });
  return info.message as Buffer;
}

const post = (raw: Buffer | string, options: { secret?: string | null; type?: string } = {}) =>
  fetch(`${api.url}/v1/inbound/email`, {
    method: "POST",
    headers: {
      "content-type": options.type ?? "message/rfc822",
      ...(options.secret === null ? {} : { authorization: `Bearer ${options.secret ?? INBOUND_SECRET}` }),
    },
    body: typeof raw === "string" ? raw : new Uint8Array(raw),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));

/**
 * Announces a mail of `size` bytes and sends only its first bytes: the API must refuse it from
 * the Content-Length alone, before reading (and buffering) it.
 */
function announceHugeMail(size: number): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}/v1/inbound/email`, {
      method: "POST",
      headers: { "content-type": "message/rfc822", authorization: `Bearer ${INBOUND_SECRET}`, "content-length": String(size) },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) });
      });
    });
    req.on("error", reject);
    req.write("From: someone@example.com\r\n");
  });
}

async function customerTicket(email = "jane@example.com") {
  const visitor = await client.visitor();
  const ticket = await client.ticket(visitor.token, { email, name: "Jane" });
  return { visitor, number: ticket.number as string };
}

const agentMessages = async (number: string) => (await client.call("GET", `/v1/agent/tickets/${number}/messages`, { token: agent.token })).body.items as any[];

async function deadLetter(id: string) {
  const rows = await db.execute({ sql: "select reason, sender, recipients, raw, size from inbound_dead_letters where id = ?", args: [id] });
  return rows.rows[0];
}

describe("POST /v1/inbound/email", () => {
  it("adds a reply to its ticket as the customer, without the quoted history; the same mail twice lands once", async () => {
    const { visitor, number } = await customerTicket();
    const replyTo = signer.replyAddress(number, "jane@example.com", Date.now());
    const raw = await compose({
      from: "Jane <Jane@Example.com>",
      to: replyTo,
      text: `Signing out and in fixed it, thanks!\n\nOn Mon, Jan 5, 2026 at 10:02 AM Parley Support <${replyTo}> wrote:\n> Could you try signing out?\n> ##- Please type your reply above this line -##\n\n-- \nJane`,
    });
    const first = await post(raw);
    expect(first).toEqual({ status: 201, body: { number, startedTicket: false, seq: 1, duplicate: false } });
    const again = await post(raw);
    expect(again).toEqual({ status: 200, body: { number, startedTicket: false, seq: 1, duplicate: true } });

    const stored = await agentMessages(number);
    expect(stored.map((m) => [m.senderType, m.senderName, m.body])).toEqual([["customer", "Jane", "Signing out and in fixed it, thanks!"]]);
    // The visitor sees it in their own conversation too: it is theirs.
    const mine = await client.call("GET", `/v1/tickets/${number}/messages`, { token: visitor.token });
    expect(mine.body.items.map((m: any) => m.body)).toEqual(["Signing out and in fixed it, thanks!"]);
  });

  it("finds the reply address in Cc or Delivered-To, lower-cased by a relay", async () => {
    const { number } = await customerTicket("cc@example.com");
    const replyTo = signer.replyAddress(number, "cc@example.com", Date.now());
    const viaCc = await post(await compose({ from: "cc@example.com", to: "someone@else.test", cc: replyTo.toUpperCase(), text: "Via Cc" }));
    expect(viaCc.status).toBe(201);
    const viaEnvelope = await post(await compose({ from: "cc@example.com", to: "undisclosed-recipients:;", text: "Via the envelope", headers: { "Delivered-To": replyTo } }));
    expect(viaEnvelope.status).toBe(201);
    expect((await agentMessages(number)).map((m) => m.body)).toEqual(["Via Cc", "Via the envelope"]);
  });

  it("refuses a forged reply address, one used by another sender and an expired one, and keeps each mail as a dead letter", async () => {
    const { number } = await customerTicket("owner@example.com");
    const genuine = signer.replyAddress(number, "owner@example.com", Date.now());
    const forged = genuine.replace(/\.([0-9a-f]{20})@/, (_, sig: string) => `.${sig.startsWith("0") ? "1" : "0"}${sig.slice(1)}@`);
    const cases = [
      { from: "owner@example.com", to: forged, reason: "forged_reply_address" },
      { from: "mallory@example.com", to: genuine, reason: "forged_reply_address" },
      { from: "owner@example.com", to: signer.replyAddress(number, "owner@example.com", Date.now() - 200 * DAY), reason: "expired_reply_address" },
      { from: "owner@example.com", to: `reply+${number.toLowerCase()}@${DOMAIN}`, reason: "forged_reply_address" },
    ];
    for (const { from, to, reason } of cases) {
      const raw = await compose({ from, to, text: "Let me in" });
      const res = await post(raw);
      expect([to, res.status, res.body.error.code, res.body.error.details.reason]).toEqual([to, 403, "forbidden", reason]);
      const letter = await deadLetter(res.body.error.details.deadLetterId);
      expect(letter).toBeDefined();
      expect(letter!.reason).toBe(reason);
      expect(letter!.sender).toBe(from);
      expect(JSON.parse(String(letter!.recipients))).toContain(to.toLowerCase());
      expect(Buffer.from(letter!.raw as ArrayBuffer).equals(raw)).toBe(true);
      expect(Number(letter!.size)).toBe(raw.byteLength);
    }
    expect(await agentMessages(number)).toEqual([]);
  });

  it("opens a ticket with source email for mail to support+<site key>@; refuses an unknown site or no known address", async () => {
    const raw = await compose({ from: "Noor <noor@example.com>", to: `support+pk_demo@${DOMAIN}`, subject: "Cannot export my data", text: "The export button does nothing.\n\nSent from my iPhone" });
    const opened = await post(raw);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ startedTicket: true, seq: null, duplicate: false });
    expect((await post(raw)).body).toMatchObject({ number: opened.body.number, duplicate: true });
    const ticket = (await client.call("GET", `/v1/agent/tickets/${opened.body.number}`, { token: agent.token })).body;
    expect(ticket).toMatchObject({ subject: "Cannot export my data", description: "The export button does nothing.", source: "email" });
    expect(ticket.customer).toMatchObject({ visitorId: null, name: "Noor", email: "noor@example.com" });

    const unknown = await post(await compose({ from: "noor@example.com", to: `support+pk_nope@${DOMAIN}`, text: "hello" }));
    expect([unknown.status, unknown.body.error.details.reason]).toEqual([404, "unknown_site"]);
    const nowhere = await post(await compose({ from: "noor@example.com", to: "someone@elsewhere.test", text: "hello" }));
    expect([nowhere.status, nowhere.body.error.details.reason]).toEqual([400, "no_known_address"]);
    expect(await deadLetter(nowhere.body.error.details.deadLetterId)).toBeDefined();
  });

  it("dead-letters automatic replies, mail with nothing of its own, and mail that cannot be parsed", async () => {
    const { number } = await customerTicket("auto@example.com");
    const replyTo = signer.replyAddress(number, "auto@example.com", Date.now());
    const auto = await post(await compose({ from: "auto@example.com", to: replyTo, text: "I am out of office", headers: { "Auto-Submitted": "auto-replied" } }));
    expect([auto.status, auto.body.error.details.reason]).toEqual([400, "automatic_reply"]);
    const empty = await post(await compose({ from: "auto@example.com", to: replyTo, text: "On Mon, Jan 5, 2026, Parley wrote:\n> Hello" }));
    expect([empty.status, empty.body.error.details.reason]).toEqual([400, "empty_reply"]);
    const garbage = await post("this is not a mail at all");
    expect(garbage.status).toBe(400);
    expect(await deadLetter(garbage.body.error.details.deadLetterId)).toBeDefined();
    expect(await agentMessages(number)).toEqual([]);
  });

  it("refuses a reply to a closed ticket with 409 and keeps it", async () => {
    const { number } = await customerTicket("closed@example.com");
    expect((await client.call("POST", `/v1/agent/tickets/${number}/close`, { token: agent.token, body: {} })).status).toBe(200);
    const res = await post(await compose({ from: "closed@example.com", to: signer.replyAddress(number, "closed@example.com", Date.now()), text: "One more thing" }));
    expect([res.status, res.body.error.code, res.body.error.details.reason]).toEqual([409, "conflict", "ticket_closed"]);
  });

  it("needs the inbound secret, message/rfc822, and a mail under the size cap", async () => {
    const raw = await compose({ from: "x@example.com", to: `support+pk_demo@${DOMAIN}`, text: "hi" });
    for (const secret of [null, "wrong-secret", `${INBOUND_SECRET}x`]) {
      const res = await post(raw, { secret });
      expect([secret, res.status, res.body.error.code]).toEqual([secret, 401, "unauthorized"]);
    }
    const wrongType = await post(raw, { type: "application/json" });
    expect([wrongType.status, wrongType.body.error.code]).toEqual([415, "unsupported_media_type"]);
    const huge = await announceHugeMail(10 * 1024 * 1024 + 1);
    expect([huge.status, huge.body.error.code]).toEqual([413, "payload_too_large"]);
    // Above the JSON cap of the other routes, below the mail cap: accepted.
    const large = await compose({ from: "big@example.com", to: `support+pk_demo@${DOMAIN}`, subject: "Logs attached", text: `See the logs.\n${"log line\n".repeat(30_000)}` });
    expect(large.byteLength).toBeGreaterThan(128 * 1024);
    expect((await post(large)).status).toBe(201);
  });
});

describe("the pages behind the links in our emails", () => {
  it("unsubscribe: a signed link stops email to that address on that site; a forged or expired one is refused", async () => {
    const site = (await db.execute("select id from sites where public_key = 'pk_demo'")).rows[0]!.id as string;
    const token = signer.linkToken("unsubscribe", { ref: site, to: "Leaving@Example.com" }, Date.now());
    const page = await fetch(`${api.url}/v1/email/unsubscribe?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("leaving@example.com will get no more emails");
    const oneClick = await fetch(`${api.url}/v1/email/unsubscribe?token=${token}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    const rows = await db.execute({ sql: "select email from email_unsubscribes where site_id = ?", args: [site] });
    expect(rows.rows.map((r) => r.email)).toEqual(["leaving@example.com"]);

    const forged = await client.call("GET", `/v1/email/unsubscribe?token=${token.slice(0, -2)}xx`);
    expect([forged.status, forged.body.error.code]).toEqual([403, "forbidden"]);
    const expired = signer.linkToken("unsubscribe", { ref: site, to: "a@example.com" }, Date.now() - 400 * DAY);
    expect((await client.call("GET", `/v1/email/unsubscribe?token=${expired}`)).body.error.message).toBe("this link has expired");
    // A conversation token is not an unsubscribe token.
    const other = signer.linkToken("conversation", { ref: site, to: "a@example.com" }, Date.now());
    expect((await client.call("GET", `/v1/email/unsubscribe?token=${other}`)).status).toBe(403);
    expect((await client.call("GET", "/v1/email/unsubscribe")).status).toBe(400);
  });

  it("conversation and rating: the transcript without notes, escaped; the rating form records one rating", async () => {
    const { number } = await customerTicket("rater@example.com");
    await client.call("POST", `/v1/agent/tickets/${number}/messages`, { token: agent.token, body: { body: "Try <b>this</b> & that", clientId: clientId() } });
    await client.call("POST", `/v1/agent/tickets/${number}/messages`, { token: agent.token, body: { body: "internal: refund them", clientId: clientId(), internal: true } });
    const token = signer.linkToken("conversation", { ref: number, to: "rater@example.com" }, Date.now());
    const page = await (await fetch(`${api.url}/v1/email/conversation?token=${token}`)).text();
    expect(page).toContain("Try &lt;b&gt;this&lt;/b&gt; &amp; that");
    expect(page).not.toContain("refund them");
    expect((await client.call("GET", `/v1/email/conversation?token=${signer.linkToken("conversation", { ref: number, to: "else@example.com" }, Date.now())}`)).status).toBe(403);

    const rating = signer.linkToken("rating", { ref: number, to: "rater@example.com" }, Date.now());
    const submit = () =>
      fetch(`${api.url}/v1/email/rating`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: rating, score: "5", comment: "Quick!" }).toString() });
    expect((await submit()).status).toBe(409); // not resolved yet
    await client.call("POST", `/v1/agent/tickets/${number}/resolve`, { token: agent.token, body: {} });
    expect(await (await fetch(`${api.url}/v1/email/rating?token=${rating}`)).text()).toContain('name="score"');
    const rated = await submit();
    expect(rated.status).toBe(200);
    expect(await rated.text()).toContain("Thank you for your rating.");
    expect((await submit()).status).toBe(409);
    const ticket = (await client.call("GET", `/v1/agent/tickets/${number}`, { token: agent.token })).body;
    expect([ticket.rating, ticket.ratingComment]).toEqual([5, "Quick!"]);
  });
});
