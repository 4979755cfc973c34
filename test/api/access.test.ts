import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { startApi, TEST_SECRET, type RunningApi } from "../support/server.js";

type Access = "public" | "site" | "visitor" | "agent" | "participant" | "admin" | "inbound";
interface Rule {
  access: Access;
  /** A body valid enough that only the access check can refuse it. */
  body?: () => unknown;
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
  "POST /v1/tickets": { access: "visitor", body: () => ({ subject: "Access check", description: "x" }) },
  "GET /v1/tickets": { access: "visitor" },
  "GET /v1/tickets/{number}": { access: "visitor" },
  "GET /v1/tickets/{number}/messages": { access: "visitor" },
  "POST /v1/tickets/{number}/messages": { access: "visitor", body: () => ({ body: "hi", clientId: clientId() }) },
  "POST /v1/tickets/{number}/read": { access: "visitor", body: () => ({ seq: 0 }) },
  "POST /v1/tickets/{number}/rating": { access: "visitor", body: () => ({ score: 4 }) },
  "GET /v1/agent/tickets": { access: "agent" },
  "GET /v1/agent/tickets/{number}": { access: "agent" },
  "PATCH /v1/agent/tickets/{number}": { access: "agent", body: () => ({ priority: "high" }) },
  "GET /v1/agent/tickets/{number}/messages": { access: "agent" },
  "POST /v1/agent/tickets/{number}/messages": { access: "agent", body: () => ({ body: "hi", clientId: clientId() }) },
  "GET /v1/agent/tickets/{number}/history": { access: "agent" },
  "POST /v1/agent/tickets/{number}/assign": { access: "agent", body: () => ({ agentId: null }) },
  "POST /v1/agent/tickets/{number}/escalate": { access: "agent", body: () => ({ reason: "needs tier 2" }) },
  "POST /v1/agent/tickets/{number}/resolve": { access: "agent", body: () => ({}) },
  "POST /v1/agent/tickets/{number}/close": { access: "agent", body: () => ({}) },
  "POST /v1/agent/tickets/{number}/read": { access: "agent", body: () => ({ seq: 0 }) },
  "POST /v1/realtime/token": { access: "participant", body: () => ({ ticket: ticketNumber }) },
  "GET /v1/agent/me": { access: "agent" },
  "PATCH /v1/agent/me": { access: "agent", body: () => ({ status: "busy" }) },
  "GET /v1/agent/agents": { access: "agent" },
  "GET /v1/admin/agents": { access: "admin" },
  "POST /v1/admin/agents": { access: "admin", body: () => ({ email: `a${Date.now()}@parley.test`, name: "A", password: "long-enough-pw" }) },
  "GET /v1/admin/agents/{id}": { access: "admin" },
  "PATCH /v1/admin/agents/{id}": { access: "admin", body: () => ({ capacity: 6 }) },
  "DELETE /v1/admin/agents/{id}": { access: "admin" },
  "GET /v1/admin/departments": { access: "admin" },
  "POST /v1/admin/departments": { access: "admin", body: () => ({ name: `Dept ${Date.now()}` }) },
  "PATCH /v1/admin/departments/{id}": { access: "admin", body: () => ({ description: "x" }) },
  "DELETE /v1/admin/departments/{id}": { access: "admin" },
  "GET /v1/admin/categories": { access: "admin" },
  "POST /v1/admin/categories": { access: "admin", body: () => ({ slug: `c-${Date.now()}`, name: "Cat" }) },
  "PATCH /v1/admin/categories/{id}": { access: "admin", body: () => ({ name: "Cat" }) },
  "DELETE /v1/admin/categories/{id}": { access: "admin" },
  "GET /v1/admin/faqs": { access: "admin" },
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
  "GET /v1/admin/jobs": { access: "admin" },
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
let agent: { token: string };
let ticketNumber: string;
const tokens: Record<string, string> = {};

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
  const now = Math.floor(Date.now() / 1000);
  tokens.expiredVisitor = await sign({ kind: "visitor", sub: "v", site: "s", exp: now - 60 }, TEST_SECRET, "HS256");
  tokens.expiredAgent = await sign({ kind: "agent", sub: agent.token, role: "admin", exp: now - 60 }, TEST_SECRET, "HS256");
  tokens.forgedAdmin = await sign({ kind: "agent", sub: "x", role: "admin", exp: now + 600 }, "some-other-secret-of-enough-length-000000", "HS256");
  tokens.forgedVisitor = await sign({ kind: "visitor", sub: "x", site: "y", exp: now + 600 }, "some-other-secret-of-enough-length-000000", "HS256");
});
afterAll(() => api?.stop());

const concrete = (path: string) =>
  path.replace("{number}", ticketNumber).replace("{slug}", "reset-your-password").replace("{id}", "00000000-0000-0000-0000-000000000000").replace("{deliveryId}", "1").replace("{name}", "auto-close");

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

