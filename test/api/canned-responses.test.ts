import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";

/**
 * /v1/agent/canned-responses and their use on a ticket, against the real API on a fresh
 * libSQL file: who sees and changes which scope, shortcuts unique per owner, placeholders
 * filled on the server with customer text kept as data.
 */
let api: RunningApi;
let client: ApiClient;
let admin: { token: string; agentId: string };
let ada: { token: string; agentId: string };
let sam: { token: string; agentId: string };
let bea: { token: string; agentId: string };
let siteId: string;
let supportId: string;
let billingId: string;

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  [admin, ada, sam, bea] = await Promise.all([client.login(ADMIN.email), client.login("ada@parley.test"), client.login("sam@parley.test"), client.login("bea@parley.test")]);
  const sites = await client.call("GET", "/v1/admin/sites?limit=100", { token: admin.token });
  siteId = sites.body.items.find((s: { key: string }) => s.key === "pk_demo").id;
  const departments = (await client.call("GET", "/v1/admin/departments?limit=100", { token: admin.token })).body.items as { id: string; name: string }[];
  supportId = departments.find((d) => d.name !== "Billing")!.id;
  billingId = departments.find((d) => d.name === "Billing")!.id;
});
afterAll(() => api?.stop());

const path = "/v1/agent/canned-responses";
const create = (token: string, body: Record<string, unknown>) => client.call("POST", path, { token, body: { title: "A response", body: "Hello {{customer.name}}", ...body } });
const shortcutsFor = async (token: string, query = "") => ((await client.call("GET", `${path}?limit=100${query}`, { token })).body.items as { shortcut: string; scope: string; agentId: string | null }[]);

describe("canned responses", () => {
  it("lets agents write personal ones and admins any scope; shortcuts are unique per owner, not globally", async () => {
    expect((await create(ada.token, { scope: "personal", shortcut: "/refund" })).status).toBe(201);
    const again = await create(ada.token, { scope: "personal", shortcut: "/refund" });
    expect([again.status, again.body.error.code]).toEqual([409, "conflict"]);
    // Another agent's personal /refund, the team's and the site's are all different owners.
    expect((await create(sam.token, { scope: "personal", shortcut: "/refund" })).status).toBe(201);
    expect((await create(admin.token, { scope: "team", departmentId: supportId, shortcut: "/refund" })).status).toBe(201);
    expect((await create(admin.token, { scope: "site", siteId, shortcut: "/refund" })).status).toBe(201);
    expect((await create(admin.token, { scope: "site", siteId, shortcut: "/refund" })).status).toBe(409);

    for (const body of [{ scope: "site", siteId, shortcut: "/mine" }, { scope: "team", departmentId: supportId, shortcut: "/mine" }]) {
      const refused = await create(ada.token, body);
      expect([refused.status, refused.body.error.code]).toEqual([403, "forbidden"]);
    }
    for (const body of [
      { scope: "team", departmentId: "no-such-department", shortcut: "/x" },
      { scope: "site", siteId: "no-such-site", shortcut: "/x" },
      { scope: "personal", shortcut: "refund" },
      { scope: "personal", shortcut: "/Refund" },
      { scope: "nobody", shortcut: "/x" },
      { scope: "personal", shortcut: "/typo", body: "Hi {{customer.nmae}}" },
    ]) {
      const refused = await create(admin.token, body);
      expect([JSON.stringify(body), refused.status, refused.body.error.code]).toEqual([JSON.stringify(body), 400, "validation_failed"]);
    }
  });

  it("lists what the caller may use: their own, their team's and the site's, never another agent's personal ones", async () => {
    await create(admin.token, { scope: "team", departmentId: billingId, shortcut: "/invoice" });
    const adas = await shortcutsFor(ada.token, "&prefix=/refund");
    expect(adas.map((r) => r.scope).sort()).toEqual(["personal", "site", "team"]);
    expect(adas.find((r) => r.scope === "personal")!.agentId).toBe(ada.agentId);
    // Bea is in billing: the support team's /refund is not hers, billing's /invoice is.
    expect((await shortcutsFor(bea.token)).map((r) => `${r.scope} ${r.shortcut}`).sort()).toEqual(["site /refund", "team /invoice"]);
    // An admin sees every team's, and still no one's personal ones but their own.
    const admins = await shortcutsFor(admin.token);
    expect(admins.filter((r) => r.scope === "personal")).toEqual([]);
    expect(admins.filter((r) => r.scope === "team").map((r) => r.shortcut).sort()).toEqual(["/invoice", "/refund"]);
    // Paging by shortcut returns each once.
    const first = await client.call("GET", `${path}?limit=1`, { token: admin.token });
    expect(first.body.items).toHaveLength(1);
    const second = await client.call("GET", `${path}?limit=1&cursor=${first.body.nextCursor}`, { token: admin.token });
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it("answers another agent's personal response with 404 everywhere, an admin's too; shared ones are 403 to change for agents", async () => {
    const sams = (await create(sam.token, { scope: "personal", shortcut: "/secret", body: "Only Sam's" })).body;
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    for (const token of [ada.token, admin.token]) {
      const reads = [
        await client.call("GET", `${path}/${sams.id}`, { token }),
        await client.call("PATCH", `${path}/${sams.id}`, { token, body: { title: "Mine now" } }),
        await client.call("DELETE", `${path}/${sams.id}`, { token }),
        await client.call("POST", `/v1/agent/tickets/${ticket.number}/canned/${sams.id}`, { token, body: {} }),
      ];
      expect(reads.map((r) => [r.status, r.body.error.code])).toEqual(Array(4).fill([404, "not_found"]));
      // Exactly like an id that does not exist.
      const unknown = await client.call("GET", `${path}/00000000-0000-0000-0000-000000000000`, { token });
      expect(unknown.body.error.message.replace("00000000-0000-0000-0000-000000000000", sams.id)).toBe(reads[0]!.body.error.message);
    }
    expect((await client.call("GET", `${path}/${sams.id}`, { token: sam.token })).body.title).toBe("A response");

    const site = (await shortcutsFor(ada.token)).find((r) => r.scope === "site") as unknown as { id: string };
    expect((await client.call("GET", `${path}/${site.id}`, { token: ada.token })).status).toBe(200);
    const refused = await client.call("PATCH", `${path}/${site.id}`, { token: ada.token, body: { body: "Changed by Ada" } });
    expect([refused.status, refused.body.error.code]).toEqual([403, "forbidden"]);
    expect((await client.call("DELETE", `${path}/${site.id}`, { token: ada.token })).status).toBe(403);
    const edited = await client.call("PATCH", `${path}/${site.id}`, { token: admin.token, body: { title: "Refunds", body: "Hi {{customer.name | there}}, about {{ticket.number}}: refunded. {{agent.name}}" } });
    expect(edited.body).toMatchObject({ title: "Refunds", shortcut: "/refund", scope: "site" });
    expect((await client.call("PATCH", `${path}/${site.id}`, { token: admin.token, body: { body: "{{nope}}" } })).status).toBe(400);
    expect((await client.call("PATCH", `${path}/${site.id}`, { token: admin.token, body: {} })).status).toBe(400);

    // Sam deletes their own; then it is gone for them too.
    expect((await client.call("DELETE", `${path}/${sams.id}`, { token: sam.token })).body).toEqual({ ok: true });
    expect((await client.call("GET", `${path}/${sams.id}`, { token: sam.token })).status).toBe(404);
  });

  it("fills placeholders on the server for a ticket, keeping the customer's name as plain data, and sends it once per clientId", async () => {
    const visitor = await client.visitor();
    const name = "{{agent.name}} <b>Vera</b> $& {{ticket.number}}";
    const ticket = await client.ticket(visitor.token, { name });
    const response = (await create(ada.token, { scope: "personal", shortcut: "/hello", body: "Hi {{ customer.name }}, {{agent.name}} here about {{ticket.number}}." })).body;
    const use = (body: unknown) => client.call("POST", `/v1/agent/tickets/${ticket.number}/canned/${response.id}`, { token: ada.token, body });

    const rendered = await use({});
    expect(rendered.status).toBe(200);
    expect(rendered.body).toEqual({ responseId: response.id, body: `Hi ${name}, Ada Tier-One here about ${ticket.number}.`, message: null });
    expect((await client.call("GET", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token })).body.items).toEqual([]);

    const id = clientId("canned");
    const sent = await use({ send: true, clientId: id });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ body: rendered.body.body, senderType: "agent", senderName: "Ada Tier-One", internal: false, clientId: id });
    expect((await use({ send: true, clientId: id })).status).toBe(200);
    const seen = (await client.call("GET", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token })).body.items;
    expect(seen.map((m: { body: string }) => m.body)).toEqual([rendered.body.body]);

    expect((await use({ send: true })).status).toBe(400);
    expect((await client.call("POST", `/v1/agent/tickets/TKT-2099-999999/canned/${response.id}`, { token: ada.token, body: {} })).status).toBe(404);
  });

  it("uses the fallback for an anonymous customer and refuses a site response on another site's ticket", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    const site = (await shortcutsFor(ada.token)).find((r) => r.scope === "site") as unknown as { id: string };
    const rendered = await client.call("POST", `/v1/agent/tickets/${ticket.number}/canned/${site.id}`, { token: ada.token, body: {} });
    expect(rendered.body.body).toBe(`Hi there, about ${ticket.number}: refunded. Ada Tier-One`);

    const other = await client.call("POST", "/v1/admin/sites", { token: admin.token, body: { name: "Other shop" } });
    expect(other.status).toBe(201);
    const elsewhere = (await create(admin.token, { scope: "site", siteId: other.body.id, shortcut: "/elsewhere" })).body;
    // An agent who does not work on the other site cannot use its responses at all, as if they did not exist…
    const hidden = await client.call("POST", `/v1/agent/tickets/${ticket.number}/canned/${elsewhere.id}`, { token: ada.token, body: {} });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, "not_found"]);
    // …and one who works on both sites (an admin) cannot use it on this site's ticket.
    const refused = await client.call("POST", `/v1/agent/tickets/${ticket.number}/canned/${elsewhere.id}`, { token: admin.token, body: {} });
    expect([refused.status, refused.body.error.code]).toEqual([400, "validation_failed"]);
  });
});
