import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";

/** The page and language a visitor opened a ticket from, as the agent sees them (and the visitor does not). */
let api: RunningApi;
let client: ApiClient;
let admin: string;

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  admin = (await client.login(ADMIN.email)).token;
});
afterAll(() => api?.stop());

describe("a ticket's page and locale", () => {
  it("keeps the page's origin and path (no query, fragment or credentials) and the language tag, for agents only", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token, { pageUrl: "https://user:pw@shop.example/orders/42?reset=secret-token#step=2", locale: "fr-CA" });
    expect(JSON.stringify(ticket)).not.toContain("shop.example");
    const seen = await client.call("GET", `/v1/agent/tickets/${ticket.number}`, { token: admin });
    expect(seen.body.customer).toMatchObject({ pageUrl: "https://shop.example/orders/42", locale: "fr-CA" });
    const queue = await client.call("GET", `/v1/agent/tickets?q=${ticket.number}`, { token: admin });
    expect(queue.body.items[0].customer).toMatchObject({ pageUrl: "https://shop.example/orders/42", locale: "fr-CA" });
    expect(JSON.stringify(seen.body)).not.toContain("secret-token");
  });

  it("answers null for both when the visitor sent neither", async () => {
    const visitor = await client.visitor();
    const ticket = await client.ticket(visitor.token);
    expect((await client.call("GET", `/v1/agent/tickets/${ticket.number}`, { token: admin })).body.customer).toMatchObject({ pageUrl: null, locale: null });
  });

  it("refuses a page that is not http(s) and a locale that is not a language tag", async () => {
    const visitor = await client.visitor();
    for (const body of [{ pageUrl: "javascript:alert(1)" }, { pageUrl: "data:text/html,<b>x</b>" }, { pageUrl: `https://shop.example/${"a".repeat(2100)}` }, { locale: "<script>" }, { locale: "en_US" }]) {
      const res = await client.call("POST", "/v1/tickets", { token: visitor.token, body: { subject: "Bad context", description: "x", ...body } });
      expect([JSON.stringify(body).slice(0, 40), res.status, res.body.error.code]).toEqual([JSON.stringify(body).slice(0, 40), 400, "validation_failed"]);
    }
  });
});
