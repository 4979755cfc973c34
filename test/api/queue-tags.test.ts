import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";

/** GET /v1/agent/tickets?tag=…: the queue of tickets carrying one tag, with the other filters, paging and the agent's sites. */
let api: RunningApi;
let client: ApiClient;
let admin: string;
const numbers: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  admin = (await client.login(ADMIN.email)).token;
  const tagged: Array<[string, string[], string]> = [
    ["refund-a", ["refund", "vip"], "high"],
    ["refund-b", ["refund"], "normal"],
    ["vip-only", ["vip"], "normal"],
    ["untagged", [], "normal"],
    // A tag that merely contains another is another tag.
    ["refunds", ["refunds"], "normal"],
  ];
  for (const [name, tags, priority] of tagged) {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token, { subject: `Tagged ${name}` });
    const res = await client.call("PATCH", `/v1/agent/tickets/${ticket.number}`, { token: admin, body: { tags: tags.length ? tags : undefined, priority } });
    expect(res.status, name).toBe(200);
    numbers[name] = ticket.number;
  }
});
afterAll(() => api?.stop());

const queue = async (query: string, token = admin) => {
  const res = await client.call("GET", `/v1/agent/tickets?${query}`, { token });
  expect(res.status, query).toBe(200);
  return res.body as { items: Array<{ number: string; tags: string[] }>; nextCursor: string | null };
};

describe("the queue's tag filter", () => {
  it("answers exactly the tickets carrying the tag, under every order", async () => {
    for (const sort of ["-created", "created", "-updated", "priority", "due"]) {
      const page = await queue(`tag=refund&limit=100&sort=${sort}`);
      expect(page.items.map((ticket) => ticket.number).sort(), sort).toEqual([numbers["refund-a"], numbers["refund-b"]].sort());
      expect(page.items.every((ticket) => ticket.tags.includes("refund"))).toBe(true);
    }
    expect((await queue("tag=vip&limit=100")).items.map((ticket) => ticket.number).sort()).toEqual([numbers["refund-a"], numbers["vip-only"]].sort());
    // Tags are stored lowercased, so any case finds them.
    expect((await queue("tag=REFUND&limit=100")).items.map((ticket) => ticket.number).sort()).toEqual([numbers["refund-a"], numbers["refund-b"]].sort());
    expect((await queue("tag=refunds&limit=100")).items.map((ticket) => ticket.number)).toEqual([numbers["refunds"]]);
    expect((await queue("tag=nothing-has-this&limit=100")).items).toEqual([]);
  });

  it("combines with the other filters and pages by cursor", async () => {
    expect((await queue("tag=refund&priority=high&limit=100")).items.map((ticket) => ticket.number)).toEqual([numbers["refund-a"]]);
    expect((await queue("tag=refund&status=open&assignee=none&limit=100")).items).toHaveLength(2);
    expect((await queue(`tag=vip&q=${encodeURIComponent("Tagged vip")}&limit=100`)).items.map((ticket) => ticket.number)).toEqual([numbers["vip-only"]]);
    const first = await queue("tag=refund&limit=1");
    expect(first.items).toHaveLength(1);
    const second = await queue(`tag=refund&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items).toHaveLength(1);
    expect(new Set([first.items[0]!.number, second.items[0]!.number])).toEqual(new Set([numbers["refund-a"], numbers["refund-b"]]));
  });

  it("refuses a tag that no ticket could carry, in the one error shape", async () => {
    for (const bad of ["a,b", "", "x".repeat(41)]) {
      const res = await client.call("GET", `/v1/agent/tickets?tag=${encodeURIComponent(bad)}`, { token: admin });
      expect([bad, res.status, res.body.error.code]).toEqual([bad, 400, "validation_failed"]);
    }
  });

  it("shows an agent of another site none of these tickets", async () => {
    const other = await client.call("POST", "/v1/admin/sites", { token: admin, body: { name: "Tag Other Site" } });
    const stranger = await client.createAgent(admin, { email: "tags-stranger@parley.test", password: "stranger-password-123", siteIds: [other.body.id] });
    const { token } = await client.login(stranger.email, "stranger-password-123");
    expect((await queue("tag=refund&limit=100", token)).items).toEqual([]);
  });
});
