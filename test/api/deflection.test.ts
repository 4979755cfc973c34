import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";

/** Help-centre events per visitor session, and whether a ticket followed: the deflection report. */
let api: RunningApi;
let client: ApiClient;
let admin: string;
let demoSiteId: string;
let otherSiteId: string;

beforeAll(async () => {
  // Two votes from one address on one article would be refused: each visitor speaks from its own.
  api = await startApi({ env: { PARLEY_TRUST_PROXY: "1" } });
  client = apiClient(api.url);
  admin = (await client.login(ADMIN.email)).token;
  demoSiteId = await client.siteId(admin);
  otherSiteId = (await client.call("POST", "/v1/admin/sites", { token: admin, body: { name: "Other Tenant" } })).body.id;
});
afterAll(() => api?.stop());

const event = (token: string, body: unknown) => client.call("POST", "/v1/help/events", { token, body });
const vote = (token: string, slug: string, address: string) =>
  client.call("POST", `/v1/faqs/${slug}/vote`, { token, body: { helpful: true }, headers: { "x-forwarded-for": address } });
const today = () => new Date().toISOString().slice(0, 10);
const report = (siteId: string, query = "") => client.call("GET", `/v1/admin/stats/deflection?siteId=${siteId}${query}`, { token: admin });

describe("deflection", () => {
  it("counts searches, views and votes per site and article, and sessions with and without a ticket", async () => {
    // Deflected: searched, read the password article, voted, left.
    const reader = (await client.visitor()).token;
    expect((await event(reader, { kind: "searched" })).status).toBe(200);
    expect((await event(reader, { kind: "opened", slug: "reset-your-password" })).status).toBe(200);
    expect((await vote(reader, "reset-your-password", "203.0.113.10")).status).toBe(200);
    // Not deflected: read the same article, then opened a ticket.
    const asker = (await client.visitor()).token;
    await event(asker, { kind: "searched" });
    await event(asker, { kind: "opened", slug: "reset-your-password" });
    await event(asker, { kind: "opened", slug: "fix-sync-conflicts" });
    await client.ticket(asker);
    // A ticket opened before any help-centre use does not undo a later deflection.
    const early = (await client.visitor()).token;
    await client.ticket(early);
    await event(early, { kind: "opened", slug: "fix-sync-conflicts" });

    const res = await report(demoSiteId);
    expect(res.status).toBe(200);
    expect(res.body.range).toEqual({ from: expect.any(String), to: today() });
    expect(res.body.site).toEqual({ sessions: 3, deflected: 2, withTicket: 1, searches: 2, views: 4, votes: 1 });
    const bySlug = Object.fromEntries(res.body.articles.map((a: { slug: string }) => [a.slug, a]));
    expect(bySlug["reset-your-password"]).toEqual({ slug: "reset-your-password", title: "Reset your password", views: 2, votes: 1, sessions: 2, deflected: 1, withTicket: 1 });
    expect(bySlug["fix-sync-conflicts"]).toMatchObject({ views: 2, votes: 0, sessions: 2, deflected: 1, withTicket: 1 });
    expect(res.body.articles[0].views).toBeGreaterThanOrEqual(res.body.articles.at(-1).views);
  });

  it("keeps sites apart and honours the day range", async () => {
    const other = await report(otherSiteId);
    expect(other.body.site).toEqual({ sessions: 0, deflected: 0, withTicket: 0, searches: 0, views: 0, votes: 0 });
    expect(other.body.articles).toEqual([]);
    const past = await report(demoSiteId, "&from=2020-01-01&to=2020-01-31");
    expect(past.body.site.sessions).toBe(0);
    expect((await report(demoSiteId, "&from=2026-02-01&to=2026-01-01")).status).toBe(400);
    expect((await report("no-such-site")).status).toBe(404);
  });

  it("refuses events without a visitor, for drafts and other sites' articles, and the report to non-admins", async () => {
    expect((await client.call("POST", "/v1/help/events", { body: { kind: "searched" } })).status).toBe(401);
    const visitor = (await client.visitor()).token;
    expect((await event(visitor, { kind: "opened", slug: "no-such-article" })).status).toBe(404);
    expect((await event(visitor, { kind: "opened" })).status).toBe(400);
    expect((await event(visitor, { kind: "teleported" })).status).toBe(400);
    const agent = (await client.login("ada@parley.test")).token;
    expect((await client.call("GET", `/v1/admin/stats/deflection?siteId=${demoSiteId}`, { token: agent })).status).toBe(403);
  });
});
