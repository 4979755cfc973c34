import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParleyError, createAgentClient, createClient, memoryStore, type ParleyAgentClient } from "@parley/sdk";
import { AGENT_PASSWORD, startApi, type RunningApi } from "../support/server.js";

/** The assistant through the SDK: a question in a ticket, "talk to a person", and the agent's view of it. */
let api: RunningApi;
let ada: ParleyAgentClient;

beforeAll(async () => {
  api = await startApi({ runtime: "node" });
  ada = await createAgentClient({ baseUrl: api.url, credentials: { email: "ada@parley.test", password: AGENT_PASSWORD } });
});
afterAll(() => api?.stop());

describe("assistant through the SDK", () => {
  it("answers with citations in the ticket, hands off on request, and the agent sees the whole transcript and the suggestions", async () => {
    const parley = createClient({ baseUrl: api.url, siteKey: "pk_demo", storage: memoryStore() });
    const ticket = await parley.tickets.create({ subject: "Password", description: "Help" });
    const answer = await parley.assistant.query({ question: "I forgot my login and can't get in", ticket: ticket.number });
    expect(answer.handoff).toBe(false);
    expect(answer.citations[0]?.slug).toBe("reset-your-password");
    const handed = await parley.tickets.handoff(ticket.number);
    expect(handed.number).toBe(ticket.number);
    const transcript = await ada.tickets.messages(ticket.number, { after: 0 });
    expect(transcript.items.map((m) => m.senderType)).toEqual(["customer", "bot", "system"]);
    const assist = await ada.tickets.assist(ticket.number);
    expect(assist.articles[0]?.slug).toBe("reset-your-password");
    const refused = await parley.assistant.query({ question: "" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ParleyError);
    expect((refused as ParleyError).status).toBe(400);
  });
});
