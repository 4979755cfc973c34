import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";
import { startApi, type RunningApi } from "../support/server.js";

let api: RunningApi;
let client: ApiClient;
let admin: { token: string; agentId: string };
let departments: Record<string, string>;
let demoSiteId: string;

// POST /v1/auth/login allows 10 a minute per address: this file logs in 6 times in all.
beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
  const list = await client.call("GET", "/v1/admin/departments?limit=100", { token: admin.token });
  departments = Object.fromEntries(list.body.items.map((d: { name: string; id: string }) => [d.name, d.id]));
  const sites = await client.call("GET", "/v1/admin/sites?limit=100", { token: admin.token });
  demoSiteId = sites.body.items.find((s: { key: string }) => s.key === "pk_demo").id;
});
afterAll(() => api?.stop());

const as = (token: string) => client.as(token);
const adm = () => as(admin.token);
const tryLogin = (email: string, password: string) => client.call("POST", "/v1/auth/login", { body: { email, password } });

/** An agent of the demo site unless `siteIds` says otherwise. */
async function createAgent(fields: Record<string, unknown>) {
  const res = await adm().post("/v1/admin/agents", { password: "a-long-password-1", name: "Test Agent", siteIds: [demoSiteId], ...fields });
  if (res.status !== 201) throw new Error(`agent failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; email: string; [key: string]: any };
}

describe("admin access", () => {
  it("refuses non-admin agents with 403 and anonymous callers with 401", async () => {
    const ada = await client.login("ada@parley.test");
    const res = await as(ada.token).get("/v1/admin/agents");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect((await client.call("GET", "/v1/admin/sites")).status).toBe(401);
  });
});

describe("agents", () => {
  it("creates an agent who can log in with the new password; a duplicate email is 409", async () => {
    const created = await adm().post("/v1/admin/agents", {
      email: "Nina.New@Parley.test",
      name: "Nina New",
      password: "nina-password-123",
      departmentId: departments.Billing,
      tier: 2,
      capacity: 3,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: "nina.new@parley.test",
      name: "Nina New",
      role: "agent",
      departmentId: departments.Billing,
      tier: 2,
      capacity: 3,
      active: true,
    });
    expect(JSON.stringify(created.body)).not.toMatch(/password/i);

    const login = await tryLogin("nina.new@parley.test", "nina-password-123");
    expect(login.status).toBe(200);
    expect(login.body.agent.id).toBe(created.body.id);

    const duplicate = await adm().post("/v1/admin/agents", { email: "NINA.NEW@parley.test", name: "Nina Again", password: "another-password-1" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("conflict");
    const seeded = await adm().post("/v1/admin/agents", { email: "ada@parley.test", name: "Ada Again", password: "another-password-1" });
    expect(seeded.status).toBe(409);

    const short = await adm().post("/v1/admin/agents", { email: "short@parley.test", name: "Short", password: "short" });
    expect(short.status).toBe(400);
    expect(short.body.error.details.map((d: { path: string }) => d.path)).toEqual(["password"]);
    const badDepartment = await adm().post("/v1/admin/agents", { email: "nodept@parley.test", name: "No Dept", password: "long-enough-pw", departmentId: "nope" });
    expect(badDepartment.status).toBe(400);
  });

  it("changes role and tier with PATCH, leaving other fields alone", async () => {
    const agent = await createAgent({ email: "pat@parley.test", name: "Pat Patch", tier: 1, capacity: 7 });
    const tier = await adm().patch(`/v1/admin/agents/${agent.id}`, { tier: 3 });
    expect(tier.status).toBe(200);
    expect(tier.body).toMatchObject({ tier: 3, role: "agent", capacity: 7, name: "Pat Patch", active: true });
    const role = await adm().patch(`/v1/admin/agents/${agent.id}`, { role: "admin" });
    expect(role.body).toMatchObject({ tier: 3, role: "admin", capacity: 7 });
    const stored = await adm().get(`/v1/admin/agents/${agent.id}`);
    expect(stored.body).toMatchObject({ id: agent.id, tier: 3, role: "admin", capacity: 7 });
    const unchanged = await adm().patch(`/v1/admin/agents/${agent.id}`, {});
    expect(unchanged.status).toBe(200);
    expect(unchanged.body).toMatchObject({ tier: 3, role: "admin", capacity: 7 });
    const badTier = await adm().patch(`/v1/admin/agents/${agent.id}`, { tier: 4 });
    expect(badTier.status).toBe(400);
    expect((await adm().get("/v1/admin/agents/no-such-agent")).status).toBe(404);
  });

  it("takes admin access away as soon as the role is demoted, token or not", async () => {
    const boss = await createAgent({ email: "boss@parley.test", name: "Boss Two", role: "admin", password: "boss-password-123" });
    const session = await client.login("boss@parley.test", "boss-password-123");
    expect((await as(session.token).get("/v1/admin/agents")).status).toBe(200);
    expect((await adm().patch(`/v1/admin/agents/${boss.id}`, { role: "agent" })).body.role).toBe("agent");
    expect((await as(session.token).get("/v1/admin/agents")).status).toBe(403);
    expect((await as(session.token).get("/v1/agent/me")).status).toBe(200);
  });

  it("refuses an admin demoting or deactivating themselves with 409", async () => {
    const demote = await adm().patch(`/v1/admin/agents/${admin.agentId}`, { role: "agent" });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe("conflict");
    const deactivate = await adm().patch(`/v1/admin/agents/${admin.agentId}`, { active: false });
    expect(deactivate.status).toBe(409);
    const remove = await adm().delete(`/v1/admin/agents/${admin.agentId}`);
    expect(remove.status).toBe(409);
    const me = await adm().get(`/v1/admin/agents/${admin.agentId}`);
    expect(me.body).toMatchObject({ role: "admin", active: true });
    // The admin can still change their own profile.
    const renamed = await adm().patch(`/v1/admin/agents/${admin.agentId}`, { name: "Head Admin" });
    expect(renamed.body).toMatchObject({ name: "Head Admin", role: "admin" });
  });

  it("deactivates with DELETE: login fails, the old token is refused and open tickets return to the queue", async () => {
    const otto = await createAgent({ email: "otto@parley.test", name: "Otto Leaving", password: "otto-password-123", tier: 1 });
    const session = await client.login("otto@parley.test", "otto-password-123");
    expect((await as(session.token).get("/v1/agent/me")).status).toBe(200);

    const visitor = await client.visitor();
    const open = await client.ticket(visitor.token, { subject: "Otto open ticket" });
    const done = await client.ticket(visitor.token, { subject: "Otto resolved ticket" });
    for (const number of [open.number, done.number]) {
      const assigned = await adm().post(`/v1/agent/tickets/${number}/assign`, { agentId: otto.id });
      expect(assigned.body.assigneeId).toBe(otto.id);
    }
    expect((await adm().post(`/v1/agent/tickets/${done.number}/resolve`)).status).toBe(200);

    const removed = await adm().delete(`/v1/admin/agents/${otto.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ ok: true });

    const stored = await adm().get(`/v1/admin/agents/${otto.id}`);
    expect(stored.body).toMatchObject({ active: false, status: "away", email: "otto@parley.test" });
    const login = await tryLogin("otto@parley.test", "otto-password-123");
    expect(login.status).toBe(401);
    expect(login.body.error.code).toBe("unauthorized");
    const old = await as(session.token).get("/v1/agent/me");
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe("unauthorized");

    expect((await adm().get(`/v1/agent/tickets/${open.number}`)).body.assigneeId).toBeNull();
    expect((await adm().get(`/v1/agent/tickets/${done.number}`)).body.assigneeId).toBe(otto.id);
    const history = await adm().get(`/v1/agent/tickets/${open.number}/history`);
    const release = history.body.items.filter((e: { type: string }) => e.type === "assigned").at(-1);
    expect(release).toMatchObject({ actorId: admin.agentId, data: { from: otto.id, to: null, reason: "agent deactivated" } });

    // Nobody can hand them new work, and deleting again changes nothing.
    const reassign = await adm().post(`/v1/agent/tickets/${open.number}/assign`, { agentId: otto.id });
    expect(reassign.status).toBe(400);
    expect((await adm().delete(`/v1/admin/agents/${otto.id}`)).status).toBe(200);
    expect((await adm().delete("/v1/admin/agents/no-such-agent")).status).toBe(404);
  });
});

describe("departments", () => {
  it("creates and renames departments; duplicate names are 409 regardless of case", async () => {
    const created = await adm().post("/v1/admin/departments", { name: "Escalations Desk", description: "Hard cases" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Escalations Desk", description: "Hard cases" });
    const duplicate = await adm().post("/v1/admin/departments", { name: "escalations desk" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("conflict");
    expect((await adm().post("/v1/admin/departments", { name: "Support" })).status).toBe(409);

    const clash = await adm().patch(`/v1/admin/departments/${created.body.id}`, { name: "BILLING" });
    expect(clash.status).toBe(409);
    const renamed = await adm().patch(`/v1/admin/departments/${created.body.id}`, { name: "Escalations" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: created.body.id, name: "Escalations", description: "Hard cases" });
    // Re-saving its own name is not a clash with itself.
    expect((await adm().patch(`/v1/admin/departments/${created.body.id}`, { name: "Escalations" })).status).toBe(200);

    const list = await adm().get("/v1/admin/departments?limit=100");
    expect(list.body.items.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(["Billing", "Escalations", "Support"]));
    expect(list.body.items.map((d: { name: string }) => d.name)).not.toContain("Escalations Desk");
  });

  it("refuses to delete a department with members (409) and deletes it once empty, unlinking its categories", async () => {
    const department = await adm().post("/v1/admin/departments", { name: "Night Shift" });
    const member = await createAgent({ email: "owl@parley.test", name: "Night Owl", departmentId: department.body.id });
    const refused = await adm().delete(`/v1/admin/departments/${department.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "conflict", details: { agents: 1 } });
    expect((await adm().get("/v1/admin/departments?limit=100")).body.items.map((d: { id: string }) => d.id)).toContain(department.body.id);

    const category = await adm().post("/v1/admin/categories", { slug: "after-hours", name: "After hours", departmentId: department.body.id });
    expect(category.body.departmentId).toBe(department.body.id);
    const moved = await adm().patch(`/v1/admin/agents/${member.id}`, { departmentId: null });
    expect(moved.body.departmentId).toBeNull();
    const deleted = await adm().delete(`/v1/admin/departments/${department.body.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ ok: true });
    expect((await adm().get("/v1/admin/departments?limit=100")).body.items.map((d: { id: string }) => d.id)).not.toContain(department.body.id);
    expect((await adm().delete(`/v1/admin/departments/${department.body.id}`)).status).toBe(404);
    // Its categories stay, no longer routed anywhere.
    const categories = await adm().get("/v1/admin/categories?limit=100");
    expect(categories.body.items.find((c: { id: string }) => c.id === category.body.id)).toMatchObject({ slug: "after-hours", departmentId: null });
  });
});

describe("categories", () => {
  it("creates a category visitors can file tickets under; a duplicate slug is 409", async () => {
    const visitor = await client.visitor();
    const before = await client.call("POST", "/v1/tickets", { token: visitor.token, body: { subject: "Return my order", description: "x", category: "returns-desk" } });
    expect(before.status).toBe(400);
    expect(before.body.error.code).toBe("validation_failed");

    const created = await adm().post("/v1/admin/categories", { slug: "returns-desk", name: "Returns", departmentId: departments.Billing });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: "returns-desk", name: "Returns", departmentId: departments.Billing });
    const duplicate = await adm().post("/v1/admin/categories", { slug: "returns-desk", name: "Returns again" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("conflict");
    expect((await adm().post("/v1/admin/categories", { slug: "billing", name: "Billing two" })).status).toBe(409);
    expect((await adm().post("/v1/admin/categories", { slug: "Bad Slug", name: "Bad" })).status).toBe(400);

    const ticket = await client.ticket(visitor.token, { subject: "Return my order", category: "returns-desk" });
    expect(ticket.category).toBe("returns-desk");
    const routed = await adm().get(`/v1/agent/tickets/${ticket.number}`);
    expect(routed.body).toMatchObject({ category: "returns-desk", departmentId: departments.Billing });
    const config = await client.call("GET", "/v1/widget/config", { site: "pk_demo" });
    expect(config.body.categories).toContainEqual({ slug: "returns-desk", name: "Returns" });

    const renamed = await adm().patch(`/v1/admin/categories/${created.body.id}`, { name: "Returns & exchanges" });
    expect(renamed.body).toMatchObject({ slug: "returns-desk", name: "Returns & exchanges", departmentId: departments.Billing });
  });
});

describe("FAQ articles", () => {
  it("creates, edits and deletes an article; PATCH {} and PATCH {title} keep a draft a draft", async () => {
    const created = await adm().post("/v1/admin/faqs", {
      siteId: demoSiteId,
      slug: "admin-draft-article",
      title: "Draft about lemurs",
      body: "Lemurs are not a billing topic.",
      category: "billing",
      published: false,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: "admin-draft-article", title: "Draft about lemurs", category: "billing", published: false, viewCount: 0 });
    const id = created.body.id;
    const visible = () => client.call("GET", "/v1/faqs/admin-draft-article", { site: "pk_demo" });
    expect((await visible()).status).toBe(404);

    const empty = await adm().patch(`/v1/admin/faqs/${id}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ title: "Draft about lemurs", published: false, category: "billing" });
    const retitled = await adm().patch(`/v1/admin/faqs/${id}`, { title: "Lemur care basics" });
    expect(retitled.body).toMatchObject({ title: "Lemur care basics", body: "Lemurs are not a billing topic.", published: false, category: "billing" });
    expect((await adm().get(`/v1/admin/faqs/${id}`)).body).toMatchObject({ title: "Lemur care basics", published: false });
    expect((await visible()).status).toBe(404);
    expect((await client.call("GET", "/v1/faqs?q=lemur", { site: "pk_demo" })).body.items).toEqual([]);

    const recategorised = await adm().patch(`/v1/admin/faqs/${id}`, { category: "technical", body: "Lemurs **love** firewalls." });
    expect(recategorised.body).toMatchObject({ category: "technical", body: "Lemurs **love** firewalls.", published: false });
    const uncategorised = await adm().patch(`/v1/admin/faqs/${id}`, { category: null });
    expect(uncategorised.body.category).toBeNull();
    expect((await adm().patch(`/v1/admin/faqs/${id}`, { category: "no-such-category" })).status).toBe(400);

    const published = await adm().patch(`/v1/admin/faqs/${id}`, { published: true });
    expect(published.body.published).toBe(true);
    const read = await visible();
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ title: "Lemur care basics", category: null });
    const found = await client.call("GET", "/v1/faqs?q=lemur", { site: "pk_demo" });
    expect(found.body.items.map((a: { slug: string }) => a.slug)).toEqual(["admin-draft-article"]);
    // A PATCH that does not mention `published` leaves a published article published too.
    expect((await adm().patch(`/v1/admin/faqs/${id}`, { title: "Lemur care, revised" })).body.published).toBe(true);

    const slugClash = await adm().patch(`/v1/admin/faqs/${id}`, { slug: "reset-your-password" });
    expect(slugClash.status).toBe(409);
    const createClash = await adm().post("/v1/admin/faqs", { siteId: demoSiteId, slug: "reset-your-password", title: "Another one", body: "x" });
    expect(createClash.status).toBe(409);
    const unknownSite = await adm().post("/v1/admin/faqs", { siteId: "no-such-site", slug: "orphan", title: "Orphan", body: "x" });
    expect(unknownSite.status).toBe(400);

    const listed = await adm().get(`/v1/admin/faqs?siteId=${demoSiteId}&limit=100`);
    expect(listed.body.items).toHaveLength(13);

    const deleted = await adm().delete(`/v1/admin/faqs/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ ok: true });
    expect((await adm().get(`/v1/admin/faqs/${id}`)).status).toBe(404);
    expect((await visible()).status).toBe(404);
    expect((await client.call("GET", "/v1/faqs?q=lemur", { site: "pk_demo" })).body.items).toEqual([]);
    expect((await adm().delete(`/v1/admin/faqs/${id}`)).status).toBe(404);
  });
});

describe("sites", () => {
  it("creates a site with a pk_ key and a secret shown once, never listed", async () => {
    const created = await adm().post("/v1/admin/sites", { name: "Beta Shop", allowedOrigins: ["https://beta.example"] });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^pk_[A-Za-z0-9]{24}$/);
    expect(created.body.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body).toMatchObject({ name: "Beta Shop", allowedOrigins: ["https://beta.example"], requireVerifiedIdentity: false, locale: "en", businessHours: null });

    const list = await adm().get("/v1/admin/sites?limit=100");
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(created.body.id);
    for (const site of list.body.items) expect(Object.keys(site)).not.toContain("identitySecret");
    expect(JSON.stringify(list.body)).not.toContain(created.body.identitySecret);
    const one = await adm().get(`/v1/admin/sites/${created.body.id}`);
    expect(one.body.key).toBe(created.body.key);
    expect(Object.keys(one.body)).not.toContain("identitySecret");

    const config = await client.call("GET", "/v1/widget/config", { site: created.body.key });
    expect(config.status).toBe(200);
    expect(config.body.site).toEqual({ key: created.body.key, name: "Beta Shop" });
    expect((await adm().post("/v1/admin/sites", { name: "Bad", allowedOrigins: ["https://x.example/path"] })).status).toBe(400);
  });

  it("rotates the identity secret: hashes made with the old one stop verifying", async () => {
    const created = await adm().post("/v1/admin/sites", { name: "Rotating Site" });
    const oldSecret: string = created.body.identitySecret;
    const sign = (secret: string) => createHmac("sha256", secret).update("user-7").digest("hex");
    const session = (hash: string) => client.call("POST", "/v1/sessions", { body: { siteKey: created.body.key, visitor: { id: "user-7", hash } } });
    expect((await session(sign(oldSecret))).status).toBe(201);

    const rotated = await adm().post(`/v1/admin/sites/${created.body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body.identitySecret).not.toBe(oldSecret);
    expect(rotated.body).toMatchObject({ id: created.body.id, key: created.body.key, name: "Rotating Site" });

    const stale = await session(sign(oldSecret));
    expect(stale.status).toBe(401);
    const fresh = await session(sign(rotated.body.identitySecret));
    expect(fresh.status).toBe(201);
    expect(fresh.body.visitor.verified).toBe(true);
    expect((await adm().post("/v1/admin/sites/no-such-site/rotate-secret")).status).toBe(404);
  });

  it("PATCH changes only the fields sent: a new name keeps the origins and branding", async () => {
    const created = await adm().post("/v1/admin/sites", {
      name: "Gamma Store",
      allowedOrigins: ["https://gamma.example", "https://www.gamma.example"],
      requireVerifiedIdentity: true,
      branding: { primaryColor: "#112233", greeting: "Hi from Gamma" },
      locale: "de",
    });
    expect(created.status).toBe(201);
    const renamed = await adm().patch(`/v1/admin/sites/${created.body.id}`, { name: "Gamma Store Renamed" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: "Gamma Store Renamed",
      allowedOrigins: ["https://gamma.example", "https://www.gamma.example"],
      requireVerifiedIdentity: true,
      locale: "de",
      branding: { primaryColor: "#112233", greeting: "Hi from Gamma" },
    });
    const rebranded = await adm().patch(`/v1/admin/sites/${created.body.id}`, { branding: { position: "bottom-left" } });
    expect(rebranded.body.branding).toMatchObject({ primaryColor: "#112233", greeting: "Hi from Gamma", position: "bottom-left" });
    expect(rebranded.body.allowedOrigins).toEqual(["https://gamma.example", "https://www.gamma.example"]);
    const stored = await adm().get(`/v1/admin/sites/${created.body.id}`);
    expect(stored.body).toMatchObject({ name: "Gamma Store Renamed", requireVerifiedIdentity: true, allowedOrigins: ["https://gamma.example", "https://www.gamma.example"] });
    const cleared = await adm().patch(`/v1/admin/sites/${created.body.id}`, { allowedOrigins: [] });
    expect(cleared.body).toMatchObject({ name: "Gamma Store Renamed", allowedOrigins: [] });
    expect((await adm().patch("/v1/admin/sites/no-such-site", { name: "Nobody" })).status).toBe(404);
  });
});
