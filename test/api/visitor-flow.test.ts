import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { startApi, type RunningApi } from "../support/server.js";
import { createClient } from "@libsql/client";

let api: RunningApi;
let client: ApiClient;

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
});
afterAll(() => api?.stop());

describe("visitor sessions and widget config", () => {
  it("starts an anonymous session and reads the widget config", async () => {
    const session = await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo" } });
    expect(session.status).toBe(201);
    expect(session.body.visitor).toMatchObject({ verified: false, name: null });
    expect(typeof session.body.token).toBe("string");

    const config = await client.call("GET", "/v1/widget/config", { site: "pk_demo" });
    expect(config.status).toBe(200);
    expect(config.body.site).toEqual({ key: "pk_demo", name: "Acme Cloud" });
    expect(config.body.branding.primaryColor).toMatch(/^#[0-9a-f]{6}$/i);
    expect(config.body.agentsOnline).toBeGreaterThan(0);
    expect(config.body.categories.map((c: { slug: string }) => c.slug)).toContain("billing");
  });

  it("verifies an identity hash made with the site's secret, and refuses a wrong one", async () => {
    const db = createClient({ url: `file:${api.dbFile}` });
    const { rows } = await db.execute("select identity_secret from sites where public_key = 'pk_demo'");
    db.close();
    const secret = String(rows[0]!.identity_secret);
    const hash = createHmac("sha256", secret).update("user-42").digest("hex");

    const ok = await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo", visitor: { id: "user-42", name: "Mia", email: "mia@example.com", hash } } });
    expect(ok.status).toBe(201);
    expect(ok.body.visitor).toMatchObject({ verified: true, name: "Mia", email: "mia@example.com" });
    const again = await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo", visitor: { id: "user-42", hash } } });
    expect(again.body.visitor.id).toBe(ok.body.visitor.id);

    const forged = await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo", visitor: { id: "user-43", hash } } });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("unauthorized");
  });

  it("refuses an unknown site key", async () => {
    const res = await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_nope" } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "unknown site key" } });
  });
});

describe("CORS per site", () => {
  it("answers a preflight from an allowed origin and refuses other origins", async () => {
    const allowed = api.url.replace("127.0.0.1", "localhost");
    const preflight = await fetch(`${api.url}/v1/tickets`, {
      method: "OPTIONS",
      headers: { origin: allowed, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");

    const visitor = await client.visitor();
    const ok = await client.call("GET", "/v1/tickets", { token: visitor.token, headers: { origin: allowed } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(allowed);

    const evilPreflight = await fetch(`${api.url}/v1/tickets`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(evilPreflight.headers.get("access-control-allow-origin")).toBeNull();
    const evil = await client.call("GET", "/v1/tickets", { token: visitor.token, headers: { origin: "https://evil.example" } });
    expect(evil.status).toBe(403);
    expect(evil.body.error.message).toBe("origin https://evil.example is not allowed for this site");
    const evilSession = await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo" }, headers: { origin: "https://evil.example" } });
    expect(evilSession.status).toBe(403);
  });
});

describe("a ticket's life from the visitor's side", () => {
  it("opens a ticket, chats, pages with ?after, marks read and rates once resolved", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token, { category: "technical", priority: "high" });
    expect(ticket.number).toMatch(/^TKT-\d{4}-\d{6}$/);
    expect(ticket).toMatchObject({ status: "open", priority: "high", category: "technical", source: "widget", messageCount: 0 });

    const sent: { seq: number }[] = [];
    for (const body of ["hello", "are you there?", "it says error 42"]) {
      const res = await client.call("POST", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token, body: { body, clientId: clientId() } });
      expect(res.status).toBe(201);
      sent.push(res.body);
    }
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3]);

    const after1 = await client.call("GET", `/v1/tickets/${ticket.number}/messages?after=1`, { token: visitor.token });
    expect(after1.status).toBe(200);
    expect(after1.body.items.map((m: { body: string }) => m.body)).toEqual(["are you there?", "it says error 42"]);
    const paged = await client.call("GET", `/v1/tickets/${ticket.number}/messages?after=0&limit=2`, { token: visitor.token });
    expect(paged.body.items).toHaveLength(2);
    expect(paged.body.nextCursor).toBe("2");

    const agent = await client.login("ada@parley.test");
    const reply = await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: agent.token, body: { body: "Looking into it", clientId: clientId() } });
    expect(reply.status).toBe(201);
    const note = await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: agent.token, body: { body: "customer on old client", clientId: clientId(), internal: true } });
    expect(note.status).toBe(201);

    const seen = await client.call("GET", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token });
    expect(seen.body.items.map((m: { body: string }) => m.body)).toEqual(["hello", "are you there?", "it says error 42", "Looking into it"]);
    expect(seen.body.items.some((m: { internal: boolean }) => m.internal)).toBe(false);

    const before = await client.call("GET", `/v1/tickets/${ticket.number}`, { token: visitor.token });
    expect(before.body).toMatchObject({ status: "in_progress", unreadCount: 1, messageCount: 4 });
    const read = await client.call("POST", `/v1/tickets/${ticket.number}/read`, { token: visitor.token, body: { seq: reply.body.seq } });
    expect(read.body).toEqual({ number: ticket.number, seq: reply.body.seq, unreadCount: 0 });

    const early = await client.call("POST", `/v1/tickets/${ticket.number}/rating`, { token: visitor.token, body: { score: 5 } });
    expect(early.status).toBe(409);
    expect((await client.call("POST", `/v1/agent/tickets/${ticket.number}/resolve`, { token: agent.token, body: {} })).status).toBe(200);
    const rated = await client.call("POST", `/v1/tickets/${ticket.number}/rating`, { token: visitor.token, body: { score: 5, comment: "quick" } });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ rating: 5, ratingComment: "quick", status: "resolved" });
    expect((await client.call("POST", `/v1/tickets/${ticket.number}/rating`, { token: visitor.token, body: { score: 1 } })).status).toBe(409);

    const mine = await client.call("GET", "/v1/tickets", { token: visitor.token });
    expect(mine.body.items.map((t: { number: string }) => t.number)).toEqual([ticket.number]);
  });

  it("stores a resent clientId once and answers 200 with the same message", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    const id = clientId("dup");
    const first = await client.call("POST", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token, body: { body: "once", clientId: id } });
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => client.call("POST", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token, body: { body: "once", clientId: id } })),
    );
    expect(first.status).toBe(201);
    for (const res of racing) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual(first.body);
    }
    const db = createClient({ url: `file:${api.dbFile}` });
    const { rows } = await db.execute({ sql: "select count(*) as n from messages where client_id = ?", args: [id] });
    db.close();
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it("makes ticket creation idempotent by clientId too", async () => {
    const visitor = await client.visitor();
    const id = clientId("t");
    const body = { subject: "Refund please", description: "Charged twice", clientId: id };
    const first = await client.call("POST", "/v1/tickets", { token: visitor.token, body });
    const second = await client.call("POST", "/v1/tickets", { token: visitor.token, body });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.number).toBe(first.body.number);
  });

  it("keeps visitors out of each other's tickets", async () => {
    const owner = await client.visitor();
    const intruder = await client.visitor();
    const ticket = await client.ticket(owner.token);
    const attempts = [
      client.call("GET", `/v1/tickets/${ticket.number}`, { token: intruder.token }),
      client.call("GET", `/v1/tickets/${ticket.number}/messages`, { token: intruder.token }),
      client.call("POST", `/v1/tickets/${ticket.number}/messages`, { token: intruder.token, body: { body: "hi", clientId: clientId() } }),
      client.call("POST", `/v1/tickets/${ticket.number}/read`, { token: intruder.token, body: { seq: 0 } }),
      client.call("POST", `/v1/tickets/${ticket.number}/rating`, { token: intruder.token, body: { score: 1 } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    const list = await client.call("GET", "/v1/tickets", { token: intruder.token });
    expect(list.body.items).toEqual([]);
  });

  it("refuses messages on a closed ticket with 409", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    const agent = await client.login("ada@parley.test");
    expect((await client.call("POST", `/v1/agent/tickets/${ticket.number}/close`, { token: agent.token, body: {} })).status).toBe(200);
    const res = await client.call("POST", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token, body: { body: "hello?", clientId: clientId() } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("illegal_transition");
  });
});
