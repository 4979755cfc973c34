import { createHmac } from "node:crypto";
import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, TEST_SECRET, type RunningApi } from "../support/server.js";

/** Who a verified visitor is, what of it the signature covers, and when tokens stop working. */

let api: RunningApi;
let client: ApiClient;
let admin: { token: string; agentId: string };

// POST /v1/auth/login allows 10 a minute per address: this file logs in 6 times in all.
beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
});
afterAll(() => api?.stop());

const as = (token: string) => client.as(token);
const adm = () => as(admin.token);

/** The identity hash a host site computes: over the id, or over id + "\n" + email. */
const identityHash = (secret: string, id: string, email?: string) =>
  createHmac("sha256", secret)
    .update(email === undefined ? id : `${id}\n${email}`)
    .digest("hex");

async function newSite(name: string, fields: Record<string, unknown> = {}) {
  const res = await adm().post("/v1/admin/sites", { name, ...fields });
  if (res.status !== 201) throw new Error(`site failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string; identitySecret: string };
}

const session = (siteKey: string, visitor?: unknown) => client.call("POST", "/v1/sessions", { body: { siteKey, ...(visitor ? { visitor } : {}) } });

async function started(siteKey: string, visitor?: unknown) {
  const res = await session(siteKey, visitor);
  if (res.status !== 201) throw new Error(`session failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { token: string; visitor: { id: string; [key: string]: unknown } };
}

describe("what a verified identity vouches for", () => {
  it("shows an email sent beside an id-only hash as unverified, and never lets it reach the real owner's tickets", async () => {
    const site = await newSite("Spoof Shop");
    const alice = await started(site.key, { id: "alice", name: "Alice", email: "alice@example.com", hash: identityHash(site.identitySecret, "alice", "alice@example.com") });
    expect(alice.visitor).toMatchObject({ verified: true, email: "alice@example.com", emailVerified: true, name: "Alice", nameVerified: false });

    // Mallory holds a valid hash for her own id and claims Alice's email next to it.
    const mallory = await started(site.key, { id: "mallory", name: "Alice", email: "alice@example.com", hash: identityHash(site.identitySecret, "mallory") });
    expect(mallory.visitor).toMatchObject({ verified: true, email: "alice@example.com", emailVerified: false, nameVerified: false });
    expect(mallory.visitor.id).not.toBe(alice.visitor.id);
    // Alice's id-and-email hash does not vouch for another id.
    const borrowed = await session(site.key, { id: "mallory", email: "alice@example.com", hash: identityHash(site.identitySecret, "alice", "alice@example.com") });
    expect([borrowed.status, borrowed.body.error.code]).toEqual([401, "unauthorized"]);

    const alicesTicket = await client.ticket(alice.token, { subject: "Alice's invoice" });
    const mallorysTicket = await client.ticket(mallory.token, { subject: "Mallory pretending" });
    expect((await as(mallory.token).get("/v1/tickets")).body.items.map((t: { number: string }) => t.number)).toEqual([mallorysTicket.number]);
    const peek = await as(mallory.token).get(`/v1/tickets/${alicesTicket.number}`);
    expect([peek.status, peek.body.error.code]).toEqual([403, "forbidden"]);

    // What the agent sees: the same address, vouched for on one ticket only.
    const real = await adm().get(`/v1/agent/tickets/${alicesTicket.number}`);
    expect(real.body.customer).toEqual({ visitorId: alice.visitor.id, name: "Alice", email: "alice@example.com", verified: true, nameVerified: false, emailVerified: true, pageUrl: null, locale: null });
    const spoofed = await adm().get(`/v1/agent/tickets/${mallorysTicket.number}`);
    expect(spoofed.body.customer).toEqual({ visitorId: mallory.visitor.id, name: "Alice", email: "alice@example.com", verified: true, nameVerified: false, emailVerified: false, pageUrl: null, locale: null });
    const queue = await adm().get(`/v1/agent/tickets?site=${site.id}&q=${encodeURIComponent("alice@example.com")}`);
    const flags = Object.fromEntries(queue.body.items.map((t: { number: string; customer: { emailVerified: boolean } }) => [t.number, t.customer.emailVerified]));
    expect(flags).toEqual({ [alicesTicket.number]: true, [mallorysTicket.number]: false });
  });

  it("keeps a vouched-for email when it comes again unsigned, and marks a different unsigned one unverified", async () => {
    const site = await newSite("Returning Shop");
    const signed = await started(site.key, { id: "u-1", email: "una@example.com", hash: identityHash(site.identitySecret, "u-1", "una@example.com") });
    expect(signed.visitor).toMatchObject({ email: "una@example.com", emailVerified: true });
    const same = await started(site.key, { id: "u-1", email: "una@example.com", hash: identityHash(site.identitySecret, "u-1") });
    expect(same.visitor).toMatchObject({ id: signed.visitor.id, email: "una@example.com", emailVerified: true });
    const silent = await started(site.key, { id: "u-1", hash: identityHash(site.identitySecret, "u-1") });
    expect(silent.visitor).toMatchObject({ email: "una@example.com", emailVerified: true });
    const other = await started(site.key, { id: "u-1", email: "boss@example.com", hash: identityHash(site.identitySecret, "u-1") });
    expect(other.visitor).toMatchObject({ id: signed.visitor.id, email: "boss@example.com", emailVerified: false });
  });

  it("trusts the name and email inside a JWT, and a pre-chat email of an anonymous visitor never", async () => {
    const site = await newSite("Jwt Shop");
    const jwt = await sign({ sub: "j-1", name: "Jo", email: "jo@example.com", exp: Math.floor(Date.now() / 1000) + 600 }, site.identitySecret, "HS256");
    const jo = await started(site.key, { jwt });
    expect(jo.visitor).toMatchObject({ verified: true, name: "Jo", nameVerified: true, email: "jo@example.com", emailVerified: true });
    // A verified name and email win over a pre-chat form's.
    const ticket = await client.ticket(jo.token, { name: "Someone Else", email: "else@example.com" });
    expect((await adm().get(`/v1/agent/tickets/${ticket.number}`)).body.customer).toMatchObject({ name: "Jo", nameVerified: true, email: "jo@example.com", emailVerified: true });

    const anonymous = await started(site.key);
    expect(anonymous.visitor).toMatchObject({ verified: false, nameVerified: false, emailVerified: false });
    const typed = await client.ticket(anonymous.token, { name: "Jo", email: "jo@example.com" });
    expect((await adm().get(`/v1/agent/tickets/${typed.number}`)).body.customer).toMatchObject({
      name: "Jo",
      email: "jo@example.com",
      verified: false,
      nameVerified: false,
      emailVerified: false,
    });
    expect((await as(anonymous.token).get(`/v1/tickets/${ticket.number}`)).status).toBe(403);
  });

  it("refuses an id with control characters, which would make the hash input ambiguous", async () => {
    const site = await newSite("Strict Shop");
    const res = await session(site.key, { id: "a\nb@example.com", hash: identityHash(site.identitySecret, "a\nb@example.com") });
    expect([res.status, res.body.error.code]).toEqual([400, "validation_failed"]);
  });
});

describe("visitor tokens and the site's identity settings", () => {
  it("refuses every visitor token issued before the identity secret was rotated", async () => {
    const site = await newSite("Rotating Shop");
    const verified = await started(site.key, { id: "r-1", hash: identityHash(site.identitySecret, "r-1") });
    const anonymous = await started(site.key);
    // A token from before token epochs existed (no `ep` claim) counts as epoch 0.
    const legacy = await sign({ kind: "visitor", sub: anonymous.visitor.id, site: site.id, exp: Math.floor(Date.now() / 1000) + 600 }, TEST_SECRET, "HS256");
    for (const token of [verified.token, anonymous.token, legacy]) expect((await as(token).get("/v1/tickets")).status).toBe(200);

    const rotated = await adm().post(`/v1/admin/sites/${site.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    for (const token of [verified.token, anonymous.token, legacy]) {
      const res = await as(token).get("/v1/tickets");
      expect([res.status, res.body.error.code]).toEqual([401, "unauthorized"]);
    }
    // The same user with a hash from the new secret is back in, as the same visitor.
    const again = await started(site.key, { id: "r-1", hash: identityHash(rotated.body.identitySecret, "r-1") });
    expect(again.visitor.id).toBe(verified.visitor.id);
    expect((await as(again.token).get("/v1/tickets")).status).toBe(200);
    expect((await as((await started(site.key)).token).get("/v1/tickets")).status).toBe(200);
  });

  it("refuses old anonymous tokens once the site starts requiring verified identity, and only then", async () => {
    const site = await newSite("Tightening Shop");
    const anonymous = await started(site.key);
    const ticket = await client.ticket(anonymous.token);
    // Other changes leave sessions alone.
    expect((await adm().patch(`/v1/admin/sites/${site.id}`, { name: "Tightening Shop 2", requireVerifiedIdentity: false })).status).toBe(200);
    expect((await as(anonymous.token).get(`/v1/tickets/${ticket.number}`)).status).toBe(200);

    expect((await adm().patch(`/v1/admin/sites/${site.id}`, { requireVerifiedIdentity: true })).body.requireVerifiedIdentity).toBe(true);
    for (const [method, path] of [["GET", `/v1/tickets/${ticket.number}`], ["GET", "/v1/tickets"], ["POST", "/v1/realtime/token"]] as const) {
      const res = await client.call(method, path, { token: anonymous.token, body: method === "POST" ? { ticket: ticket.number } : undefined });
      expect([path, res.status, res.body.error.code]).toEqual([path, 401, "unauthorized"]);
    }
    expect((await session(site.key)).status).toBe(401);
    const verified = await started(site.key, { id: "t-1", hash: identityHash(site.identitySecret, "t-1") });
    expect((await as(verified.token).get("/v1/tickets")).status).toBe(200);
    // Saying it again changes nothing: the verified session stays valid.
    expect((await adm().patch(`/v1/admin/sites/${site.id}`, { requireVerifiedIdentity: true })).status).toBe(200);
    expect((await as(verified.token).get("/v1/tickets")).status).toBe(200);
  });
});

describe("agent tokens and the account", () => {
  it("refuses tokens issued before a password change; the new password signs in", async () => {
    const created = await adm().post("/v1/admin/agents", { email: "pia@parley.test", name: "Pia", password: "pia-password-one" });
    expect(created.status).toBe(201);
    const before = await client.login("pia@parley.test", "pia-password-one");
    expect((await as(before.token).get("/v1/agent/me")).status).toBe(200);
    // A profile change is not a reason to sign anyone out.
    expect((await adm().patch(`/v1/admin/agents/${created.body.id}`, { capacity: 7 })).status).toBe(200);
    expect((await as(before.token).get("/v1/agent/me")).status).toBe(200);

    expect((await adm().patch(`/v1/admin/agents/${created.body.id}`, { password: "pia-password-two" })).status).toBe(200);
    const stale = await as(before.token).get("/v1/agent/me");
    expect([stale.status, stale.body.error.code]).toEqual([401, "unauthorized"]);
    const after = await client.login("pia@parley.test", "pia-password-two");
    expect((await as(after.token).get("/v1/agent/me")).status).toBe(200);
  });

  it("refuses tokens issued before a deactivation, even after the account is reactivated", async () => {
    const created = await adm().post("/v1/admin/agents", { email: "quin@parley.test", name: "Quin", password: "quin-password-1" });
    const before = await client.login("quin@parley.test", "quin-password-1");
    expect((await as(before.token).get("/v1/agent/tickets")).status).toBe(200);

    expect((await adm().delete(`/v1/admin/agents/${created.body.id}`)).status).toBe(200);
    expect((await as(before.token).get("/v1/agent/tickets")).status).toBe(401);
    expect((await adm().patch(`/v1/admin/agents/${created.body.id}`, { active: true })).body.active).toBe(true);
    const revived = await as(before.token).get("/v1/agent/tickets");
    expect([revived.status, revived.body.error.code]).toEqual([401, "unauthorized"]);
    const fresh = await client.login("quin@parley.test", "quin-password-1");
    expect((await as(fresh.token).get("/v1/agent/tickets")).status).toBe(200);
  });
});
