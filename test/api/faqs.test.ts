import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";
import { startApi, type RunningApi } from "../support/server.js";

let api: RunningApi;
let client: ApiClient;
let admin: { token: string; agentId: string };
let demoSiteId: string;
/** A second site, made once, for cross-site and ranking checks. */
let other: { id: string; key: string };

/** The 12 seeded articles of pk_demo, by slug, with their categories. */
const SEEDED: Record<string, string> = {
  "install-the-desktop-app": "getting-started",
  "choose-folders-to-sync": "getting-started",
  "share-files-and-folders": "getting-started",
  "reset-your-password": "account",
  "set-up-two-factor-authentication": "account",
  "export-data-and-delete-account": "account",
  "upgrade-or-change-your-plan": "billing",
  "invoices-receipts-and-vat": "billing",
  "refunds-and-failed-payments": "billing",
  "fix-sync-conflicts": "technical",
  "restore-deleted-files-and-versions": "technical",
  "proxy-firewall-and-api-access": "technical",
};

beforeAll(async () => {
  // Anonymous votes are one per article per address and day: the vote tests speak from two addresses.
  api = await startApi({ env: { PARLEY_TRUST_PROXY: "1" } });
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
  const sites = await client.call("GET", "/v1/admin/sites?limit=100", { token: admin.token });
  demoSiteId = sites.body.items.find((s: { key: string }) => s.key === "pk_demo").id;
  const created = await client.call("POST", "/v1/admin/sites", { token: admin.token, body: { name: "Other Tenant" } });
  if (created.status !== 201) throw new Error(`site failed: ${created.status} ${JSON.stringify(created.body)}`);
  other = { id: created.body.id, key: created.body.key };
});
afterAll(() => api?.stop());

const slugs = (res: { body: any }) => res.body.items.map((a: { slug: string }) => a.slug);
const faqs = (query = "", site = "pk_demo") => client.call("GET", `/v1/faqs${query}`, { site });
const search = (q: string, site = "pk_demo") => faqs(`?q=${encodeURIComponent(q)}`, site);

async function article(fields: Record<string, unknown>) {
  const res = await client.call("POST", "/v1/admin/faqs", { token: admin.token, body: { siteId: demoSiteId, ...fields } });
  if (res.status !== 201) throw new Error(`article failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string; [key: string]: any };
}

describe("listing published articles", () => {
  it("lists the site's 12 published articles by title with their categories and plain-text excerpts", async () => {
    const res = await faqs("?limit=100");
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items).toHaveLength(12);
    expect(new Set(slugs(res))).toEqual(new Set(Object.keys(SEEDED)));
    for (const item of res.body.items) {
      expect(item.category).toBe(SEEDED[item.slug]);
      expect(item.excerpt.length).toBeGreaterThan(20);
      expect(item.excerpt.length).toBeLessThanOrEqual(161);
      // Markdown markup is stripped from previews.
      expect(item.excerpt).not.toMatch(/\*\*|^#|\n/);
    }
    const titles = res.body.items.map((a: { title: string }) => a.title);
    expect(titles).toEqual([...titles].sort());
    expect(res.body.items.find((a: { slug: string }) => a.slug === "reset-your-password").title).toBe("Reset your password");
  });

  it("filters by category", async () => {
    const billing = await faqs("?category=billing");
    expect(billing.status).toBe(200);
    expect(new Set(slugs(billing))).toEqual(new Set(["upgrade-or-change-your-plan", "invoices-receipts-and-vat", "refunds-and-failed-payments"]));
    expect(billing.body.items.map((a: { category: string }) => a.category)).toEqual(["billing", "billing", "billing"]);
    const none = await faqs("?category=no-such-category");
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
  });

  it("walks all 12 articles with cursors, without repeats or gaps", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await faqs(`?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...slugs(page));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    const all = await faqs("?limit=100");
    expect(seen).toEqual(slugs(all));
  });

  it("refuses a cursor that was not handed out, and a search cursor on a plain listing", async () => {
    const garbage = await faqs("?cursor=not-a-cursor");
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe("validation_failed");
    const searched = await faqs("?q=sync&limit=1");
    expect(typeof searched.body.nextCursor).toBe("string");
    const mixed = await faqs(`?cursor=${encodeURIComponent(searched.body.nextCursor)}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.code).toBe("validation_failed");
  });

  it("needs a known site", async () => {
    const missing = await client.call("GET", "/v1/faqs");
    expect(missing.status).toBe(400);
    const unknown = await faqs("", "pk_doesnotexist");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });
});

describe("full-text search", () => {
  it("finds an article by a word only in its body and highlights it", async () => {
    const res = await search("chargeback");
    expect(res.status).toBe(200);
    expect(slugs(res)).toEqual(["refunds-and-failed-payments"]);
    const [hit] = res.body.items;
    expect(hit.title.toLowerCase()).not.toContain("chargeback");
    expect(hit.category).toBe("billing");
    expect(hit.excerpt).toContain("**chargeback**");
    expect(res.body.nextCursor).toBeNull();
  });

  it("matches prefixes and ranks the title match first", async () => {
    const prefix = await search("firew");
    expect(prefix.status).toBe(200);
    // The proxy article has "firewall" in its title; the install article only in its body.
    expect(slugs(prefix)).toEqual(["proxy-firewall-and-api-access", "install-the-desktop-app"]);
    const whole = await search("Firewall");
    expect(slugs(whole)).toEqual(["proxy-firewall-and-api-access", "install-the-desktop-app"]);
  });

  it("weights a title hit above a few body hits", async () => {
    const write = (slug: string, title: string, body: string) =>
      client.call("POST", "/v1/admin/faqs", { token: admin.token, body: { siteId: other.id, slug, title, body } });
    expect((await write("gizmo-body", "All about widgets", "Our gizmo, your gizmo, every gizmo you could want.")).status).toBe(201);
    expect((await write("gizmo-title", "The gizmo guide", "Nothing else to say here at all today.")).status).toBe(201);
    const res = await search("gizmo", other.key);
    expect(res.status).toBe(200);
    expect(slugs(res)).toEqual(["gizmo-title", "gizmo-body"]);
    // FTS5 weights term frequency: one title hit counts as five body hits, so three body hits rank lower.
    expect(res.body.items[1].excerpt).toBe("Our **gizmo**, your **gizmo**, every **gizmo** you could want.");
  });

  it("combines search with a category filter", async () => {
    const res = await faqs("?q=firewall&category=getting-started");
    expect(res.status).toBe(200);
    expect(slugs(res)).toEqual(["install-the-desktop-app"]);
  });

  it("pages through search results without repeats", async () => {
    const all = await faqs("?q=sync&limit=100");
    expect(all.body.items.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await faqs(`?q=sync&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...slugs(page));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(slugs(all));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("answers hostile queries with 200, never 500", async () => {
    const long = `("chargeback" OR x*) NEAR( `.repeat(20).slice(0, 200);
    expect(long).toHaveLength(200);
    for (const q of [`"`, "AND (", "*", "NEAR(", "a:b ^c -d", long, "é'\u0000", ")))((("]) {
      const res = await search(q);
      expect(res.status, `q=${JSON.stringify(q)}`).toBe(200);
      expect(Array.isArray(res.body.items), `q=${JSON.stringify(q)}`).toBe(true);
    }
    // Nothing searchable is left of pure punctuation.
    for (const q of [`"`, "*", ")))((("]) expect((await search(q)).body.items).toEqual([]);
    // Operators are plain words: the quote and parenthesis do not break the query.
    expect(slugs(await search(`chargeback" AND (`))).toEqual(["refunds-and-failed-payments"]);
    const tooLong = await search("a".repeat(201));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe("validation_failed");
  });
});

describe("reading and voting", () => {
  it("returns one article and counts each read as a view", async () => {
    const first = await client.call("GET", "/v1/faqs/reset-your-password", { site: "pk_demo" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ slug: "reset-your-password", title: "Reset your password", category: "account", published: true });
    expect(first.body.body).toContain("Forgot password?");
    const second = await client.call("GET", "/v1/faqs/reset-your-password", { site: "pk_demo" });
    expect(second.body.viewCount).toBe(first.body.viewCount + 1);
    const third = await client.call("GET", "/v1/faqs/reset-your-password", { site: "pk_demo" });
    expect(third.body.viewCount).toBe(first.body.viewCount + 2);
    const stored = await client.call("GET", `/v1/admin/faqs/${first.body.id}`, { token: admin.token });
    expect(stored.body.viewCount).toBe(third.body.viewCount);
  });

  it("answers 404 for an unknown slug", async () => {
    const res = await client.call("GET", "/v1/faqs/no-such-article", { site: "pk_demo" });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("keeps one vote per visitor: repeating is a no-op, changing moves it", async () => {
    const [one, two] = [await client.visitor(), await client.visitor()];
    const addressOf = new Map([[two.token, "198.51.100.2"]]);
    const vote = (token: string, helpful: boolean, slug = "share-files-and-folders") =>
      client.call("POST", `/v1/faqs/${slug}/vote`, { token, site: "pk_demo", body: { helpful }, headers: { "x-forwarded-for": addressOf.get(token) ?? "198.51.100.1" } });

    const first = await vote(one.token, true);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ helpfulCount: 1, notHelpfulCount: 0 });
    expect((await vote(one.token, true)).body).toEqual({ helpfulCount: 1, notHelpfulCount: 0 });
    expect((await vote(one.token, false)).body).toEqual({ helpfulCount: 0, notHelpfulCount: 1 });
    expect((await vote(one.token, false)).body).toEqual({ helpfulCount: 0, notHelpfulCount: 1 });
    expect((await vote(two.token, true)).body).toEqual({ helpfulCount: 1, notHelpfulCount: 1 });
    expect((await vote(one.token, true)).body).toEqual({ helpfulCount: 2, notHelpfulCount: 0 });

    const read = await client.call("GET", "/v1/faqs/share-files-and-folders", { site: "pk_demo" });
    expect(read.body).toMatchObject({ helpfulCount: 2, notHelpfulCount: 0 });

    const unknown = await vote(one.token, true, "no-such-article");
    expect(unknown.status).toBe(404);
    const anonymous = await client.call("POST", "/v1/faqs/share-files-and-folders/vote", { site: "pk_demo", body: { helpful: true } });
    expect(anonymous.status).toBe(401);
    const unchanged = await client.call("GET", "/v1/faqs/share-files-and-folders", { site: "pk_demo" });
    expect(unchanged.body).toMatchObject({ helpfulCount: 2, notHelpfulCount: 0 });
  });
});

describe("what visitors cannot see", () => {
  it("hides unpublished articles from reads, lists, searches and votes until published", async () => {
    const draft = await article({ slug: "quokka-draft", title: "Quokka handling guide", body: "Everything about the quokka.", category: "account", published: false });
    expect(draft.published).toBe(false);

    const read = await client.call("GET", "/v1/faqs/quokka-draft", { site: "pk_demo" });
    expect(read.status).toBe(404);
    expect(slugs(await search("quokka"))).toEqual([]);
    expect(slugs(await faqs("?limit=100"))).not.toContain("quokka-draft");
    expect(slugs(await faqs("?category=account&limit=100"))).toHaveLength(3);
    const visitor = await client.visitor();
    const vote = await client.call("POST", "/v1/faqs/quokka-draft/vote", { token: visitor.token, site: "pk_demo", body: { helpful: true } });
    expect(vote.status).toBe(404);

    // The same article once published is visible everywhere, so the checks above can fail.
    const published = await client.call("PATCH", `/v1/admin/faqs/${draft.id}`, { token: admin.token, body: { published: true } });
    expect(published.body.published).toBe(true);
    expect((await client.call("GET", "/v1/faqs/quokka-draft", { site: "pk_demo" })).status).toBe(200);
    expect(slugs(await search("quokka"))).toEqual(["quokka-draft"]);
    const voted = await client.call("POST", "/v1/faqs/quokka-draft/vote", { token: visitor.token, site: "pk_demo", body: { helpful: true } });
    expect(voted.body).toEqual({ helpfulCount: 1, notHelpfulCount: 0 });

    // Unpublishing hides it again; deleting removes it for good.
    await client.call("PATCH", `/v1/admin/faqs/${draft.id}`, { token: admin.token, body: { published: false } });
    expect(slugs(await search("quokka"))).toEqual([]);
    expect((await client.call("DELETE", `/v1/admin/faqs/${draft.id}`, { token: admin.token })).status).toBe(200);
    expect((await client.call("GET", "/v1/faqs/quokka-draft", { site: "pk_demo" })).status).toBe(404);
    expect((await faqs("?limit=100")).body.items).toHaveLength(12);
    // Its votes go with it.
    const db = createClient({ url: `file:${api.dbFile}` });
    const { rows } = await db.execute({ sql: "select count(*) as n from faq_votes where faq_id = ?", args: [draft.id] });
    db.close();
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("keeps another site's articles out of this site's lists, searches and reads", async () => {
    const write = (slug: string, title: string, body: string) =>
      client.call("POST", "/v1/admin/faqs", { token: admin.token, body: { siteId: other.id, slug, title, body } });
    expect((await write("marzipan-recipes", "Marzipan recipes", "How to make marzipan at home.")).status).toBe(201);
    // Slugs are unique per site, so the other site may reuse one of pk_demo's.
    expect((await write("reset-your-password", "Other tenant password help", "Ask the other tenant's marzipan desk.")).status).toBe(201);

    expect((await client.call("GET", "/v1/faqs/marzipan-recipes", { site: "pk_demo" })).status).toBe(404);
    expect(slugs(await search("marzipan"))).toEqual([]);
    expect(slugs(await faqs("?limit=100"))).not.toContain("marzipan-recipes");
    const demoRead = await client.call("GET", "/v1/faqs/reset-your-password", { site: "pk_demo" });
    expect(demoRead.body.title).toBe("Reset your password");

    // The other site does see its own.
    const otherRead = await client.call("GET", "/v1/faqs/marzipan-recipes", { site: other.key });
    expect(otherRead.status).toBe(200);
    expect(otherRead.body.title).toBe("Marzipan recipes");
    expect(new Set(slugs(await search("marzipan", other.key)))).toEqual(new Set(["marzipan-recipes", "reset-your-password"]));
    const otherPassword = await client.call("GET", "/v1/faqs/reset-your-password", { site: other.key });
    expect(otherPassword.body.title).toBe("Other tenant password help");
    expect(slugs(await faqs("?limit=100", other.key))).not.toContain("refunds-and-failed-payments");

    // A pk_demo visitor cannot vote on it, nor use their token against the other site.
    const visitor = await client.visitor();
    const vote = await client.call("POST", "/v1/faqs/marzipan-recipes/vote", { token: visitor.token, site: "pk_demo", body: { helpful: true } });
    expect(vote.status).toBe(404);
    const crossed = await client.call("POST", "/v1/faqs/marzipan-recipes/vote", { token: visitor.token, site: other.key, body: { helpful: true } });
    expect(crossed.status).toBe(403);
  });
});
