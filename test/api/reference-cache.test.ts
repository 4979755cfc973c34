import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";

/**
 * Site and category rows are cached in the server's memory (server/db/reference-cache.ts).
 * Each test first makes visitor requests that fill the cache, then changes the row as an
 * admin, and expects the very next visitor request to see the change.
 */
let api: RunningApi;
let client: ApiClient;
let adminToken: string;
let demoSiteId: string;

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  adminToken = (await client.login(ADMIN.email)).token;
  const sites = await client.call("GET", "/v1/admin/sites?limit=100", { token: adminToken });
  demoSiteId = sites.body.items.find((site: { key: string }) => site.key === "pk_demo").id;
});
afterAll(() => api?.stop());

const admin = (method: string, path: string, body?: unknown) => client.call(method, path, { token: adminToken, body });
const widgetConfig = (headers: Record<string, string> = {}) => client.call("GET", "/v1/widget/config", { site: "pk_demo", headers });

describe("cached site and category rows", () => {
  it("a site's new name and origins apply from the next visitor request", async () => {
    const origin = "https://cache-test.example";
    expect((await widgetConfig()).body.site.name).not.toBe("Renamed Demo");
    expect((await widgetConfig({ origin })).status).toBe(403);

    const before = (await admin("GET", `/v1/admin/sites/${demoSiteId}`)).body;
    const patched = await admin("PATCH", `/v1/admin/sites/${demoSiteId}`, { name: "Renamed Demo", allowedOrigins: [...before.allowedOrigins, origin] });
    expect(patched.status).toBe(200);
    const after = await widgetConfig({ origin });
    expect(after.status).toBe(200);
    expect(after.body.site.name).toBe("Renamed Demo");

    // And back: the origin is refused again at once, on the session route too (site by key).
    expect((await admin("PATCH", `/v1/admin/sites/${demoSiteId}`, { name: before.name, allowedOrigins: before.allowedOrigins })).status).toBe(200);
    expect((await widgetConfig({ origin })).status).toBe(403);
    expect((await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo" }, headers: { origin } })).status).toBe(403);
    expect((await widgetConfig()).body.site.name).toBe(before.name);
  });

  it("a site that starts requiring verified identity refuses anonymous sessions at once", async () => {
    expect((await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo" } })).status).toBe(201);
    expect((await admin("PATCH", `/v1/admin/sites/${demoSiteId}`, { requireVerifiedIdentity: true })).status).toBe(200);
    try {
      expect((await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo" } })).status).toBe(401);
      expect((await widgetConfig()).body.requireVerifiedIdentity).toBe(true);
    } finally {
      expect((await admin("PATCH", `/v1/admin/sites/${demoSiteId}`, { requireVerifiedIdentity: false })).status).toBe(200);
    }
    expect((await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo" } })).status).toBe(201);
  });

  it("categories created, renamed and deleted show on the next widget config and ticket read", async () => {
    const { token } = await client.visitor();
    expect((await widgetConfig()).body.categories.map((c: { slug: string }) => c.slug)).not.toContain("cache-check");

    const created = await admin("POST", "/v1/admin/categories", { slug: "cache-check", name: "Cache check" });
    expect(created.status).toBe(201);
    expect((await widgetConfig()).body.categories).toContainEqual({ slug: "cache-check", name: "Cache check" });
    const ticket = await client.ticket(token, { category: "cache-check" });
    expect(ticket.category).toBe("cache-check");

    expect((await admin("PATCH", `/v1/admin/categories/${created.body.id}`, { name: "Cache checked" })).status).toBe(200);
    expect((await widgetConfig()).body.categories).toContainEqual({ slug: "cache-check", name: "Cache checked" });

    expect((await client.call("GET", `/v1/tickets/${ticket.number}`, { token })).body.category).toBe("cache-check");
    expect((await admin("DELETE", `/v1/admin/categories/${created.body.id}`)).status).toBe(200);
    expect((await client.call("GET", `/v1/tickets/${ticket.number}`, { token })).body.category).toBeNull();
    expect((await widgetConfig()).body.categories.map((c: { slug: string }) => c.slug)).not.toContain("cache-check");
  });
});
