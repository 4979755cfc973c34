import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";

/** The visitor's side of finishing a ticket, and the priority a visitor may ask for, on the real API. */
let api: RunningApi;
let client: ApiClient;
let receiver: WebhookReceiver;
let agent: { token: string };

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  api = await startApi({ env: { PARLEY_WEBHOOKS_ALLOW_PRIVATE: "1" } });
  client = apiClient(api.url);
  const admin = await client.login(ADMIN.email);
  const sites = await client.call("GET", "/v1/admin/sites?limit=100", { token: admin.token });
  const siteId = sites.body.items.find((s: { key: string }) => s.key === "pk_demo").id;
  const endpoint = await client.call("POST", "/v1/admin/webhooks", { token: admin.token, body: { siteId, url: `${receiver.url}/parley`, events: ["ticket.closed"] } });
  expect(endpoint.status).toBe(201);
  receiver.useSecret(endpoint.body.secret);
  agent = await client.login("ada@parley.test");
});
afterAll(async () => {
  await api?.stop();
  await receiver?.stop();
});

const history = async (number: string) => (await client.call("GET", `/v1/agent/tickets/${number}/history`, { token: agent.token })).body.items as { type: string; actorType: string; actorId: string | null; data: Record<string, unknown> }[];

describe("a visitor", () => {
  it("asking for urgent gets high, and the team may still raise it", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token, { priority: "urgent" });
    expect(ticket.priority).toBe("high");
    expect((await history(ticket.number))[0]).toMatchObject({ type: "created", data: { priority: "high" } });
    const raised = await client.call("PATCH", `/v1/agent/tickets/${ticket.number}`, { token: agent.token, body: { priority: "urgent" } });
    expect(raised.body.priority).toBe("urgent");
  });

  it("closes their own ticket once resolved, audited as the customer and announced; before that it is 409", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    const close = (token: string) => client.call("POST", `/v1/tickets/${ticket.number}/close`, { token });

    const early = await close(visitor.token);
    expect([early.status, early.body.error.code]).toEqual([409, "illegal_transition"]);
    expect(early.body.error.details).toEqual({ from: "open", to: "closed" });
    expect((await client.call("GET", `/v1/tickets/${ticket.number}`, { token: visitor.token })).body.status).toBe("open");

    await client.call("POST", `/v1/agent/tickets/${ticket.number}/resolve`, { token: agent.token, body: { note: "Reinstalled" } });
    const stranger = await client.visitor();
    expect((await close(stranger.token)).status).toBe(403);

    const closed = await close(visitor.token);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ number: ticket.number, status: "closed" });
    expect((await history(ticket.number)).at(-1)).toMatchObject({ type: "status_changed", actorType: "customer", actorId: visitor.visitorId, data: { from: "resolved", to: "closed" } });
    // Announced like any close: the site's webhook hears ticket.closed, signed.
    await receiver.waitFor(1);
    expect(receiver.received.map((hook) => hook.verified)).toEqual([expect.objectContaining({ type: "ticket.closed", data: expect.objectContaining({ ticket: expect.objectContaining({ number: ticket.number, status: "closed" }) }) })]);

    const again = await close(visitor.token);
    expect([again.status, again.body.error.code]).toEqual([409, "illegal_transition"]);
  });
});
