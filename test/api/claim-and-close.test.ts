import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../protocol/index.js";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { startApi, type RunningApi } from "../support/server.js";

/**
 * Two agent actions over HTTP: claiming a ticket from the queue (one winner among concurrent
 * claimers, audited as an assignment) and closing with a message the customer receives.
 */
let api: RunningApi;
let client: ApiClient;
let ada: { token: string; agentId: string };
let sam: { token: string; agentId: string };

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  ada = await client.login("ada@parley.test");
  sam = await client.login("sam@parley.test");
});
afterAll(() => api?.stop());

const claim = (number: string, token: string) => client.call("POST", `/v1/agent/tickets/${number}/claim`, { token });
const history = async (number: string) =>
  (await client.call("GET", `/v1/agent/tickets/${number}/history`, { token: ada.token })).body.items as { type: string; actorType: string; actorId: string | null; data: Record<string, unknown> }[];

describe("POST /v1/agent/tickets/:number/claim", () => {
  it("gives an unassigned ticket to the caller, audited as an assignment; another claimer gets 409 in the error shape", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    const taken = await claim(ticket.number, ada.token);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ number: ticket.number, assigneeId: ada.agentId });

    // Claiming what is already yours changes nothing and records nothing.
    expect((await claim(ticket.number, ada.token)).body.assigneeId).toBe(ada.agentId);
    const refused = await claim(ticket.number, sam.token);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: "conflict", message: "another agent has this ticket" } });

    const assigned = (await history(ticket.number)).filter((event) => event.type === "assigned");
    expect(assigned).toHaveLength(1);
    expect(assigned[0]).toMatchObject({ actorType: "agent", actorId: ada.agentId, data: { from: null, to: ada.agentId } });
    const mine = await client.call("GET", "/v1/agent/tickets?assignee=me", { token: ada.token });
    expect(mine.body.items.map((t: { number: string }) => t.number)).toContain(ticket.number);
  });

  it("of two concurrent claims exactly one wins, and the ticket is the winner's", async () => {
    const visitor = await client.visitor();
    for (let round = 0; round < 5; round++) {
      const ticket = await client.ticket(visitor.token, { subject: `Race ${round}` });
      const replies = await Promise.all([claim(ticket.number, ada.token), claim(ticket.number, sam.token)]);
      const statuses = replies.map((reply) => reply.status).sort();
      expect(statuses).toEqual([200, 409]);
      const winner = replies.find((reply) => reply.status === 200)!.body.assigneeId;
      const stored = await client.call("GET", `/v1/agent/tickets/${ticket.number}`, { token: ada.token });
      expect(stored.body.assigneeId).toBe(winner);
      expect((await history(ticket.number)).filter((event) => event.type === "assigned")).toHaveLength(1);
    }
  });

  it("answers 404 for a ticket that does not exist, and 409 for a closed one", async () => {
    const unknown = await claim("TKT-2026-999999", ada.token);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    const malformed = await claim("not-a-number", ada.token);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("validation_failed");

    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    expect((await client.call("POST", `/v1/agent/tickets/${ticket.number}/close`, { token: sam.token, body: {} })).status).toBe(200);
    const closed = await claim(ticket.number, ada.token);
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe("illegal_transition");
  });
});

describe("POST /v1/agent/tickets/:number/close with a note", () => {
  it("posts the note as the agent's message the customer sees, numbered in the customer's seq, then closes", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    await client.call("POST", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token, body: { body: "still broken", clientId: clientId() } });
    await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: ada.token, body: { body: "note: fixed in 2.4", clientId: clientId(), internal: true } });

    const closed = await client.call("POST", `/v1/agent/tickets/${ticket.number}/close`, { token: ada.token, body: { note: "  Fixed in version 2.4; closing this now.  " } });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("closed");

    const seen = (await client.call("GET", `/v1/tickets/${ticket.number}/messages?after=0`, { token: visitor.token })).body.items as Message[];
    expect(seen.map((m) => [m.seq, m.senderType, m.body])).toEqual([
      [1, "customer", "still broken"],
      [2, "agent", "Fixed in version 2.4; closing this now."],
    ]);
    expect(seen[1]!.senderName).toBe("Ada Tier-One");
    const team = (await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: ada.token })).body.items as Message[];
    expect(team.map((m) => [m.seq, m.internal])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);

    const events = await history(ticket.number);
    const message = events.findIndex((event) => event.type === "message" && event.data.seq === 3);
    const closing = events.findIndex((event) => event.type === "status_changed" && event.data.to === "closed");
    expect(message).toBeGreaterThan(-1);
    expect(closing).toBeGreaterThan(message);
    expect(events[closing]!.data.note).toBe("Fixed in version 2.4; closing this now.");
  });

  it("a refused close posts nothing; a close without a note, or a blank one, posts no message", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    expect((await client.call("POST", `/v1/agent/tickets/${ticket.number}/close`, { token: ada.token, body: { note: "   " } })).status).toBe(200);
    const again = await client.call("POST", `/v1/agent/tickets/${ticket.number}/close`, { token: ada.token, body: { note: "once more" } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("illegal_transition");
    const seen = await client.call("GET", `/v1/tickets/${ticket.number}/messages?after=0`, { token: visitor.token });
    expect(seen.body.items).toEqual([]);
  });
});
