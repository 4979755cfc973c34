import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";

/** Articles' tags, draft/published status with its time, position within a category, and related articles. */
let api: RunningApi;
let client: ApiClient;
let token: string;
let demoSiteId: string;
let otherSiteId: string;

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  token = (await client.login(ADMIN.email)).token;
  demoSiteId = await client.siteId(token);
  const other = await client.call("POST", "/v1/admin/sites", { token, body: { name: "Other Tenant" } });
  otherSiteId = other.body.id;
});
afterAll(() => api?.stop());

const admin = (method: string, path: string, body?: unknown) => client.call(method, path, { token, body });
const visitorList = (query: string) => client.call("GET", `/v1/faqs${query}`, { site: "pk_demo" });
const slugs = (res: { body: any }) => res.body.items.map((item: { slug: string }) => item.slug);

async function article(fields: Record<string, unknown>) {
  const res = await admin("POST", "/v1/admin/faqs", { siteId: demoSiteId, body: "Some words about parcels.", ...fields });
  if (res.status !== 201) throw new Error(`article failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string; [key: string]: any };
}

describe("seeded articles", () => {
  it("carry tags, positions and related articles", async () => {
    const res = await client.call("GET", "/v1/faqs/fix-sync-conflicts", { site: "pk_demo" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "published", tags: ["sync", "conflicts", "errors"], position: 1 });
    expect(res.body.related.map((r: { slug: string }) => r.slug)).toEqual(["choose-folders-to-sync", "restore-deleted-files-and-versions"]);
    expect(Date.parse(res.body.publishedAt)).toBeGreaterThan(0);
  });

  it("list a category in position order, with cursors that keep it", async () => {
    const all = await visitorList("?category=billing");
    expect(slugs(all)).toEqual(["upgrade-or-change-your-plan", "invoices-receipts-and-vat", "refunds-and-failed-payments"]);
    const first = await visitorList("?category=billing&limit=2");
    expect(slugs(first)).toEqual(["upgrade-or-change-your-plan", "invoices-receipts-and-vat"]);
    const second = await visitorList(`?category=billing&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(slugs(second)).toEqual(["refunds-and-failed-payments"]);
    expect(second.body.nextCursor).toBeNull();
    // A title cursor of the unfiltered listing is not one this listing handed out.
    const titles = await visitorList("?limit=2");
    const mixed = await visitorList(`?category=billing&cursor=${encodeURIComponent(titles.body.nextCursor)}`);
    expect(mixed.status).toBe(400);
  });

  it("filter by tag, in listings and in search", async () => {
    expect(new Set(slugs(await visitorList("?tag=sync")))).toEqual(new Set(["choose-folders-to-sync", "fix-sync-conflicts"]));
    const secure = await visitorList("?tag=security&q=password");
    expect(slugs(secure)).toContain("reset-your-password");
    for (const item of secure.body.items) expect(item.tags).toContain("security");
    const search = await visitorList("?tag=sync&q=conflict");
    expect(slugs(search)[0]).toBe("fix-sync-conflicts");
    for (const item of search.body.items) expect(item.tags).toContain("sync");
    expect((await visitorList("?tag=Not%20A%20Tag")).status).toBe(400);
  });
});

describe("drafts", () => {
  it("are invisible to visitors everywhere until published, and publishing stamps published_at", async () => {
    const draft = await article({ slug: "parcel-draft", title: "Parcel tracking draft", status: "draft", tags: ["Parcels", "shipping", "parcels"] });
    expect(draft).toMatchObject({ status: "draft", published: false, publishedAt: null, tags: ["parcels", "shipping"], position: 0, related: [] });
    expect((await client.call("GET", "/v1/faqs/parcel-draft", { site: "pk_demo" })).status).toBe(404);
    expect(slugs(await visitorList("?q=parcel"))).not.toContain("parcel-draft");
    expect(slugs(await visitorList("?tag=parcels"))).not.toContain("parcel-draft");
    expect(slugs(await visitorList("?limit=100"))).not.toContain("parcel-draft");

    const published = await admin("PATCH", `/v1/admin/faqs/${draft.id}`, { status: "published" });
    expect(published.status).toBe(200);
    expect(published.body.status).toBe("published");
    const stamp = Date.parse(published.body.publishedAt);
    expect(stamp).toBeGreaterThan(0);
    expect(slugs(await visitorList("?q=parcel"))).toContain("parcel-draft");
    // Editing a published article keeps its publication time.
    const edited = await admin("PATCH", `/v1/admin/faqs/${draft.id}`, { title: "Parcel tracking", published: true });
    expect(Date.parse(edited.body.publishedAt)).toBe(stamp);
    const conflicting = await admin("PATCH", `/v1/admin/faqs/${draft.id}`, { published: true, status: "draft" });
    expect(conflicting.status).toBe(400);
    expect(conflicting.body.error.code).toBe("validation_failed");
  });
});

describe("related articles", () => {
  it("link articles of the same site in order, show visitors only published ones, and follow deletes", async () => {
    const target = await article({ slug: "related-target", title: "Related target", status: "draft" });
    const source = await article({ slug: "related-source", title: "Related source", related: ["related-target", "reset-your-password"] });
    expect(source.related.map((r: { slug: string }) => r.slug)).toEqual(["related-target", "reset-your-password"]);
    const seen = await client.call("GET", "/v1/faqs/related-source", { site: "pk_demo" });
    expect(seen.body.related).toEqual([{ slug: "reset-your-password", title: "Reset your password" }]);

    const reordered = await admin("PATCH", `/v1/admin/faqs/${source.id}`, { related: ["reset-your-password", "related-target"] });
    expect(reordered.body.related.map((r: { slug: string }) => r.slug)).toEqual(["reset-your-password", "related-target"]);
    expect((await admin("PATCH", `/v1/admin/faqs/${source.id}`, { related: ["related-source"] })).status).toBe(400);
    expect((await admin("PATCH", `/v1/admin/faqs/${source.id}`, { related: ["no-such-article"] })).status).toBe(400);

    // Another site's article is not a slug this site knows.
    const foreign = await admin("POST", "/v1/admin/faqs", { siteId: otherSiteId, slug: "foreign-article", title: "Foreign article", body: "x" });
    expect(foreign.status).toBe(201);
    const across = await admin("PATCH", `/v1/admin/faqs/${source.id}`, { related: ["foreign-article"] });
    expect(across.status).toBe(400);

    await admin("DELETE", `/v1/admin/faqs/${target.id}`);
    const after = await admin("GET", `/v1/admin/faqs/${source.id}`);
    expect(after.body.related.map((r: { slug: string }) => r.slug)).toEqual(["reset-your-password"]);
  });

  it("validates tags and positions", async () => {
    const bad = await admin("POST", "/v1/admin/faqs", { siteId: demoSiteId, slug: "bad-tags", title: "Bad tags", body: "x", tags: ["<b>"] });
    expect(bad.status).toBe(400);
    const badPosition = await admin("POST", "/v1/admin/faqs", { siteId: demoSiteId, slug: "bad-pos", title: "Bad pos", body: "x", position: -1 });
    expect(badPosition.status).toBe(400);
  });
});
