import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

/**
 * Routing over HTTP on a real server and file: automatic sites route each new ticket inside
 * its creation, manual ones leave it in the queue, the route endpoint routes on demand, a
 * ticket nobody can take waits unassigned and the team is told, and an agent going away hands
 * its tickets back where the site says so.
 */
let api: RunningApi;
let client: ApiClient;
let receiver: WebhookReceiver;
let admin: string;
let categoryId: string;
let departmentId: string;
const PASSWORD = "routing-agent-password";

interface Site {
  id: string;
  key: string;
}
interface Agent {
  id: string;
  /** Only for the agents who act themselves: logins are rate-limited, so the others are set up by the admin. */
  token: string;
}

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function site(fields: Record<string, unknown>): Promise<Site> {
  const res = await client.call("POST", "/v1/admin/sites", { token: admin, body: { name: `Routing ${stamp()}`, ...fields } });
  expect(res.status).toBe(201);
  return { id: res.body.id, key: res.body.key };
}

async function agent(siteIds: string[], fields: Record<string, unknown> = {}, options: { login?: true; status?: string } = {}): Promise<Agent> {
  const email = `r-${stamp()}@parley.test`;
  const created = await client.createAgent(admin, { email, password: PASSWORD, siteIds, departmentId, ...fields });
  const status = await client.call("PATCH", `/v1/admin/agents/${created.id}`, { token: admin, body: { status: options.status ?? "available" } });
  expect(status.status).toBe(200);
  return { id: created.id, token: options.login ? (await client.login(email, PASSWORD)).token : "" };
}

/** A visitor's new ticket, as the team sees it right after (the visitor's answer shows no assignee). */
async function ticketOn(target: Site, fields: Record<string, unknown> = {}) {
  const visitor = await client.visitor(target.key);
  const created = await client.ticket(visitor.token, { category: categorySlug, ...fields });
  return { number: created.number, assigneeId: (await stored(created.number)).assigneeId };
}

const history = async (number: string) =>
  (await client.call("GET", `/v1/agent/tickets/${number}/history`, { token: admin })).body.items as { type: string; actorType: string; actorId: string | null; data: Record<string, unknown> }[];
const stored = async (number: string) => (await client.call("GET", `/v1/agent/tickets/${number}`, { token: admin })).body as { assigneeId: string | null; status: string };

let categorySlug: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  api = await startApi({ env: { PARLEY_WEBHOOKS_ALLOW_PRIVATE: "1" } });
  client = apiClient(api.url);
  admin = (await client.login(ADMIN.email)).token;
  const department = await client.call("POST", "/v1/admin/departments", { token: admin, body: { name: `Routing ${stamp()}` } });
  departmentId = department.body.id;
  categorySlug = `routing-${stamp()}`;
  const category = await client.call("POST", "/v1/admin/categories", { token: admin, body: { slug: categorySlug, name: "Routing", departmentId } });
  expect(category.status).toBe(201);
  categoryId = category.body.id;
});
afterAll(async () => {
  await api?.stop();
  await receiver?.stop();
});

describe("site and agent settings", () => {
  it("sites are manual unless told otherwise; routing and releaseOnAway are validated", async () => {
    const created = await client.call("POST", "/v1/admin/sites", { token: admin, body: { name: `Defaults ${stamp()}` } });
    expect(created.body).toMatchObject({ routing: "manual", releaseOnAway: false });
    const changed = await client.call("PATCH", `/v1/admin/sites/${created.body.id}`, { token: admin, body: { routing: "automatic" } });
    expect(changed.body).toMatchObject({ routing: "automatic", releaseOnAway: false });
    for (const body of [{ routing: "sometimes" }, { releaseOnAway: "yes" }]) {
      const refused = await client.call("PATCH", `/v1/admin/sites/${created.body.id}`, { token: admin, body });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("validation_failed");
    }
  });

  it("agents carry skills (category ids, each once, known ones only)", async () => {
    const target = await site({});
    const member = await agent([target.id]);
    const set = await client.call("PATCH", `/v1/admin/agents/${member.id}`, { token: admin, body: { skills: [categoryId] } });
    expect(set.status).toBe(200);
    expect(set.body.skills).toEqual([categoryId]);
    const unknown = await client.call("PATCH", `/v1/admin/agents/${member.id}`, { token: admin, body: { skills: [categoryId, "no-such-category"] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "skills.1", message: "unknown category" }] });
    const twice = await client.call("PATCH", `/v1/admin/agents/${member.id}`, { token: admin, body: { skills: [categoryId, categoryId] } });
    expect(twice.status).toBe(400);
    expect((await client.call("GET", `/v1/admin/agents/${member.id}`, { token: admin })).body.skills).toEqual([categoryId]);

    // A deleted category leaves nobody's skills.
    const doomed = await client.call("POST", "/v1/admin/categories", { token: admin, body: { slug: `doomed-${stamp()}`, name: "Doomed" } });
    await client.call("PATCH", `/v1/admin/agents/${member.id}`, { token: admin, body: { skills: [doomed.body.id, categoryId] } });
    expect((await client.call("DELETE", `/v1/admin/categories/${doomed.body.id}`, { token: admin })).status).toBe(200);
    expect((await client.call("GET", `/v1/admin/agents/${member.id}`, { token: admin })).body.skills).toEqual([categoryId]);
  });
});

describe("routing on creation", () => {
  it("an automatic site gives each new ticket to the least loaded member, taking turns, audited as the system's assignment", async () => {
    const target = await site({ routing: "automatic" });
    const team = [await agent([target.id]), await agent([target.id]), await agent([target.id])];
    // Of another tier, away, or skilled in another category: never chosen.
    await agent([target.id], { tier: 2 });
    await agent([target.id], {}, { status: "away" });
    const otherCategory = await client.call("POST", "/v1/admin/categories", { token: admin, body: { slug: `other-${stamp()}`, name: "Other", departmentId } });
    await agent([target.id], { skills: [otherCategory.body.id] });

    const tickets = [];
    for (let n = 0; n < 6; n++) tickets.push(await ticketOn(target, { subject: `Routed ${n}` }));
    const assignees = tickets.map((ticket) => ticket.assigneeId);
    const teamIds = team.map((member) => member.id);
    for (const id of assignees) expect(teamIds).toContain(id);
    // Two each: the loads never differ by more than one.
    for (const id of teamIds) expect(assignees.filter((assignee) => assignee === id)).toHaveLength(2);
    expect(new Set(assignees.slice(0, 3)).size).toBe(3);

    const events = (await history(tickets[0]!.number)).filter((event) => event.type === "assigned");
    expect(events).toEqual([expect.objectContaining({ actorType: "system", actorId: null, data: { from: null, to: assignees[0] } })]);
    expect((await stored(tickets[0]!.number)).assigneeId).toBe(assignees[0]);
  });

  it("routes the contact form's ticket too", async () => {
    const target = await site({ routing: "automatic" });
    const member = await agent([target.id]);
    const res = await client.call("POST", "/v1/contact", { site: target.key, body: { name: "Cora", email: "cora@example.com", subject: "Routed contact", message: "Hello there" } });
    expect(res.status).toBe(201);
    const [row] = (await client.call("GET", `/v1/agent/tickets?q=${encodeURIComponent("Routed contact")}&limit=10`, { token: admin })).body.items;
    expect(row).toMatchObject({ source: "contact", assigneeId: member.id });
  });

  it("a manual site leaves the new ticket in the queue", async () => {
    const target = await site({});
    await agent([target.id]);
    const ticket = await ticketOn(target);
    expect(ticket.assigneeId).toBeNull();
    expect((await history(ticket.number)).some((event) => event.type === "assigned")).toBe(false);
  });

  it("with no candidate the ticket waits unassigned and the site's webhooks hear ticket.unrouted", async () => {
    const target = await site({ routing: "automatic" });
    await agent([target.id], {}, { status: "busy" });
    const endpoint = await client.call("POST", "/v1/admin/webhooks", { token: admin, body: { siteId: target.id, url: `${receiver.url}/unrouted`, events: ["ticket.unrouted"] } });
    expect(endpoint.status).toBe(201);
    receiver.useSecret(endpoint.body.secret);
    const before = receiver.received.filter((request) => request.path === "/unrouted").length;

    const ticket = await ticketOn(target);
    expect(ticket.assigneeId).toBeNull();
    const unrouted = () => receiver.received.filter((request) => request.path === "/unrouted");
    // Checked before each wait: the delivery may have arrived before the ticket's answer did.
    while (unrouted().length < before + 1) await receiver.waitFor(receiver.received.length + 1);
    const deliveries = unrouted();
    expect(deliveries).toHaveLength(before + 1);
    const delivery = deliveries.at(-1)!;
    expect(delivery.verifyError).toBeNull();
    expect(JSON.parse(delivery.body)).toMatchObject({ type: "ticket.unrouted", data: { ticket: { number: ticket.number, assigneeId: null }, reason: "no agent available" } });
    expect((await stored(ticket.number)).assigneeId).toBeNull();
  });
});

describe("POST /v1/agent/tickets/:number/route", () => {
  it("routes a waiting ticket on demand, refuses an assigned or finished one, and answers why when nobody can take it", async () => {
    const target = await site({});
    const caller = await agent([target.id], {}, { login: true });
    const ticket = await ticketOn(target);
    const route = (number: string) => client.call("POST", `/v1/agent/tickets/${number}/route`, { token: caller.token });

    const routed = await route(ticket.number);
    expect(routed.status).toBe(200);
    expect(routed.body).toMatchObject({ assigneeId: caller.id, reason: null, ticket: { number: ticket.number, assigneeId: caller.id } });
    const again = await route(ticket.number);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");

    await client.call("PATCH", "/v1/agent/me", { token: caller.token, body: { status: "busy" } });
    const waiting = await ticketOn(target);
    const nobody = await route(waiting.number);
    expect(nobody.status).toBe(200);
    expect(nobody.body).toMatchObject({ assigneeId: null, reason: "no agent available", ticket: { assigneeId: null } });

    expect((await client.call("POST", `/v1/agent/tickets/${waiting.number}/close`, { token: caller.token, body: {} })).status).toBe(200);
    const closed = await route(waiting.number);
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe("illegal_transition");
    expect((await route("TKT-2026-999999")).status).toBe(404);
  });

  it("routes many through the bulk action, one result per ticket", async () => {
    const target = await site({});
    const members = [await agent([target.id], {}, { login: true }), await agent([target.id])];
    const waiting = [await ticketOn(target), await ticketOn(target), await ticketOn(target), await ticketOn(target)];
    const res = await client.call("POST", "/v1/agent/tickets/bulk", { token: members[0]!.token, body: { action: "route", numbers: waiting.map((ticket) => ticket.number) } });
    expect(res.status).toBe(200);
    expect(res.body.succeeded).toBe(4);
    const assignees = res.body.results.map((result: { ticket: { assigneeId: string } }) => result.ticket.assigneeId);
    for (const member of members) expect(assignees.filter((id: string) => id === member.id)).toHaveLength(2);
  });
});

describe("going away", () => {
  it("hands the agent's unfinished tickets back on sites that say so, routed again on automatic ones; other sites keep them", async () => {
    const releasing = await site({ routing: "automatic", releaseOnAway: true });
    const keeping = await site({ routing: "automatic" });
    const leaver = await agent([releasing.id, keeping.id], {}, { login: true });
    const held = [await ticketOn(releasing), await ticketOn(releasing)];
    const kept = await ticketOn(keeping);
    for (const ticket of [...held, kept]) expect(ticket.assigneeId).toBe(leaver.id);
    const resolved = await ticketOn(releasing);
    expect((await client.call("POST", `/v1/agent/tickets/${resolved.number}/resolve`, { token: leaver.token, body: {} })).status).toBe(200);
    const colleague = await agent([releasing.id]);

    expect((await client.call("PATCH", "/v1/agent/me", { token: leaver.token, body: { status: "away" } })).status).toBe(200);
    for (const ticket of held) {
      expect((await stored(ticket.number)).assigneeId).toBe(colleague.id);
      const moves = (await history(ticket.number)).filter((event) => event.type === "assigned").map((event) => ({ actor: event.actorType, data: event.data }));
      expect(moves.slice(-2)).toEqual([
        { actor: "agent", data: { from: leaver.id, to: null } },
        { actor: "system", data: { from: null, to: colleague.id } },
      ]);
    }
    expect((await stored(kept.number)).assigneeId).toBe(leaver.id);
    // A resolved ticket is finished work: it stays with whoever resolved it.
    expect((await stored(resolved.number)).assigneeId).toBe(leaver.id);
  });

  it("an admin setting the agent away hands the tickets back exactly as the agent's own status change does, audited as the admin's", async () => {
    const releasing = await site({ routing: "automatic", releaseOnAway: true });
    const manual = await site({ releaseOnAway: true });
    const keeping = await site({ routing: "automatic" });
    const leaver = await agent([releasing.id, manual.id, keeping.id]);
    const held = [await ticketOn(releasing), await ticketOn(releasing)];
    const kept = await ticketOn(keeping);
    for (const ticket of [...held, kept]) expect(ticket.assigneeId).toBe(leaver.id);
    const queued = await ticketOn(manual);
    const assigned = await client.call("POST", `/v1/agent/tickets/${queued.number}/assign`, { token: admin, body: { agentId: leaver.id } });
    expect(assigned.status).toBe(200);
    const colleague = await agent([releasing.id]);
    const adminId = (await client.call("GET", "/v1/agent/me", { token: admin })).body.id as string;

    const away = await client.call("PATCH", `/v1/admin/agents/${leaver.id}`, { token: admin, body: { status: "away" } });
    expect([away.status, away.body.status]).toEqual([200, "away"]);
    for (const ticket of held) {
      expect((await stored(ticket.number)).assigneeId).toBe(colleague.id);
      const moves = (await history(ticket.number)).filter((event) => event.type === "assigned").map((event) => ({ actor: event.actorType, id: event.actorId, data: event.data }));
      expect(moves.slice(-2)).toEqual([
        { actor: "agent", id: adminId, data: { from: leaver.id, to: null } },
        { actor: "system", id: null, data: { from: null, to: colleague.id } },
      ]);
    }
    // A manual site's ticket goes back to its queue; a site without releaseOnAway keeps it with the agent.
    expect((await stored(queued.number)).assigneeId).toBeNull();
    expect((await stored(kept.number)).assigneeId).toBe(leaver.id);
    // Setting away again changes nothing more.
    const again = await client.call("PATCH", `/v1/admin/agents/${leaver.id}`, { token: admin, body: { status: "away" } });
    expect(again.status).toBe(200);
    expect((await history(held[0]!.number)).filter((event) => event.type === "assigned")).toHaveLength(3);
  });
});

describe("deactivation", () => {
  it("routes the released tickets again at once on automatic sites, audited and announced; a manual site's wait in its queue", async () => {
    const automatic = await site({ routing: "automatic" });
    const manual = await site({});
    const leaver = await agent([automatic.id, manual.id]);
    const held = [await ticketOn(automatic), await ticketOn(automatic)];
    for (const ticket of held) expect(ticket.assigneeId).toBe(leaver.id);
    const queued = await ticketOn(manual);
    expect((await client.call("POST", `/v1/agent/tickets/${queued.number}/assign`, { token: admin, body: { agentId: leaver.id } })).status).toBe(200);
    const colleague = await agent([automatic.id]);
    const endpoint = await client.call("POST", "/v1/admin/webhooks", { token: admin, body: { siteId: automatic.id, url: `${receiver.url}/deactivated`, events: ["ticket.assigned"] } });
    receiver.useSecret(endpoint.body.secret);

    const res = await client.call("DELETE", `/v1/admin/agents/${leaver.id}`, { token: admin });
    expect(res.status).toBe(200);
    for (const ticket of held) {
      expect((await stored(ticket.number)).assigneeId).toBe(colleague.id);
      const moves = (await history(ticket.number)).filter((event) => event.type === "assigned").map((event) => ({ actor: event.actorType, data: event.data }));
      expect(moves.slice(-2)).toEqual([
        { actor: "agent", data: { from: leaver.id, to: null, reason: "agent deactivated" } },
        { actor: "system", data: { from: null, to: colleague.id } },
      ]);
    }
    expect((await stored(queued.number)).assigneeId).toBeNull();
    // The site's webhooks hear both moves of each ticket: handed back, then routed.
    const heard = () =>
      receiver.received.filter((request) => request.path === "/deactivated").map((request) => JSON.parse(request.body) as { data: { ticket: { number: string }; from: string | null; to: string | null } });
    while (heard().length < 4) await receiver.waitFor(receiver.received.length + 1);
    for (const ticket of held) {
      const moves = heard().filter((body) => body.data.ticket.number === ticket.number).map((body) => [body.data.from, body.data.to]);
      expect(moves).toEqual([[leaver.id, null], [null, colleague.id]]);
    }
  });

  it("routes the tickets an agent leaves behind on a site it is taken off, at once on an automatic site", async () => {
    const automatic = await site({ routing: "automatic" });
    const other = await site({ routing: "automatic" });
    const leaver = await agent([automatic.id, other.id]);
    const held = await ticketOn(automatic);
    const kept = await ticketOn(other);
    expect([held.assigneeId, kept.assigneeId]).toEqual([leaver.id, leaver.id]);
    const colleague = await agent([automatic.id]);

    const res = await client.call("DELETE", `/v1/admin/agents/${leaver.id}/sites/${automatic.id}`, { token: admin });
    expect(res.status).toBe(200);
    expect((await stored(held.number)).assigneeId).toBe(colleague.id);
    expect((await stored(kept.number)).assigneeId).toBe(leaver.id);
    const moves = (await history(held.number)).filter((event) => event.type === "assigned").map((event) => ({ actor: event.actorType, data: event.data }));
    expect(moves.slice(-2)).toEqual([
      { actor: "agent", data: { from: leaver.id, to: null, reason: "agent removed from the site" } },
      { actor: "system", data: { from: null, to: colleague.id } },
    ]);
  });

  it("with nobody left to take them, the tickets wait unassigned and the team hears ticket.unrouted", async () => {
    const automatic = await site({ routing: "automatic" });
    const leaver = await agent([automatic.id]);
    const ticket = await ticketOn(automatic);
    expect(ticket.assigneeId).toBe(leaver.id);
    await agent([automatic.id], {}, { status: "busy" });
    const endpoint = await client.call("POST", "/v1/admin/webhooks", { token: admin, body: { siteId: automatic.id, url: `${receiver.url}/nobody`, events: ["ticket.unrouted"] } });
    receiver.useSecret(endpoint.body.secret);

    const res = await client.call("PATCH", `/v1/admin/agents/${leaver.id}`, { token: admin, body: { active: false } });
    expect(res.status).toBe(200);
    expect((await stored(ticket.number)).assigneeId).toBeNull();
    while (!receiver.received.some((request) => request.path === "/nobody")) await receiver.waitFor(receiver.received.length + 1);
    const [delivery] = receiver.received.filter((request) => request.path === "/nobody");
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: "ticket.unrouted", data: { ticket: { number: ticket.number, assigneeId: null }, reason: "no agent available" } });
  });
});
