import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmailDelivery } from "../../protocol/index.js";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { startSmtp, type RunningSmtp } from "../support/smtp.js";

/**
 * The admins' email delivery log over HTTP: the real API sends to a real smtp-server on
 * loopback, and GET /v1/admin/email/deliveries shows each email with where it stands; a dead
 * one is sent again with POST …/redeliver.
 */
let smtp: RunningSmtp;
let api: RunningApi;
let client: ApiClient;
let admin: string;

beforeAll(async () => {
  smtp = await startSmtp();
  api = await startApi({ env: { PARLEY_SMTP_URL: smtp.url, PARLEY_WEBHOOKS_ALLOW_PRIVATE: "1" } });
  client = apiClient(api.url);
  admin = (await client.login(ADMIN.email)).token;
});
afterAll(async () => {
  await api?.stop();
  await smtp?.stop();
});

const log = (query = "") => client.call<{ items: EmailDelivery[]; nextCursor: string | null }>("GET", `/v1/admin/email/deliveries${query}`, { token: admin });
const contact = (email: string, subject: string) =>
  client.call("POST", "/v1/contact", { site: "pk_demo", body: { name: "Noor", email, subject, message: "My invoice link is broken." } });

/** Asks `probe` until it answers something: the dispatcher's progress is the event waited on. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let round = 0; round <= 400; round++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

/** The log (one page of 100) once it shows what `done` looks for. */
const logUntil = (done: (items: EmailDelivery[]) => boolean) =>
  eventually(async () => {
    const { items } = (await log("?limit=100")).body;
    return done(items) ? items : undefined;
  }, "the email log to show what the test waits for");

describe("GET /v1/admin/email/deliveries", () => {
  let sent: EmailDelivery;
  let bounced: EmailDelivery;
  let waiting: EmailDelivery;
  let ticket: string;

  it("lists every email with its recipient, template, status, attempts and last attempt, newest first", async () => {
    smtp.refuse("bounce@example.com", 550, 1);
    const ok = await contact("ok@example.com", "Invoice link broken");
    expect(ok.status).toBe(201);
    ticket = ok.body.number;
    await smtp.waitFor(1);
    expect((await contact("bounce@example.com", "Another invoice question")).status).toBe(201);
    const agent = await client.login("ada@parley.test");
    const reply = await client.call("POST", `/v1/agent/tickets/${ticket}/messages`, { token: agent.token, body: { body: "Fixed, please retry.", clientId: clientId() } });
    expect(reply.status).toBe(201);

    const items = await logUntil((all) => all.length === 3 && all.some((email) => email.status === "dead") && all.some((email) => email.status === "delivered"));
    expect(items.map((email) => email.id)).toEqual([...items.map((email) => email.id)].sort((x, y) => y - x));
    [waiting, bounced, sent] = items as [EmailDelivery, EmailDelivery, EmailDelivery];

    expect(sent).toMatchObject({ to: "ok@example.com", audience: "customer", template: "ticket-created", eventType: "ticket.created", ticketNumber: ticket, status: "delivered", attempts: 1, lastError: null, nextAttemptAt: null });
    expect(sent.lastAttempt).toMatchObject({ attempt: 1, outcome: "delivered", statusCode: null, error: null });
    expect(Date.parse(sent.deliveredAt!)).toBeGreaterThanOrEqual(Date.parse(sent.createdAt));

    expect(bounced).toMatchObject({ to: "bounce@example.com", template: "ticket-created", status: "dead", attempts: 1, deliveredAt: null, nextAttemptAt: null });
    expect(bounced.lastAttempt).toMatchObject({ attempt: 1, outcome: "dead", statusCode: 550 });
    expect(bounced.lastError).toMatch(/550/);

    // "Agent replied" waits until the visitor has been away a while: pending, with its time.
    expect(waiting).toMatchObject({ to: "ok@example.com", template: "agent-replied", eventType: "message.created", ticketNumber: ticket, status: "pending", attempts: 0, lastAttempt: null });
    expect(Date.parse(waiting.nextAttemptAt!)).toBeGreaterThan(Date.parse(waiting.createdAt));
  });

  it("narrows by status and pages with cursors without gaps or repeats", async () => {
    expect((await log("?status=dead")).body.items.map((email) => email.id)).toEqual([bounced.id]);
    expect((await log("?status=pending")).body.items.map((email) => email.id)).toEqual([waiting.id]);
    expect((await log("?status=delivered")).body.items.map((email) => email.id)).toEqual([sent.id]);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof log>> = await log(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((email) => email.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([waiting.id, bounced.id, sent.id]);
  });

  it("refuses a bad status or cursor with 400 in the error shape, and agents with 403", async () => {
    const status = await log("?status=bounced");
    expect(status.status).toBe(400);
    expect(status.body).toMatchObject({ error: { code: "validation_failed" } });
    const cursor = await log("?cursor=bm90LWEtY3Vyc29y");
    expect(cursor.status).toBe(400);
    expect(cursor.body).toMatchObject({ error: { code: "validation_failed" } });
    const agent = await client.login("sam@parley.test");
    const refused = await client.call("GET", "/v1/admin/email/deliveries", { token: agent.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    expect((await client.call("POST", `/v1/admin/email/deliveries/${bounced.id}/redeliver`, { token: agent.token })).status).toBe(403);
  });
});

describe("POST /v1/admin/email/deliveries/:id/redeliver", () => {
  it("sends a dead email again as the same entry, with a fresh count of attempts", async () => {
    const dead = (await log("?status=dead")).body.items[0]!;
    const before = smtp.received.length;
    const res = await client.call("POST", `/v1/admin/email/deliveries/${dead.id}/redeliver`, { token: admin });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: dead.id, status: "queued" });

    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.envelopeTo).toEqual(["bounce@example.com"]);
    expect(mail!.parsed.messageId).toMatch(new RegExp(`^<outbox-${dead.id}\\.`));
    const items = await logUntil((all) => all.find((email) => email.id === dead.id)?.status === "delivered");
    expect(items.find((email) => email.id === dead.id)).toMatchObject({ status: "delivered", attempts: 1, lastError: null, lastAttempt: { attempt: 1, outcome: "delivered" } });
  });

  it("answers 404 for an unknown id and for an entry of another channel (a webhook's), 400 for a malformed one", async () => {
    expect((await client.call("POST", "/v1/admin/email/deliveries/999999999/redeliver", { token: admin })).status).toBe(404);
    expect((await client.call("POST", "/v1/admin/email/deliveries/abc/redeliver", { token: admin })).status).toBe(400);

    // A webhook to a closed port: its first attempt is logged, which names its outbox entry.
    const sites = await client.call("GET", "/v1/admin/sites?limit=100", { token: admin });
    const siteId = sites.body.items.find((site: { key: string }) => site.key === "pk_demo").id;
    const endpoint = await client.call("POST", "/v1/admin/webhooks", { token: admin, body: { siteId, url: "http://127.0.0.1:9/hook", events: ["ticket.created"] } });
    expect(endpoint.status).toBe(201);
    await contact("third@example.com", "A third question");
    const messageId = await eventually(async () => {
      const deliveries = await client.call("GET", `/v1/admin/webhooks/${endpoint.body.id}/deliveries`, { token: admin });
      return deliveries.body.items[0]?.messageId as string | undefined;
    }, "the webhook's first attempt");
    const webhookEntryId = Number(messageId.replace(/^msg_/, ""));
    const refused = await client.call("POST", `/v1/admin/email/deliveries/${webhookEntryId}/redeliver`, { token: admin });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe("not_found");
  });
});
