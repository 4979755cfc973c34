import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type RunningApi } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";

/** Search while typing (last word a prefix), misspelt words corrected when nothing matched, match ranges. */
let api: RunningApi;
let client: ApiClient;

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
});
afterAll(() => api?.stop());

const search = (q: string, extra = "") => client.call("GET", `/v1/faqs?q=${encodeURIComponent(q)}${extra}`, { site: "pk_demo" });
const slugs = (res: { body: any }) => res.body.items.map((item: { slug: string }) => item.slug);

describe("search while typing", () => {
  it("matches the last word as a prefix and the earlier ones as words", async () => {
    expect(slugs(await search("reset your passw"))[0]).toBe("reset-your-password");
    // "passw" is a whole earlier word here, not a prefix: no article has the word "passw".
    expect(slugs(await search("passw reset"))).toEqual([]);
  });
});

describe("typo tolerance", () => {
  it.each([
    ["pasword", "reset-your-password"],
    ["reset passwrod", "reset-your-password"],
    ["refnud", "refunds-and-failed-payments"],
    ["invoce", "invoices-receipts-and-vat"],
  ])("finds %s", async (q, slug) => {
    const res = await search(q);
    expect(res.status).toBe(200);
    expect(slugs(res)).toContain(slug);
    expect(res.body.items[0].correctedQuery).toEqual(expect.any(String));
    expect(res.body.items[0].correctedQuery).not.toBe(q);
  });

  it("does not correct a query that found something, nor words under four letters", async () => {
    const exact = await search("password");
    expect(exact.body.items[0].correctedQuery).toBeUndefined();
    expect((await search("vta")).body.items).toEqual([]);
    expect((await search("zzqxj")).body.items).toEqual([]);
  });
});

describe("typo tolerance follows article writes", () => {
  it("corrects towards a word only a new article holds as soon as it is saved, and no longer once it is deleted", async () => {
    const { ADMIN } = await import("../support/server.js");
    const admin = await client.login(ADMIN.email);
    const siteId = await client.siteId(admin.token);
    // Warm the vocabulary first, so a stale copy would show.
    expect((await search("quokkas")).body.items).toEqual([]);
    const created = await client.call("POST", "/v1/admin/faqs", {
      token: admin.token,
      body: { siteId, slug: "quokka-mode", title: "Quokka mode", body: "Quokka mode shows every chart with a smile." },
    });
    expect(created.status).toBe(201);
    const found = await search("qokka");
    expect(slugs(found)).toEqual(["quokka-mode"]);
    expect(found.body.items[0].correctedQuery).toBe("quokka");
    expect((await client.call("DELETE", `/v1/admin/faqs/${created.body.id}`, { token: admin.token })).status).toBe(200);
    expect((await search("qokka")).body.items).toEqual([]);
  });
});

describe("snippets", () => {
  it("give the excerpt's plain text with the ranges that matched, which agree with the ** marks", async () => {
    const res = await search("chargeback");
    const [hit] = res.body.items;
    expect(hit.excerpt).toContain("**chargeback**");
    const { text, matches } = hit.snippet;
    expect(text).not.toContain("**");
    expect(matches.length).toBeGreaterThan(0);
    for (const [start, end] of matches) expect(text.slice(start, end).toLowerCase()).toMatch(/^chargeback/);
    expect(text).toBe(hit.excerpt.replaceAll("**", ""));
  });
});
