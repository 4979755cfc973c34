import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, TEST_SECRET, type RunningApi } from "../support/server.js";

type Access = "public" | "site" | "visitor" | "agent" | "participant" | "admin" | "inbound";
/**
 * What an agent of another site gets from a route an agent may call: `refused` (a route that
 * names a ticket: 404, exactly as for a ticket that does not exist), `filtered` (a list that
 * leaves the other site's tickets or people out; each has its own test below) or `own` (the
 * caller's own account, which involves no site).
 */
/**
 * What an agent of another site gets: refused (404 as for an unknown ticket), filtered (a list
 * without the other site's items), own (about the caller itself), per-ticket (a batch whose
 * other-site tickets each fail as unknown ones).
 */
type CrossSite = "refused" | "filtered" | "own" | "per-ticket";
interface Rule {
  access: Access;
  /** A body valid enough that only the access check can refuse it. */
  body?: () => unknown;
  /** Required on every agent and participant route. */
  crossSite?: CrossSite;
}

/**
 * Every route and who may call it. A route added without a row here fails the first test,
 * so no route ships without an access rule that the other tests then enforce.
 */
const rules: Record<string, Rule> = {
  "GET /health": { access: "public" },
  "POST /v1/sessions": { access: "public" },
  "POST /v1/contact": { access: "public" },
  "POST /v1/auth/login": { access: "public" },
  "GET /v1/widget/config": { access: "site" },
  "GET /v1/faqs": { access: "site" },
  "GET /v1/faqs/{slug}": { access: "site" },
  "POST /v1/faqs/{slug}/vote": { access: "visitor", body: () => ({ helpful: true }) },
  "POST /v1/help/events": { access: "visitor", body: () => ({ kind: "searched" }) },
  "POST /v1/tickets": { access: "visitor", body: () => ({ subject: "Access check", description: "x" }) },
  "GET /v1/tickets": { access: "visitor" },
  "GET /v1/tickets/{number}": { access: "visitor" },
  "GET /v1/tickets/{number}/messages": { access: "visitor" },
  "POST /v1/tickets/{number}/messages": { access: "visitor", body: () => ({ body: "hi", clientId: clientId() }) },
  "POST /v1/tickets/{number}/read": { access: "visitor", body: () => ({ seq: 0 }) },
  "POST /v1/tickets/{number}/rating": { access: "visitor", body: () => ({ score: 4 }) },
  "POST /v1/tickets/{number}/close": { access: "visitor" },
  "POST /v1/tickets/{number}/handoff": { access: "visitor" },
  "POST /v1/assistant/query": { access: "visitor", body: () => ({ question: "How do I reset my password?" }) },
  "GET /v1/agent/tickets": { access: "agent", crossSite: "filtered" },
  "GET /v1/agent/tickets/{number}": { access: "agent", crossSite: "refused" },
  "PATCH /v1/agent/tickets/{number}": { access: "agent", body: () => ({ priority: "high" }), crossSite: "refused" },
  "GET /v1/agent/tickets/{number}/messages": { access: "agent", crossSite: "refused" },
  "POST /v1/agent/tickets/{number}/messages": { access: "agent", body: () => ({ body: "hi", clientId: clientId() }), crossSite: "refused" },
  "GET /v1/agent/tickets/{number}/history": { access: "agent", crossSite: "refused" },
  "GET /v1/agent/tickets/{number}/assist": { access: "agent", crossSite: "refused" },
  "POST /v1/agent/tickets/{number}/assign": { access: "agent", body: () => ({ agentId: null }), crossSite: "refused" },
  "POST /v1/agent/tickets/{number}/escalate": { access: "agent", body: () => ({ reason: "needs tier 2" }), crossSite: "refused" },
  "POST /v1/agent/tickets/{number}/resolve": { access: "agent", body: () => ({}), crossSite: "refused" },
  "POST /v1/agent/tickets/{number}/close": { access: "agent", body: () => ({}), crossSite: "refused" },
  "POST /v1/agent/tickets/{number}/claim": { access: "agent", crossSite: "refused" },
  "POST /v1/agent/tickets/{number}/route": { access: "agent", crossSite: "refused" },
  "POST /v1/agent/tickets/{number}/read": { access: "agent", body: () => ({ seq: 0 }), crossSite: "refused" },
  "POST /v1/agent/tickets/bulk": { access: "agent", body: () => ({ action: "priority", priority: "high", numbers: [ticketNumber] }), crossSite: "per-ticket" },
  "POST /v1/realtime/token": { access: "participant", body: () => ({ ticket: ticketNumber }), crossSite: "refused" },
  "GET /v1/agent/canned-responses": { access: "agent", crossSite: "filtered" },
  // Filtered to the caller's sites; another site named in `site` is a 404 (test/stats.test.ts).
  "GET /v1/agent/stats": { access: "agent", crossSite: "filtered" },
  // Filtered by site: test/api/message-search.test.ts.
  "GET /v1/agent/search/messages": { access: "agent", crossSite: "filtered" },
  "POST /v1/agent/canned-responses": { access: "agent", body: () => ({ scope: "personal", shortcut: `/a${Date.now()}`, title: "T", body: "Hi" }), crossSite: "own" },
  "GET /v1/agent/canned-responses/{id}": { access: "agent", crossSite: "own" },
  "PATCH /v1/agent/canned-responses/{id}": { access: "agent", body: () => ({ title: "T" }), crossSite: "own" },
  "DELETE /v1/agent/canned-responses/{id}": { access: "agent", crossSite: "own" },
  "POST /v1/agent/tickets/{number}/canned/{id}": { access: "agent", body: () => ({}), crossSite: "refused" },
  "GET /v1/agent/me": { access: "agent", crossSite: "own" },
  "PATCH /v1/agent/me": { access: "agent", body: () => ({ status: "busy" }), crossSite: "own" },
  "GET /v1/agent/agents": { access: "agent", crossSite: "filtered" },
  "GET /v1/agent/notifications": { access: "agent", crossSite: "filtered" },
  "GET /v1/admin/agents": { access: "admin" },
  "POST /v1/admin/agents": { access: "admin", body: () => ({ email: `a${Date.now()}@parley.test`, name: "A", password: "long-enough-pw" }) },
  "GET /v1/admin/agents/{id}": { access: "admin" },
  "PATCH /v1/admin/agents/{id}": { access: "admin", body: () => ({ capacity: 6 }) },
  "DELETE /v1/admin/agents/{id}": { access: "admin" },
  "POST /v1/admin/agents/{id}/sites": { access: "admin", body: () => ({ siteId: "x" }) },
  "DELETE /v1/admin/agents/{id}/sites/{siteId}": { access: "admin" },
  "GET /v1/admin/sites/{id}/agents": { access: "admin" },
  "GET /v1/admin/departments": { access: "admin" },
  "POST /v1/admin/departments": { access: "admin", body: () => ({ name: `Dept ${Date.now()}` }) },
  "PATCH /v1/admin/departments/{id}": { access: "admin", body: () => ({ description: "x" }) },
  "DELETE /v1/admin/departments/{id}": { access: "admin" },
  "GET /v1/admin/categories": { access: "admin" },
  "POST /v1/admin/categories": { access: "admin", body: () => ({ slug: `c-${Date.now()}`, name: "Cat" }) },
  "PATCH /v1/admin/categories/{id}": { access: "admin", body: () => ({ name: "Cat" }) },
  "DELETE /v1/admin/categories/{id}": { access: "admin" },
  "GET /v1/admin/sla-policies": { access: "admin" },
  "POST /v1/admin/sla-policies": { access: "admin", body: () => ({ priority: "low", firstResponseMinutes: 60, resolutionMinutes: 120 }) },
  "GET /v1/admin/sla-policies/{id}": { access: "admin" },
  "PATCH /v1/admin/sla-policies/{id}": { access: "admin", body: () => ({ resolutionMinutes: 120 }) },
  "DELETE /v1/admin/sla-policies/{id}": { access: "admin" },
  "GET /v1/admin/faqs": { access: "admin" },
  "GET /v1/admin/stats/deflection": { access: "admin" },
  "POST /v1/admin/faqs": { access: "admin", body: () => ({ siteId: "x", slug: "s", title: "Title", body: "b" }) },
  "GET /v1/admin/faqs/{id}": { access: "admin" },
  "PATCH /v1/admin/faqs/{id}": { access: "admin", body: () => ({ title: "Title" }) },
  "DELETE /v1/admin/faqs/{id}": { access: "admin" },
  "GET /v1/admin/sites": { access: "admin" },
  "POST /v1/admin/sites": { access: "admin", body: () => ({ name: "Site" }) },
  "GET /v1/admin/sites/{id}": { access: "admin" },
  "PATCH /v1/admin/sites/{id}": { access: "admin", body: () => ({ name: "Site" }) },
  "POST /v1/admin/sites/{id}/rotate-secret": { access: "admin" },
  "GET /v1/admin/webhooks": { access: "admin" },
  "POST /v1/admin/webhooks": { access: "admin", body: () => ({ siteId: "x", url: "https://hooks.example.com/in", events: ["ticket.created"] }) },
  "GET /v1/admin/webhooks/{id}": { access: "admin" },
  "PATCH /v1/admin/webhooks/{id}": { access: "admin", body: () => ({ enabled: false }) },
  "DELETE /v1/admin/webhooks/{id}": { access: "admin" },
  "POST /v1/admin/webhooks/{id}/rotate": { access: "admin" },
  "GET /v1/admin/webhooks/{id}/deliveries": { access: "admin" },
  "POST /v1/admin/webhooks/{id}/deliveries/{deliveryId}/replay": { access: "admin" },
  "POST /v1/admin/webhooks/{id}/test": { access: "admin" },
  "GET /v1/admin/email/deliveries": { access: "admin" },
  "POST /v1/admin/email/deliveries/{id}/redeliver": { access: "admin" },
  "GET /v1/admin/jobs": { access: "admin" },
  "GET /v1/admin/assistant/interactions": { access: "admin" },
  "GET /v1/admin/assistant/usage": { access: "admin" },
  "POST /v1/admin/jobs/{name}/run": { access: "admin" },
  "POST /v1/inbound/email": { access: "inbound" },
  "GET /v1/email/unsubscribe": { access: "public" },
  "POST /v1/email/unsubscribe": { access: "public" },
  "GET /v1/email/conversation": { access: "public" },
  "GET /v1/email/rating": { access: "public" },
  "POST /v1/email/rating": { access: "public" },
};

const schemesOf: Record<Access, string[]> = {
  public: [],
  site: ["siteKey"],
  visitor: ["visitorToken"],
  agent: ["agentToken"],
  participant: ["visitorToken", "agentToken"],
  admin: ["adminToken"],
  inbound: ["inboundSecret"],
};

let api: RunningApi;
let client: ApiClient;
let routes: { method: string; path: string; key: string; security: Record<string, string[]>[] }[];
let owner: { token: string };
let intruder: { token: string };
let agent: { token: string; agentId: string };
let ticketNumber: string;
const tokens: Record<string, string> = {};
/** An agent who works on another site only, and that site's ticket it may see. */
let stranger: { token: string; agentId: string };
let demoSiteId: string;
let otherSite: { id: string; key: string };
let otherTicketNumber: string;

beforeAll(async () => {
  // Inbound email is on, so its route refuses a missing or wrong secret with 401 like any other.
  api = await startApi({ env: { PARLEY_INBOUND_SECRET: "inbound-secret-for-the-access-test-0123456789" } });
  client = apiClient(api.url);
  const spec = await client.call("GET", "/openapi.json");
  routes = Object.entries(spec.body.paths as Record<string, Record<string, { security?: Record<string, string[]>[] }>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}`, security: op.security ?? [] })),
  );
  owner = await client.visitor();
  intruder = await client.visitor();
  agent = await client.login("ada@parley.test");
  ticketNumber = (await client.ticket(owner.token)).number;
  const admin = await client.login(ADMIN.email);
  demoSiteId = await client.siteId(admin.token);
  otherSite = (await client.call("POST", "/v1/admin/sites", { token: admin.token, body: { name: "Other team" } })).body;
  await client.createAgent(admin.token, { email: "stranger@parley.test", password: "stranger-password-1", siteIds: [otherSite.id] });
  stranger = await client.login("stranger@parley.test", "stranger-password-1");
  otherTicketNumber = (await client.ticket((await client.visitor(otherSite.key)).token)).number;
  const now = Math.floor(Date.now() / 1000);
  tokens.expiredVisitor = await sign({ kind: "visitor", sub: "v", site: "s", exp: now - 60 }, TEST_SECRET, "HS256");
  tokens.expiredAgent = await sign({ kind: "agent", sub: agent.token, role: "admin", exp: now - 60 }, TEST_SECRET, "HS256");
  tokens.forgedAdmin = await sign({ kind: "agent", sub: "x", role: "admin", exp: now + 600 }, "some-other-secret-of-enough-length-000000", "HS256");
  tokens.forgedVisitor = await sign({ kind: "visitor", sub: "x", site: "y", exp: now + 600 }, "some-other-secret-of-enough-length-000000", "HS256");
});
afterAll(() => api?.stop());

const concrete = (path: string) =>
  path.replace("{number}", ticketNumber).replace("{slug}", "reset-your-password").replace("{id}", "00000000-0000-0000-0000-000000000000").replace("{deliveryId}", "1").replace("{name}", "auto-close").replace("{siteId}", "00000000-0000-0000-0000-000000000001");

function send(route: { method: string; path: string; key: string }, options: { token?: string; site?: string }) {
  const rule = rules[route.key]!;
  const body = rule.body?.() ?? (route.method === "GET" || route.method === "DELETE" ? undefined : {});
  return client.call(route.method, concrete(route.path), { ...options, body });
}

describe("access rules", () => {
  it("every route has an access rule, and the rule matches what the API documents", () => {
    const unruled = routes.filter((route) => !rules[route.key]).map((route) => route.key);
    expect(unruled, "routes without an access rule in test/api/access.test.ts").toEqual([]);
    const stale = Object.keys(rules).filter((key) => !routes.some((route) => route.key === key));
    expect(stale, "rules for routes that no longer exist").toEqual([]);
    for (const route of routes) {
      expect(route.security.map((s) => Object.keys(s)[0]), route.key).toEqual(schemesOf[rules[route.key]!.access]);
    }
  });

  it("refuses every protected route without a token, with an expired one and with a forged one", async () => {
    for (const route of routes) {
      const { access } = rules[route.key]!;
      if (access === "public" || access === "site") continue;
      const expired = access === "agent" || access === "admin" ? tokens.expiredAgent : tokens.expiredVisitor;
      const forged = access === "agent" || access === "admin" ? tokens.forgedAdmin : tokens.forgedVisitor;
      for (const [label, token] of [["none", undefined], ["expired", expired], ["forged", forged]] as const) {
        const res = await send(route, { token, site: "pk_demo" });
        expect([route.key, label, res.status, res.body?.error?.code]).toEqual([route.key, label, 401, "unauthorized"]);
      }
      if (access === "visitor") {
        const res = await send(route, { token: agent.token, site: "pk_demo" });
        expect([route.key, "agent token", res.status]).toEqual([route.key, "agent token", 401]);
      } else if (access !== "participant") {
        const res = await send(route, { token: owner.token });
        expect([route.key, "visitor token", res.status]).toEqual([route.key, "visitor token", 401]);
      }
      if (access === "admin") {
        const res = await send(route, { token: agent.token });
        expect([route.key, "agent on admin", res.status, res.body.error.code]).toEqual([route.key, "agent on admin", 403, "forbidden"]);
      }
    }
  });

  it("refuses site routes without a site key or with an unknown one", async () => {
    for (const route of routes.filter((r) => rules[r.key]!.access === "site")) {
      expect([route.key, (await send(route, {})).status]).toEqual([route.key, 400]);
      expect([route.key, (await send(route, { site: "pk_unknown" })).status]).toEqual([route.key, 404]);
    }
  });

  it("refuses another visitor on every visitor route that names a ticket", async () => {
    const ticketRoutes = routes.filter((r) => (rules[r.key]!.access === "visitor" && r.path.includes("{number}")) || rules[r.key]!.access === "participant");
    expect(ticketRoutes.length).toBeGreaterThanOrEqual(5);
    for (const route of ticketRoutes) {
      const res = await send(route, { token: intruder.token });
      expect([route.key, res.status, res.body.error.code]).toEqual([route.key, 403, "forbidden"]);
    }
  });
});


describe("team scoping: an agent of another site", () => {
  const agentRoutes = () => routes.filter((r) => rules[r.key]!.access === "agent" || rules[r.key]!.access === "participant");
  /** What a request for a ticket that does not exist answers, with the number it named left out. */
  const shapeOf = (res: { status: number; body: any }, number: string) => ({
    status: res.status,
    code: res.body?.error?.code,
    message: String(res.body?.error?.message).replace(number, "<number>"),
  });

  it("is ruled on every agent route", () => {
    const unruled = agentRoutes().filter((route) => !rules[route.key]!.crossSite).map((route) => route.key);
    expect(unruled, "agent routes without a crossSite rule in test/api/access.test.ts").toEqual([]);
  });

  it("is refused on every route that names a ticket, exactly as for a ticket that does not exist, and changes nothing", async () => {
    const before = (await client.call("GET", `/v1/agent/tickets/${ticketNumber}`, { token: agent.token })).body;
    const refused = agentRoutes().filter((route) => rules[route.key]!.crossSite === "refused");
    expect(refused.length).toBeGreaterThanOrEqual(11);
    const unknown = "TKT-2099-999999";
    for (const route of refused) {
      const res = await send(route, { token: stranger.token });
      const body = rules[route.key]!.body?.() ?? (route.method === "GET" ? undefined : {});
      const missing = await client.call(route.method, concrete(route.path).replace(ticketNumber, unknown), {
        token: stranger.token,
        body: body && typeof body === "object" && "ticket" in body ? { ticket: unknown } : body,
      });
      expect([route.key, shapeOf(res, ticketNumber)]).toEqual([route.key, { status: 404, code: "not_found", message: "ticket <number> not found" }]);
      expect([route.key, shapeOf(res, ticketNumber)]).toEqual([route.key, shapeOf(missing, unknown)]);
    }
    const after = (await client.call("GET", `/v1/agent/tickets/${ticketNumber}`, { token: agent.token })).body;
    expect(after).toEqual(before);
    const messages = await client.call("GET", `/v1/agent/tickets/${ticketNumber}/messages`, { token: agent.token });
    expect(messages.body.items).toEqual([]);
    const history = await client.call("GET", `/v1/agent/tickets/${ticketNumber}/history`, { token: agent.token });
    expect(history.body.items.map((e: { actorId: string }) => e.actorId)).not.toContain(stranger.agentId);
  });

  it("fails another site's tickets in a batch one by one, exactly as unknown ones, and changes nothing", async () => {
    const before = (await client.call("GET", `/v1/agent/tickets/${ticketNumber}`, { token: agent.token })).body;
    const unknown = "TKT-2099-999999";
    for (const route of agentRoutes().filter((route) => rules[route.key]!.crossSite === "per-ticket")) {
      const res = await send(route, { token: stranger.token });
      const body = { ...(rules[route.key]!.body!() as object), numbers: [ticketNumber, unknown] };
      const both = await client.call(route.method, concrete(route.path), { token: stranger.token, body });
      expect([route.key, res.status]).toEqual([route.key, 200]);
      const [other, missing] = both.body.results as { number: string; ok: boolean; error?: { code: string; message: string } }[];
      expect(other!.ok).toBe(false);
      expect({ ...other!.error, message: other!.error!.message.replace(ticketNumber, "<number>") }).toEqual({ ...missing!.error, message: missing!.error!.message.replace(unknown, "<number>") });
    }
    expect((await client.call("GET", `/v1/agent/tickets/${ticketNumber}`, { token: agent.token })).body).toEqual(before);
  });

  it("works on its own site's tickets through the same routes", async () => {
    const own = await client.call("GET", `/v1/agent/tickets/${otherTicketNumber}`, { token: stranger.token });
    expect([own.status, own.body.siteId]).toEqual([200, otherSite.id]);
    const reply = await client.call("POST", `/v1/agent/tickets/${otherTicketNumber}/messages`, { token: stranger.token, body: { body: "On it", clientId: clientId() } });
    expect(reply.status).toBe(201);
    expect((await client.call("POST", "/v1/realtime/token", { token: stranger.token, body: { ticket: otherTicketNumber } })).status).toBe(200);
    expect((await client.call("POST", "/v1/realtime/token", { token: stranger.token, body: { site: otherSite.id } })).status).toBe(200);
  });

  it("gets no connect ticket for another site's room, as for a site that does not exist", async () => {
    const res = await client.call("POST", "/v1/realtime/token", { token: stranger.token, body: { site: demoSiteId } });
    const missing = await client.call("POST", "/v1/realtime/token", { token: stranger.token, body: { site: "00000000-0000-0000-0000-00000000dead" } });
    expect([res.status, res.body.error]).toEqual([404, { code: "not_found", message: "unknown site" }]);
    expect(res.body).toEqual(missing.body);
  });

  it("finds only its own site's tickets in the queue, whatever the filters say", async () => {
    const numbersOf = async (query: string) => {
      const res = await client.call("GET", `/v1/agent/tickets${query}`, { token: stranger.token });
      expect(res.status).toBe(200);
      return res.body.items.map((t: { number: string }) => t.number) as string[];
    };
    expect(await numbersOf("?limit=100")).toEqual([otherTicketNumber]);
    expect(await numbersOf(`?limit=100&site=${demoSiteId}`)).toEqual([]);
    expect(await numbersOf(`?limit=100&q=${encodeURIComponent(ticketNumber)}`)).toEqual([]);
    expect(await numbersOf("?limit=100&assignee=none&sort=priority")).toEqual([otherTicketNumber]);
    // The demo team's queue holds the demo ticket and not the other site's.
    const demo = await client.call("GET", "/v1/agent/tickets?limit=100", { token: agent.token });
    const numbers = demo.body.items.map((t: { number: string }) => t.number);
    expect(numbers).toContain(ticketNumber);
    expect(numbers).not.toContain(otherTicketNumber);
  });

  it("sees only the colleagues who share a site with it (and the admins) in the directory", async () => {
    const names = async (token: string) => (await client.call("GET", "/v1/agent/agents", { token })).body.items.map((a: { id: string; role: string; siteIds: string[] }) => a);
    const seen = await names(stranger.token);
    expect(seen.map((a: { id: string }) => a.id)).toContain(stranger.agentId);
    expect(seen.map((a: { id: string }) => a.id)).not.toContain(agent.agentId);
    expect(seen.filter((a: { role: string }) => a.role === "agent").every((a: { siteIds: string[] }) => a.siteIds.every((id) => id === otherSite.id))).toBe(true);
    expect((await names(agent.token)).map((a: { id: string }) => a.id)).not.toContain(stranger.agentId);
  });

  it("counts only its own site's tickets on the dashboard", async () => {
    const countsOf = async (token: string) => {
      const res = await client.call("GET", "/v1/agent/notifications", { token });
      expect(res.status).toBe(200);
      return res.body.counts as { open: number; inProgress: number; unassigned: number; atRisk: number; breached: number; myUnread: number };
    };
    // The other site holds one ticket (the tests before may have moved it along); the demo site's are not counted.
    const other = await countsOf(stranger.token);
    expect(other.open + other.inProgress).toBe(1);
    const demo = await countsOf(agent.token);
    const admin = await countsOf((await client.login(ADMIN.email)).token);
    expect(demo.open).toBeGreaterThanOrEqual(1);
    for (const key of ["open", "inProgress", "unassigned", "atRisk", "breached"] as const) expect([key, admin[key]]).toEqual([key, demo[key] + other[key]]);
  });

  it("cannot be given a ticket of a site it does not work on (409 not_site_member)", async () => {
    for (const token of [agent.token, (await client.login(ADMIN.email)).token]) {
      const res = await client.call("POST", `/v1/agent/tickets/${ticketNumber}/assign`, { token, body: { agentId: stranger.agentId } });
      expect([res.status, res.body.error.code, res.body.error.details]).toEqual([409, "not_site_member", [{ path: "agentId", message: "not a member of the ticket's site" }]]);
    }
    expect((await client.call("GET", `/v1/agent/tickets/${ticketNumber}`, { token: agent.token })).body.assigneeId).toBeNull();
  });
});
