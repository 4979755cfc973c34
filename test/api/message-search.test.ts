import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, AGENT_PASSWORD, startApi, type RunningApi } from "../support/server.js";
import { apiClient, clientId, type ApiClient } from "../support/client.js";

/** Agents search ticket messages and notes, only on the sites they work on; visitors cannot search. */
let api: RunningApi;
let client: ApiClient;
let admin: string;
let demoAgent: string;
let otherAgent: string;
let demoTicket: string;
let otherTicket: string;
let visitor: string;

const search = (token: string, q: string, extra = "") => client.call("GET", `/v1/agent/search/messages?q=${encodeURIComponent(q)}${extra}`, { token });
const numbers = (res: { body: any }) => res.body.items.map((hit: { ticketNumber: string }) => hit.ticketNumber);

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  admin = (await client.login(ADMIN.email)).token;
  const other = await client.call("POST", "/v1/admin/sites", { token: admin, body: { name: "Other Tenant" } });
  await client.createAgent(admin, { email: "demo-searcher@parley.test", password: AGENT_PASSWORD });
  await client.createAgent(admin, { email: "other-searcher@parley.test", password: AGENT_PASSWORD, siteIds: [other.body.id] });
  demoAgent = (await client.login("demo-searcher@parley.test")).token;
  otherAgent = (await client.login("other-searcher@parley.test")).token;

  visitor = (await client.visitor()).token;
  demoTicket = (await client.ticket(visitor, { subject: "Printer", description: "It broke." })).number;
  await client.call("POST", `/v1/tickets/${demoTicket}/messages`, { token: visitor, body: { body: "The quokkaprinter shows error 42 after the update.", clientId: clientId() } });
  const otherVisitor = (await client.visitor(other.body.key)).token;
  otherTicket = (await client.ticket(otherVisitor, { subject: "Other", description: "Jammed." })).number;
  await client.call("POST", `/v1/tickets/${otherTicket}/messages`, { token: otherVisitor, body: { body: "Our quokkaprinter jammed on the other site.", clientId: clientId() } });
  const note = await client.call("POST", `/v1/agent/tickets/${demoTicket}/messages`, { token: admin, body: { body: "Internal: quokkaprinter firmware is known broken", clientId: clientId(), internal: true } });
  if (note.status !== 201) throw new Error(`note failed: ${note.status} ${JSON.stringify(note.body)}`);
  for (let i = 0; i < 3; i++) {
    await client.call("POST", `/v1/tickets/${demoTicket}/messages`, { token: visitor, body: { body: `still waiting on the wombatqueue, try ${i}`, clientId: clientId() } });
  }
});
afterAll(() => api?.stop());

describe("message search", () => {
  it("finds messages and internal notes of the agent's own sites, newest first, with highlighted snippets", async () => {
    const res = await search(demoAgent, "quokkaprinter");
    expect(res.status).toBe(200);
    expect(numbers(res)).toEqual([demoTicket, demoTicket]);
    const [note, first] = res.body.items;
    expect(note).toMatchObject({ internal: true, senderType: "agent" });
    expect(first).toMatchObject({ internal: false, senderType: "customer" });
    expect(first.excerpt).toContain("**quokkaprinter**");
    const [[start, end]] = first.snippet.matches;
    expect(first.snippet.text.slice(start, end)).toBe("quokkaprinter");
    expect(first.messageId).toEqual(expect.any(String));
  });

  it("shows an agent of another site nothing of this one, and the admin everything", async () => {
    expect(numbers(await search(otherAgent, "quokkaprinter"))).toEqual([otherTicket]);
    expect(numbers(await search(otherAgent, "wombatqueue"))).toEqual([]);
    expect(new Set(numbers(await search(admin, "quokkaprinter")))).toEqual(new Set([demoTicket, otherTicket]));
  });

  it("matches the word being typed as a prefix", async () => {
    expect(numbers(await search(demoAgent, "wombatq"))).toHaveLength(3);
    expect(numbers(await search(demoAgent, "try wombatq"))).toHaveLength(3);
  });

  it("pages with a cursor, without repeats", async () => {
    const first = await search(demoAgent, "wombatqueue", "&limit=2");
    expect(first.body.items).toHaveLength(2);
    const second = await search(demoAgent, "wombatqueue", `&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((hit: { messageId: string }) => hit.messageId);
    expect(new Set(ids).size).toBe(3);
    expect(second.body.items[0].snippet.text).toContain("try 0");
  });

  it("is for agents only, and refuses bad input", async () => {
    expect((await search(visitor, "quokkaprinter")).status).toBe(401);
    expect((await client.call("GET", "/v1/agent/search/messages?q=quokkaprinter")).status).toBe(401);
    expect((await search(demoAgent, "")).status).toBe(400);
    expect((await search(demoAgent, "x", "&cursor=bm9wZQ")).status).toBe(400);
    const hostile = await search(demoAgent, '" OR * NEAR( ^');
    expect(hostile.status).toBe(200);
  });
});
