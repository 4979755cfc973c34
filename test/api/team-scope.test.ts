import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { ADMIN, AGENT_PASSWORD, startApi, type RunningApi } from "../support/server.js";

/**
 * Site membership through the admin routes, and what it decides: an agent sees the tickets of
 * its sites only (none without a site), an admin sees every site, and taking a site away takes
 * its tickets away at once.
 */

let api: RunningApi;
let client: ApiClient;
let admin: { token: string; agentId: string };
let demoSiteId: string;
let shop: { id: string; key: string };
const PASSWORD = "team-scope-password-1";

const as = (token: string) => client.as(token);
const adm = () => as(admin.token);

// POST /v1/auth/login allows 10 a minute per address: this file logs in 7 times.
beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
  demoSiteId = await client.siteId(admin.token);
  shop = (await adm().post("/v1/admin/sites", { name: "Second Shop" })).body;
});
afterAll(() => api?.stop());

async function agentOn(email: string, siteIds: string[]) {
  const created = await client.createAgent(admin.token, { email, password: PASSWORD, siteIds });
  return { ...created, token: (await client.login(email, PASSWORD)).token };
}

const ticketOn = async (siteKey: string, subject = "Scoped ticket") => (await client.ticket((await client.visitor(siteKey)).token, { subject })).number;

describe("membership on the admin agent routes", () => {
  it("creates an agent with its sites, shows them on read and list, and refuses an unknown site with 400", async () => {
    const created = await adm().post("/v1/admin/agents", { email: "mia@parley.test", name: "Mia", password: PASSWORD, siteIds: [shop.id, demoSiteId, shop.id] });
    expect(created.status).toBe(201);
    expect(created.body.siteIds).toEqual([demoSiteId, shop.id].sort());
    expect((await adm().get(`/v1/admin/agents/${created.body.id}`)).body.siteIds).toEqual([demoSiteId, shop.id].sort());
    const listed = (await adm().get("/v1/admin/agents?limit=100")).body.items.find((a: { id: string }) => a.id === created.body.id);
    expect(listed.siteIds).toEqual([demoSiteId, shop.id].sort());
    // The seed put the demo team on the demo site.
    const ada = (await adm().get("/v1/admin/agents?limit=100")).body.items.find((a: { email: string }) => a.email === "ada@parley.test");
    expect(ada.siteIds).toEqual([demoSiteId]);

    const unknown = await adm().post("/v1/admin/agents", { email: "nosite@parley.test", name: "No Site", password: PASSWORD, siteIds: ["no-such-site"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "siteIds", message: "unknown site" }] });
    // Nothing was created by the refused request.
    expect((await adm().get("/v1/admin/agents?limit=100")).body.items.map((a: { email: string }) => a.email)).not.toContain("nosite@parley.test");
    const malformed = await adm().post("/v1/admin/agents", { email: "bad@parley.test", name: "Bad", password: PASSWORD, siteIds: "all" });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, "validation_failed"]);
  });

  it("replaces the sites with PATCH, adds one with POST …/sites and removes one with DELETE …/sites/:siteId", async () => {
    const agent = (await adm().post("/v1/admin/agents", { email: "noah@parley.test", name: "Noah", password: PASSWORD })).body;
    expect(agent.siteIds).toEqual([]);
    expect((await adm().patch(`/v1/admin/agents/${agent.id}`, { siteIds: [shop.id] })).body.siteIds).toEqual([shop.id]);
    const badPatch = await adm().patch(`/v1/admin/agents/${agent.id}`, { siteIds: [shop.id, "nope"] });
    expect([badPatch.status, badPatch.body.error.details]).toEqual([400, [{ path: "siteIds", message: "unknown site" }]]);
    expect((await adm().get(`/v1/admin/agents/${agent.id}`)).body.siteIds).toEqual([shop.id]);

    const added = await adm().post(`/v1/admin/agents/${agent.id}/sites`, { siteId: demoSiteId });
    expect([added.status, added.body.siteIds]).toEqual([200, [demoSiteId, shop.id].sort()]);
    // Adding again changes nothing.
    expect((await adm().post(`/v1/admin/agents/${agent.id}/sites`, { siteId: demoSiteId })).body.siteIds).toEqual([demoSiteId, shop.id].sort());
    const badAdd = await adm().post(`/v1/admin/agents/${agent.id}/sites`, { siteId: "nope" });
    expect([badAdd.status, badAdd.body.error.details]).toEqual([400, [{ path: "siteId", message: "unknown site" }]]);
    expect((await adm().post("/v1/admin/agents/no-such-agent/sites", { siteId: demoSiteId })).status).toBe(404);
    expect((await adm().post(`/v1/admin/agents/${agent.id}/sites`, {})).status).toBe(400);

    const removed = await adm().delete(`/v1/admin/agents/${agent.id}/sites/${shop.id}`);
    expect([removed.status, removed.body.siteIds]).toEqual([200, [demoSiteId]]);
    expect((await adm().delete(`/v1/admin/agents/${agent.id}/sites/${shop.id}`)).body.siteIds).toEqual([demoSiteId]);
    const unknownSite = await adm().delete(`/v1/admin/agents/${agent.id}/sites/no-such-site`);
    expect([unknownSite.status, unknownSite.body.error.code]).toEqual([404, "not_found"]);
    expect((await adm().delete(`/v1/admin/agents/no-such-agent/sites/${shop.id}`)).status).toBe(404);
  });

  it("lists a site's agents by name, and 404 for an unknown site", async () => {
    const members = await adm().get(`/v1/admin/sites/${shop.id}/agents?limit=100`);
    expect(members.status).toBe(200);
    expect(members.body.items.map((a: { email: string }) => a.email)).toEqual(["mia@parley.test"]);
    const demo = (await adm().get(`/v1/admin/sites/${demoSiteId}/agents?limit=2`)).body;
    expect(demo.items).toHaveLength(2);
    const rest = (await adm().get(`/v1/admin/sites/${demoSiteId}/agents?limit=100&cursor=${encodeURIComponent(demo.nextCursor)}`)).body;
    const names = [...demo.items, ...rest.items].map((a: { name: string }) => a.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["Ada Tier-One", "Bea Billing", "Mia", "Noah"]));
    expect((await adm().get("/v1/admin/sites/no-such-site/agents")).status).toBe(404);
  });
});

describe("what membership decides", () => {
  it("shows an agent without a site no ticket at all, and its sites' tickets once it has one", async () => {
    const number = await ticketOn("pk_demo");
    const nobody = await agentOn("nobody@parley.test", []);
    expect((await as(nobody.token).get("/v1/agent/tickets?limit=100")).body.items).toEqual([]);
    expect((await as(nobody.token).get(`/v1/agent/tickets/${number}`)).status).toBe(404);
    expect((await as(nobody.token).post("/v1/realtime/token", { site: demoSiteId })).status).toBe(404);
    expect((await as(nobody.token).get("/v1/agent/me")).body.siteIds).toEqual([]);

    // The membership counts from the next request on: nothing to sign out and in again.
    await adm().post(`/v1/admin/agents/${nobody.id}/sites`, { siteId: demoSiteId });
    expect((await as(nobody.token).get(`/v1/agent/tickets/${number}`)).status).toBe(200);
    expect((await as(nobody.token).get("/v1/agent/tickets?limit=100")).body.items.map((t: { number: string }) => t.number)).toContain(number);
  });

  it("lets an admin see every site, members or not, including a site created after it", async () => {
    const late = (await adm().post("/v1/admin/sites", { name: "Late Shop" })).body;
    const number = await ticketOn(late.key, "Late shop ticket");
    expect((await adm().get(`/v1/agent/tickets/${number}`)).status).toBe(200);
    expect((await adm().get(`/v1/agent/tickets?limit=100&site=${late.id}`)).body.items.map((t: { number: string }) => t.number)).toEqual([number]);
    expect((await adm().post("/v1/realtime/token", { site: late.id })).status).not.toBe(404);
  });

  it("takes a site's tickets away at once when the site is removed, and returns the agent's open ones there to the queue", async () => {
    const kim = await agentOn("kim@parley.test", [demoSiteId, shop.id]);
    const demoTicket = await ticketOn("pk_demo", "Kim's demo ticket");
    const shopTicket = await ticketOn(shop.key, "Kim's shop ticket");
    for (const number of [demoTicket, shopTicket]) {
      expect((await as(kim.token).post(`/v1/agent/tickets/${number}/assign`, { agentId: kim.id })).status).toBe(200);
    }
    await adm().delete(`/v1/admin/agents/${kim.id}/sites/${demoSiteId}`);

    expect((await as(kim.token).get(`/v1/agent/tickets/${demoTicket}`)).status).toBe(404);
    expect((await as(kim.token).post(`/v1/agent/tickets/${demoTicket}/messages`, { body: "still here?", clientId: clientId() })).status).toBe(404);
    expect((await as(kim.token).get("/v1/agent/tickets?limit=100")).body.items.map((t: { number: string }) => t.number)).toEqual([shopTicket]);
    expect((await adm().get(`/v1/agent/tickets/${demoTicket}`)).body.assigneeId).toBeNull();
    expect((await adm().get(`/v1/agent/tickets/${shopTicket}`)).body.assigneeId).toBe(kim.id);
    const history = (await adm().get(`/v1/agent/tickets/${demoTicket}/history`)).body.items;
    expect(history.filter((e: { type: string }) => e.type === "assigned").at(-1)).toMatchObject({ data: { from: kim.id, to: null, reason: "agent removed from the site" } });
  });

  it("takes every other site away from an admin made an agent, and keeps its member sites", async () => {
    const boss = await agentOn("boss@parley.test", [shop.id]);
    await adm().patch(`/v1/admin/agents/${boss.id}`, { role: "admin" });
    const demoTicket = await ticketOn("pk_demo", "Boss's demo ticket");
    expect((await as(boss.token).post(`/v1/agent/tickets/${demoTicket}/assign`, { agentId: boss.id })).status).toBe(200);

    const demoted = await adm().patch(`/v1/admin/agents/${boss.id}`, { role: "agent" });
    expect([demoted.status, demoted.body.siteIds]).toEqual([200, [shop.id]]);
    expect((await as(boss.token).get(`/v1/agent/tickets/${demoTicket}`)).status).toBe(404);
    expect((await adm().get(`/v1/agent/tickets/${demoTicket}`)).body.assigneeId).toBeNull();
  });

  it("keeps the seeded demo agents working on the demo site", async () => {
    const ada = await client.login("ada@parley.test", AGENT_PASSWORD);
    const number = await ticketOn("pk_demo");
    expect((await as(ada.token).get(`/v1/agent/tickets/${number}`)).status).toBe(200);
    expect((await as(ada.token).get("/v1/agent/me")).body.siteIds).toEqual([demoSiteId]);
  });
});
