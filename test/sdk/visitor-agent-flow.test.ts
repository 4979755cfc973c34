import { createHmac } from "node:crypto";
import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ParleyError,
  ParleyNetworkError,
  createAgentClient,
  createClient,
  memoryStore,
  type ErrorCode,
  type KeyValueStore,
  type ParleyAgentClient,
} from "@parley/sdk";
import { ADMIN, AGENT_PASSWORD, startApi, type RunningApi } from "../support/server.js";

/**
 * The REST half of the SDK against the real API (Node runtime, fresh libSQL file): everything a
 * widget and an inbox do, with refusals surfacing as typed ParleyErrors.
 */

let api: RunningApi;
let ada: ParleyAgentClient;
let admin: ParleyAgentClient;

beforeAll(async () => {
  api = await startApi({ runtime: "node" });
  [ada, admin] = await Promise.all([
    createAgentClient({ baseUrl: api.url, credentials: { email: "ada@parley.test", password: AGENT_PASSWORD } }),
    createAgentClient({ baseUrl: api.url, credentials: ADMIN }),
  ]);
});
afterAll(() => api?.stop());

/** A store whose keys the test can list, to see what the SDK persisted. */
function inspectableStore(): KeyValueStore & { keys(): string[] } {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
    remove: async (key) => void values.delete(key),
    keys: () => [...values.keys()],
  };
}

/** A fetch that records `METHOD /path` of every request it makes. */
function recordingFetch() {
  const calls: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? "GET"} ${new URL(input instanceof Request ? input.url : String(input)).pathname}`);
    return fetch(input, init);
  };
  return { calls, fetch: fetcher, sessions: () => calls.filter((call) => call === "POST /v1/sessions").length };
}

/** Awaits a call that must be refused and checks the ParleyError it rejects with. */
async function refusal(call: Promise<unknown>, status: number, code: ErrorCode): Promise<ParleyError> {
  const error = await call.then(
    () => new Error("expected the call to be refused, but it succeeded"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ParleyError);
  expect(error).toMatchObject({ name: "ParleyError", status, code });
  return error as ParleyError;
}

const visitorOf = (options: { storage?: KeyValueStore; fetch?: typeof fetch } = {}) =>
  createClient({ baseUrl: api.url, siteKey: "pk_demo", storage: options.storage ?? memoryStore(), ...(options.fetch ? { fetch: options.fetch } : {}) });

describe("the visitor's side through the SDK", () => {
  it("reads the widget config and the help centre without starting a session", async () => {
    const storage = inspectableStore();
    const net = recordingFetch();
    const visitor = visitorOf({ storage, fetch: net.fetch });

    const config = await visitor.widgetConfig();
    expect(config.site).toEqual({ key: "pk_demo", name: "Acme Cloud" });
    expect(config.agentsOnline).toBeGreaterThan(0);
    expect(config.categories.map((c) => c.slug)).toContain("billing");

    const found = await visitor.faqs.search({ q: "refund" });
    expect(found.items[0]).toMatchObject({ slug: "refunds-and-failed-payments", category: "billing" });
    expect(found.items[0]!.excerpt).toContain("**");
    const billing = await visitor.faqs.search({ category: "billing", limit: 100 });
    expect(billing.items.every((faq) => faq.category === "billing")).toBe(true);
    const article = await visitor.faqs.get("refunds-and-failed-payments");
    expect(article).toMatchObject({ title: "Refunds, failed payments and disputed charges", published: true });
    expect(article.body).toContain("chargeback");
    await refusal(visitor.faqs.get("no-such-article"), 404, "not_found");

    expect(net.sessions()).toBe(0);
    expect(await visitor.hasSession()).toBe(false);
    expect(storage.keys()).toEqual([]);

    // A vote is the first call that needs to know who is asking.
    const votes = await visitor.faqs.vote("refunds-and-failed-payments", true);
    expect(votes.helpfulCount).toBe(article.helpfulCount + 1);
    expect(net.sessions()).toBe(1);
    expect(await visitor.hasSession()).toBe(true);
    expect(storage.keys()).toEqual(["parley:pk_demo:session"]);
    // Voting again replaces the vote instead of adding one.
    expect(await visitor.faqs.vote("refunds-and-failed-payments", false)).toEqual({
      helpfulCount: article.helpfulCount,
      notHelpfulCount: article.notHelpfulCount + 1,
    });
    expect(net.sessions()).toBe(1);
  });

  it("opens a ticket, chats, marks read and rates once resolved, on one lazily created session", async () => {
    const storage = inspectableStore();
    const net = recordingFetch();
    const visitor = visitorOf({ storage, fetch: net.fetch });

    const ticket = await visitor.tickets.create({ subject: "Sync stopped", description: "Since 4.1 nothing syncs", category: "technical", priority: "high" });
    expect(ticket).toMatchObject({ status: "open", priority: "high", category: "technical", source: "widget", messageCount: 0 });
    expect(ticket.number).toMatch(/^TKT-\d{4}-\d{6,}$/);
    expect(net.sessions()).toBe(1);

    const listed = await visitor.tickets.list();
    expect(listed.items.map((t) => t.number)).toEqual([ticket.number]);
    expect(listed.nextCursor).toBeNull();
    expect((await visitor.tickets.list({ status: "closed" })).items).toEqual([]);

    const first = await visitor.tickets.send(ticket.number, "It says error 42");
    const second = await visitor.tickets.send(ticket.number, "Restarting did not help", { clientId: "visitor-retry-0001" });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first).toMatchObject({ senderType: "customer", internal: false, body: "It says error 42" });
    // The same clientId again is the same message, not a new one.
    expect(await visitor.tickets.send(ticket.number, "Restarting did not help", { clientId: "visitor-retry-0001" })).toEqual(second);
    expect(await visitor.pending()).toEqual([]);

    const reply = await ada.tickets.reply(ticket.number, "Please update to 4.2");
    await ada.tickets.note(ticket.number, "Known bug in 4.1");
    expect((await visitor.tickets.get(ticket.number)).unreadCount).toBe(1);
    const conversation = await visitor.tickets.messages(ticket.number);
    expect(conversation.items.map((m) => m.body)).toEqual(["It says error 42", "Restarting did not help", "Please update to 4.2"]);
    expect((await visitor.tickets.messages(ticket.number, { after: 1, limit: 1 })).items.map((m) => m.seq)).toEqual([2]);
    expect(await visitor.tickets.markRead(ticket.number, reply.seq)).toEqual({ number: ticket.number, seq: reply.seq, unreadCount: 0 });

    const early = await refusal(visitor.tickets.rate(ticket.number, { score: 5 }), 409, "illegal_transition");
    expect(early.message).toContain("resolved");
    await ada.tickets.resolve(ticket.number, "Fixed in 4.2");
    const rated = await visitor.tickets.rate(ticket.number, { score: 5, comment: "Quick and clear" });
    expect(rated).toMatchObject({ status: "resolved", rating: 5, ratingComment: "Quick and clear" });
    await refusal(visitor.tickets.rate(ticket.number, { score: 1 }), 409, "conflict");

    // One session for all of it, kept in the given storage: a client built on the same storage
    // (a reload) is the same visitor without asking for a new session.
    expect(net.sessions()).toBe(1);
    const reloaded = visitorOf({ storage, fetch: net.fetch });
    expect((await reloaded.tickets.list()).items.map((t) => t.number)).toEqual([ticket.number]);
    expect(net.sessions()).toBe(1);
  });

  it("closes the visitor's own ticket once it is resolved, and only then", async () => {
    const visitor = visitorOf({ storage: inspectableStore() });
    const ticket = await visitor.tickets.create({ subject: "Invoice is wrong", description: "Charged twice", priority: "urgent" });
    // A visitor may ask for up to high: urgent is the team's call.
    expect(ticket.priority).toBe("high");
    const early = await refusal(visitor.tickets.close(ticket.number), 409, "illegal_transition");
    expect(early.message).toContain("resolved");
    expect((await visitor.tickets.get(ticket.number)).status).toBe("open");

    await ada.tickets.resolve(ticket.number, "Refunded the second charge");
    const closed = await visitor.tickets.close(ticket.number);
    expect(closed).toMatchObject({ number: ticket.number, status: "closed" });
    expect(closed.closedAt).not.toBeNull();
    await refusal(visitor.tickets.close(ticket.number), 409, "illegal_transition");

    // Someone else's ticket is refused like every other visitor route that names one.
    const stranger = visitorOf({ storage: inspectableStore() });
    await refusal(stranger.tickets.close(ticket.number), 403, "forbidden");
  });

  it("replaces a stored session the server no longer accepts instead of failing from then on", async () => {
    const storage = inspectableStore();
    const net = recordingFetch();
    const before = visitorOf({ storage, fetch: net.fetch });
    const old = await before.visitor();
    // As after the API's database was reset or the token revoked: the stored token is refused.
    const stored = JSON.parse((await storage.get("parley:pk_demo:session"))!) as { session: { token: string } };
    stored.session.token = "a-token-this-server-never-issued";
    await storage.set("parley:pk_demo:session", JSON.stringify(stored));

    const after = visitorOf({ storage, fetch: net.fetch });
    const ticket = await after.tickets.create({ subject: "After the reset", description: "Still works" });
    expect((await after.tickets.list()).items.map((t) => t.number)).toEqual([ticket.number]);
    expect((await after.visitor()).id).not.toBe(old.id);
    expect(net.sessions()).toBe(2);
    expect(JSON.parse((await storage.get("parley:pk_demo:session"))!).session.token).not.toBe("a-token-this-server-never-issued");
  });

  it("sends the contact form without a session, and it becomes a contact ticket", async () => {
    const net = recordingFetch();
    const visitor = visitorOf({ fetch: net.fetch });
    const receipt = await visitor.contact({ name: "Mia Wong", email: "mia@example.com", subject: "Invoice address", message: "Please add my VAT number." });
    expect(receipt.number).toMatch(/^TKT-/);
    expect(net.calls).toEqual(["POST /v1/contact"]);
    expect(await ada.tickets.get(receipt.number)).toMatchObject({
      source: "contact",
      subject: "Invoice address",
      customer: { name: "Mia Wong", email: "mia@example.com", verified: false },
    });
    const invalid = await refusal(visitor.contact({ name: "Mia", email: "mia@example.com", subject: "Hi", message: "x" }), 400, "validation_failed");
    expect(invalid.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: "subject" })]));
  });

  it("refuses another visitor's ticket with 403 forbidden and bad input with 400", async () => {
    const owner = visitorOf();
    const intruder = visitorOf();
    const { number } = await owner.tickets.create({ subject: "My invoice", description: "Wrong amount" });
    await refusal(intruder.tickets.get(number), 403, "forbidden");
    await refusal(intruder.tickets.messages(number), 403, "forbidden");
    const send = await refusal(intruder.tickets.send(number, "let me in"), 403, "forbidden");
    expect(send.message).toBeTruthy();
    // A refused send is dropped from the outbox: retrying cannot make it succeed.
    expect(await intruder.pending()).toEqual([]);
    expect((await intruder.tickets.list()).items).toEqual([]);
    await refusal(owner.tickets.create({ subject: "ok", description: "   " }), 400, "validation_failed");
    await refusal(owner.tickets.get("TKT-2020-999999"), 404, "not_found");
  });

  it("fails with ParleyNetworkError when the API cannot be reached, keeping unsent messages queued", async () => {
    const offline = createClient({ baseUrl: "http://127.0.0.1:1", siteKey: "pk_demo", storage: memoryStore() });
    const config = await offline.widgetConfig().catch((error: unknown) => error);
    expect(config).toBeInstanceOf(ParleyNetworkError);
    expect(config).not.toBeInstanceOf(ParleyError);
    expect((config as ParleyNetworkError).message).toContain("GET /v1/widget/config");
    expect((config as ParleyNetworkError).cause).toBeInstanceOf(Error);

    await expect(offline.tickets.send("TKT-2026-000001", "are you there?")).rejects.toBeInstanceOf(ParleyNetworkError);
    expect((await offline.pending()).map((entry) => entry.body)).toEqual(["are you there?"]);
    await expect(createAgentClient({ baseUrl: "http://127.0.0.1:1", credentials: { email: "ada@parley.test", password: AGENT_PASSWORD } })).rejects.toBeInstanceOf(
      ParleyNetworkError,
    );
  });
});

describe("verified identity", () => {
  let site: { id: string; key: string; identitySecret: string };

  beforeAll(async () => {
    site = await admin.admin.sites.create({ name: "Verified Shop", requireVerifiedIdentity: true });
    // Ada works on this shop too: agents see the tickets of their own sites only.
    await admin.admin.agents.addSite(ada.agent.id, site.id);
    expect(site.key).toMatch(/^pk_/);
    expect(site.identitySecret.length).toBeGreaterThanOrEqual(32);
  });

  const shopClient = (identity?: Parameters<typeof createClient>[0]["identity"], storage: KeyValueStore = memoryStore()) =>
    createClient({ baseUrl: api.url, siteKey: site.key, storage, ...(identity ? { identity } : {}) });
  const hashOf = (userId: string, secret = site.identitySecret) => createHmac("sha256", secret).update(userId).digest("hex");
  const jwtFor = (claims: Record<string, unknown>, secret = site.identitySecret) =>
    sign({ exp: Math.floor(Date.now() / 1000) + 300, ...claims }, secret, "HS256");

  it("signs in with an HMAC identity hash, and refuses anonymous visitors and forged hashes", async () => {
    await refusal(shopClient().visitor(), 401, "unauthorized");
    const forged = await refusal(shopClient({ id: "user-7", hash: hashOf("user-8") }).visitor(), 401, "unauthorized");
    expect(forged.message).toContain("hash");
    await refusal(shopClient({ id: "user-7", hash: hashOf("user-7", "not-the-secret") }).visitor(), 401, "unauthorized");

    const mia = shopClient({ id: "user-7", name: "Mia", email: "mia@example.com", hash: hashOf("user-7") });
    expect(await mia.visitor()).toMatchObject({ verified: true, name: "Mia", email: "mia@example.com" });
    const { number } = await mia.tickets.create({ subject: "Where is my order?", description: "Order 1234" });

    // The same user on another device is the same visitor and sees the same tickets.
    const laptop = shopClient({ id: "user-7", hash: hashOf("user-7") });
    expect((await laptop.visitor()).id).toBe((await mia.visitor()).id);
    expect((await laptop.tickets.list()).items.map((t) => t.number)).toEqual([number]);
    expect((await ada.tickets.get(number)).customer).toMatchObject({ name: "Mia", email: "mia@example.com", verified: true });
  });

  it("signs in with an HS256 JWT signed with the identity secret, for the same user as the hash", async () => {
    const byHash = await shopClient({ id: "user-9", hash: hashOf("user-9") }).visitor();
    const byJwt = shopClient({ jwt: await jwtFor({ sub: "user-9", name: "Noor", email: "noor@example.com" }) });
    expect(await byJwt.visitor()).toMatchObject({ id: byHash.id, verified: true, name: "Noor", email: "noor@example.com" });

    const expired = await refusal(shopClient({ jwt: await jwtFor({ sub: "user-9", exp: Math.floor(Date.now() / 1000) - 60 }) }).visitor(), 401, "unauthorized");
    expect(expired.message).toContain("expired");
    await refusal(shopClient({ jwt: await jwtFor({ sub: "user-9" }, "another-secret-entirely") }).visitor(), 401, "unauthorized");
  });

  it("never hands one user's stored session to another user on the same device", async () => {
    const device = memoryStore();
    const first = await shopClient({ jwt: await jwtFor({ sub: "user-31", name: "First" }) }, device).visitor();
    const second = await shopClient({ jwt: await jwtFor({ sub: "user-32", name: "Second" }) }, device).visitor();
    expect(second).toMatchObject({ name: "Second", verified: true });
    expect(second.id).not.toBe(first.id);
    // The same user back, by JWT or by hash, picks up their session again.
    const again = shopClient({ id: "user-32", hash: hashOf("user-32") }, device);
    expect((await again.visitor()).id).toBe(second.id);
  });

  it("switches identity with identify() and forgets everything with reset()", async () => {
    // A site that takes anonymous visitors and verified ones alike.
    const open = await admin.admin.sites.create({ name: "Open Shop" });
    const storage = inspectableStore();
    const net = recordingFetch();
    const guest = createClient({ baseUrl: api.url, siteKey: open.key, storage, fetch: net.fetch });
    const anonymous = await guest.visitor();
    expect(anonymous.verified).toBe(false);
    await guest.tickets.create({ subject: "Guest question", description: "Before signing in" });

    await guest.identify({ id: "user-21", name: "Ravi", hash: hashOf("user-21", open.identitySecret) });
    const ravi = await guest.visitor();
    expect(ravi).toMatchObject({ verified: true, name: "Ravi" });
    expect(ravi.id).not.toBe(anonymous.id);
    // An anonymous visitor's tickets never follow them into a verified identity.
    expect((await guest.tickets.list()).items).toEqual([]);
    expect(net.sessions()).toBe(2);
    // A page that loads without an identity (signed out of the host site) is not Ravi.
    const signedOut = createClient({ baseUrl: api.url, siteKey: open.key, storage, fetch: net.fetch });
    expect((await signedOut.visitor()).id).not.toBe(ravi.id);
    expect(net.sessions()).toBe(3);
    await guest.identify({ id: "user-21", name: "Ravi", hash: hashOf("user-21", open.identitySecret) });
    expect((await guest.visitor()).id).toBe(ravi.id);
    expect(net.sessions()).toBe(4);

    await guest.reset();
    expect(await guest.hasSession()).toBe(false);
    expect(storage.keys()).toEqual([]);
    const fresh = await guest.visitor();
    expect(fresh).toMatchObject({ verified: false });
    expect([anonymous.id, ravi.id]).not.toContain(fresh.id);
    expect(net.sessions()).toBe(5);
  });
});

describe("the agent's side through the SDK", () => {
  it("signs in with credentials or a saved token, and refuses a wrong password", async () => {
    expect(ada.agent).toMatchObject({ email: "ada@parley.test", role: "agent", active: true });
    const resumed = await createAgentClient({ baseUrl: api.url, token: ada.token });
    expect(resumed.agent.id).toBe(ada.agent.id);
    expect((await resumed.refresh()).email).toBe("ada@parley.test");
    await refusal(createAgentClient({ baseUrl: api.url, credentials: { email: "ada@parley.test", password: "not-the-password" } }), 401, "unauthorized");
    await refusal(createAgentClient({ baseUrl: api.url, token: "not-a-token" }), 401, "unauthorized");
    const colleagues = await ada.colleagues();
    expect(colleagues.items.map((c) => c.name)).toEqual(expect.arrayContaining([ada.agent.name]));
  });

  it("filters and sorts the queue", async () => {
    const visitor = visitorOf();
    const tag = `walrus${Date.now().toString(36)}`;
    const low = await visitor.tickets.create({ subject: `Low ${tag}`, description: "x", priority: "low", category: "technical" });
    // A visitor asks for up to high; the team raises it to urgent.
    const urgent = await visitor.tickets.create({ subject: `Urgent ${tag}`, description: "x", priority: "high", category: "billing" });
    await ada.tickets.update(urgent.number, { priority: "urgent" });
    const normal = await visitor.tickets.create({ subject: `Normal ${tag}`, description: "x", priority: "normal", category: "billing" });

    const numbers = async (query: Parameters<typeof ada.tickets.list>[0]) => (await ada.tickets.list({ q: tag, ...query })).items.map((t) => t.number);
    expect(await numbers({ sort: "priority" })).toEqual([urgent.number, normal.number, low.number]);
    expect(await numbers({ sort: "created" })).toEqual([low.number, urgent.number, normal.number]);
    expect(await numbers({ priority: "urgent" })).toEqual([urgent.number]);
    expect((await numbers({ category: "billing" })).sort()).toEqual([urgent.number, normal.number].sort());
    expect(await numbers({ status: "open", assignee: "none", sort: "created" })).toEqual([low.number, urgent.number, normal.number]);

    await ada.tickets.assign(low.number, ada.agent.id);
    expect(await numbers({ assignee: "me" })).toEqual([low.number]);
    expect(await numbers({ assignee: "none", sort: "created" })).toEqual([urgent.number, normal.number]);

    const firstPage = await ada.tickets.list({ q: tag, sort: "created", limit: 2 });
    expect(firstPage.items).toHaveLength(2);
    const secondPage = await ada.tickets.list({ q: tag, sort: "created", limit: 2, cursor: firstPage.nextCursor! });
    expect(secondPage.items.map((t) => t.number)).toEqual([normal.number]);
    expect(secondPage.nextCursor).toBeNull();
  });

  it("replies, keeps notes from the visitor, assigns, escalates, resolves, closes and records the history", async () => {
    const visitor = visitorOf();
    const { number } = await visitor.tickets.create({ subject: "Refund for a double charge", description: "Charged twice", category: "billing" });
    await visitor.tickets.send(number, "I was charged twice in March");

    const reply = await ada.tickets.reply(number, "Sorry about that, checking now");
    expect(reply).toMatchObject({ senderType: "agent", internal: false, seq: 2 });
    const note = await ada.tickets.note(number, "Stripe shows two charges");
    expect(note).toMatchObject({ internal: true, seq: 3 });
    expect((await ada.tickets.get(number)).status).toBe("in_progress");
    expect((await ada.tickets.messages(number)).items.map((m) => m.internal)).toEqual([false, false, true]);
    const seen = await visitor.tickets.messages(number);
    expect(seen.items.map((m) => m.body)).toEqual(["I was charged twice in March", "Sorry about that, checking now"]);

    const assigned = await ada.tickets.assign(number, ada.agent.id);
    expect(assigned.assigneeId).toBe(ada.agent.id);
    const changed = await ada.tickets.update(number, { priority: "high", tags: ["refund", "VIP"] });
    expect(changed).toMatchObject({ priority: "high", tags: ["refund", "vip"] });
    const escalated = await ada.tickets.escalate(number, { reason: "needs billing tier 2" });
    expect(escalated).toMatchObject({ status: "escalated", tier: 2, assigneeId: null });

    const grace = await createAgentClient({ baseUrl: api.url, credentials: { email: "grace@parley.test", password: AGENT_PASSWORD } });
    await refusal(grace.tickets.assign(number, "no-such-agent"), 400, "validation_failed");
    const picked = await grace.tickets.assign(number, grace.agent.id);
    expect(picked).toMatchObject({ status: "in_progress", assigneeId: grace.agent.id });
    expect(await grace.tickets.resolve(number, "Refunded the second charge")).toMatchObject({ status: "resolved" });
    expect(await grace.tickets.close(number)).toMatchObject({ status: "closed" });

    const illegal = await refusal(grace.tickets.update(number, { status: "in_progress" }), 409, "illegal_transition");
    expect(illegal.message).toMatch(/closed/);
    await refusal(visitor.tickets.send(number, "one more thing"), 409, "illegal_transition");

    const history = await ada.tickets.history(number);
    const types = history.items.map((event) => event.type);
    expect(types[0]).toBe("created");
    expect(types).toEqual(expect.arrayContaining(["message", "note", "assigned", "priority_changed", "tags_changed", "escalated", "status_changed"]));
    const statuses = history.items.filter((e) => e.type === "status_changed").map((e) => e.data.to);
    expect(statuses).toEqual(expect.arrayContaining(["resolved", "closed"]));
  });

  it("changes many tickets in one bulk call with a result per ticket, and sends a canned response", async () => {
    const visitor = visitorOf();
    const [one, two] = [await visitor.tickets.create({ subject: "Bulk one", description: "x" }), await visitor.tickets.create({ subject: "Bulk two", description: "x" })];
    await ada.tickets.close(two.number);
    const outcome = await ada.tickets.bulk({ action: "status", status: "pending_customer", numbers: [one.number, two.number] });
    expect(outcome).toMatchObject({ succeeded: 1, failed: 1 });
    expect(outcome.results[0]).toMatchObject({ number: one.number, ok: true, ticket: { status: "pending_customer" } });
    expect(outcome.results[1]).toMatchObject({ number: two.number, ok: false, error: { code: "illegal_transition" } });
    await refusal(ada.tickets.bulk({ action: "priority", priority: "low", numbers: [] }), 400, "validation_failed");

    const response = await ada.cannedResponses.create({ scope: "personal", shortcut: "/sdk-thanks", title: "Thanks", body: "Thanks {{customer.name | there}}, {{agent.name}}" });
    expect((await ada.cannedResponses.list({ prefix: "/sdk" })).items.map((r) => r.id)).toEqual([response.id]);
    await refusal(admin.cannedResponses.get(response.id), 404, "not_found");
    const sent = await ada.tickets.useCanned(one.number, response.id, { send: true, clientId: "canned-sdk-0001" });
    expect(sent.message).toMatchObject({ body: `Thanks there, ${ada.agent.name}` });
    expect((await visitor.tickets.messages(one.number)).items.map((m) => m.body)).toEqual([sent.body]);
    expect(await ada.cannedResponses.remove(response.id)).toEqual({ ok: true });
  });

  it("lets an admin create, read, rename and delete a category, and refuses a plain agent", async () => {
    const created = await admin.admin.categories.create({ slug: "returns-sdk", name: "Returns" });
    expect(created).toMatchObject({ slug: "returns-sdk", name: "Returns", departmentId: null });
    const all = await admin.admin.categories.list({ limit: 100 });
    expect(all.items.map((c) => c.slug)).toContain("returns-sdk");
    expect(await admin.admin.categories.update(created.id, { name: "Returns and exchanges" })).toMatchObject({ id: created.id, name: "Returns and exchanges" });
    await refusal(admin.admin.categories.create({ slug: "returns-sdk", name: "Again" }), 409, "conflict");
    await refusal(ada.admin.categories.create({ slug: "sneaky", name: "Sneaky" }), 403, "forbidden");
    await refusal(ada.admin.categories.list(), 403, "forbidden");

    expect(await admin.admin.categories.remove(created.id)).toEqual({ ok: true });
    expect((await admin.admin.categories.list({ limit: 100 })).items.map((c) => c.slug)).not.toContain("returns-sdk");
    await refusal(admin.admin.categories.update(created.id, { name: "Gone" }), 404, "not_found");
  });
});
