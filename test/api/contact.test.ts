import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";
import { startApi, type RunningApi } from "../support/server.js";

let api: RunningApi;
let client: ApiClient;
let admin: { token: string; agentId: string };

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
});
afterAll(() => api?.stop());

// The limiter keys on address + X-Parley-Site, so each test that submits several forms uses a site of its own.
async function newSite(name: string, allowedOrigins: string[] = []) {
  const res = await client.call("POST", "/v1/admin/sites", { token: admin.token, body: { name, allowedOrigins } });
  if (res.status !== 201) throw new Error(`site failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string };
}

const form = (fields: Record<string, unknown> = {}) => ({
  name: "Grace Customer",
  email: "grace.customer@example.com",
  subject: "Question about my invoice",
  message: "Hello, I was charged twice this month.",
  ...fields,
});
const contact = (site: string | undefined, body: unknown, headers?: Record<string, string>) =>
  client.call("POST", "/v1/contact", { ...(site ? { site } : {}), body, ...(headers ? { headers } : {}) });
const queue = (q: string) => client.call("GET", `/v1/agent/tickets?q=${encodeURIComponent(q)}&limit=100`, { token: admin.token });

describe("the contact form", () => {
  it("turns a submission into a ticket that agents see with source contact and the customer's email", async () => {
    const before = Date.now();
    const res = await contact("pk_demo", form({ subject: "Invoice question walrus", name: "Walter Walrus", email: "walter@example.com" }));
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(/^TKT-\d{4}-\d{6,}$/);
    expect(Object.keys(res.body).sort()).toEqual(["number", "receivedAt"]);
    expect(Date.parse(res.body.receivedAt)).toBeGreaterThanOrEqual(before - 1000);

    const found = await queue("walrus");
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    const [ticket] = found.body.items;
    expect(ticket).toMatchObject({
      number: res.body.number,
      subject: "Invoice question walrus",
      description: "Hello, I was charged twice this month.",
      source: "contact",
      status: "open",
      assigneeId: null,
      customer: { visitorId: null, name: "Walter Walrus", email: "walter@example.com", verified: false },
    });
    const byEmail = await queue("walter@example.com");
    expect(byEmail.body.items.map((t: { number: string }) => t.number)).toEqual([res.body.number]);
  });

  it("accepts the site in the body instead of the header, and refuses disagreeing or missing sites", async () => {
    const inBody = await contact(undefined, form({ siteKey: "pk_demo", subject: "Body site narwhal" }));
    expect(inBody.status).toBe(201);
    const found = await queue("narwhal");
    expect(found.body.items.map((t: { number: string; source: string }) => [t.number, t.source])).toEqual([[inBody.body.number, "contact"]]);

    const other = await newSite("Contact Mismatch Site");
    const disagree = await contact("pk_demo", form({ siteKey: other.key, subject: "Mismatch okapi" }));
    expect(disagree.status).toBe(400);
    expect(disagree.body.error.code).toBe("bad_request");
    const nowhere = await contact(undefined, form({ subject: "Nowhere okapi" }));
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.code).toBe("bad_request");
    expect((await queue("okapi")).body.items).toEqual([]);
  });

  it("refuses a filled honeypot with 400 and creates nothing", async () => {
    const site = await newSite("Honeypot Site");
    const res = await contact(site.key, form({ subject: "Honeypot pangolin", website: "https://spam.example" }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(["website"]);
    expect((await queue("pangolin")).body.items).toEqual([]);
    // An empty honeypot is what people send.
    const human = await contact(site.key, form({ subject: "Honeypot pangolin human", website: "" }));
    expect(human.status).toBe(201);
    expect((await queue("pangolin")).body.items.map((t: { number: string }) => t.number)).toEqual([human.body.number]);
  });

  it("refuses an invalid email with the shared validation error shape", async () => {
    const site = await newSite("Validation Site");
    const res = await contact(site.key, form({ email: "not-an-email", subject: "Bad email axolotl" }));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(Object.keys(res.body)).toEqual(["error"]);
    expect(res.body.error).toEqual({
      code: "validation_failed",
      message: expect.stringContaining("email"),
      details: [{ path: "email", message: expect.any(String) }],
    });
    const missing = await contact(site.key, { name: "x", email: "a@example.com" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["message", "subject"]);
    expect((await queue("axolotl")).body.items).toEqual([]);
  });

  it("allows 5 submissions per address and site in 10 minutes; the 6th gets 429 with Retry-After", async () => {
    const limited = await newSite("Rate Limited Site");
    const numbers: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await contact(limited.key, form({ subject: `Flood capybara ${i}` }));
      expect(res.status, `submission ${i}`).toBe(201);
      expect(res.headers.get("ratelimit-remaining")).toBe(String(5 - i));
      numbers.push(res.body.number);
    }
    const sixth = await contact(limited.key, form({ subject: "Flood capybara 6" }));
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe("rate_limited");
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect((await contact(limited.key, form({ subject: "Flood capybara 7" }))).status).toBe(429);

    const stored = await queue("capybara");
    expect(stored.body.items.map((t: { number: string }) => t.number).sort()).toEqual([...numbers].sort());

    // Another site's bucket is untouched.
    const fresh = await newSite("Fresh Bucket Site");
    expect((await contact(fresh.key, form({ subject: "Fresh bucket ibis" }))).status).toBe(201);
  });

  it("answers 404 for an unknown site key", async () => {
    const res = await contact("pk_unknownsitekey", form({ subject: "Unknown site tapir" }));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "unknown site key" } });
    expect((await queue("tapir")).body.items).toEqual([]);
  });

  it("holds browser submissions to the site's allowed origins", async () => {
    const site = await newSite("Origin Site", ["https://shop.example"]);
    const evil = await contact(site.key, form({ subject: "Origin check quetzal" }), { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe("forbidden");
    const ok = await contact(site.key, form({ subject: "Origin check quetzal ok" }), { origin: "https://shop.example" });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const found = await queue("quetzal");
    expect(found.body.items.map((t: { subject: string; siteId: string }) => [t.subject, t.siteId])).toEqual([["Origin check quetzal ok", site.id]]);
  });
});
