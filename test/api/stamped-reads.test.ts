import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, clientId, type ApiClient } from "../support/client.js";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";

/**
 * The ticket read, the queue page and the callers' rows are kept while the database stays as
 * it was (server/db/stamped-cache.ts). Each test reads twice to fill the cache, changes the
 * database (through the API, or behind its back as another process would), and expects the
 * very next read to show the change.
 */
let api: RunningApi;
let client: ApiClient;
let agentToken: string;

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  agentToken = (await client.login("ada@parley.test")).token;
});
afterAll(() => api?.stop());

describe("reads kept while nothing changes", () => {
  it("a visitor's ticket read shows the agent's reply at once", async () => {
    const { token } = await client.visitor();
    const ticket = await client.ticket(token);
    const path = `/v1/tickets/${ticket.number}`;
    const before = await client.call("GET", path, { token });
    expect((await client.call("GET", path, { token })).body).toEqual(before.body);
    const reply = await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token: agentToken, body: { body: "Here to help.", clientId: clientId() } });
    expect(reply.status).toBe(201);
    const after = await client.call("GET", path, { token });
    expect(after.body.messageCount).toBe(before.body.messageCount + 1);
    expect(after.body.unreadCount).toBe(before.body.unreadCount + 1);
  });

  it("a kept answer is never given to another visitor", async () => {
    const owner = await client.visitor();
    const ticket = await client.ticket(owner.token);
    const path = `/v1/tickets/${ticket.number}`;
    expect((await client.call("GET", path, { token: owner.token })).status).toBe(200);
    const stranger = await client.visitor();
    expect((await client.call("GET", path, { token: stranger.token })).status).toBe(403);
  });

  it("the queue page and the agent's own row follow a change another process commits", async () => {
    const { token } = await client.visitor();
    const ticket = await client.ticket(token, { subject: "Kept queue probe" });
    const queue = () => client.call("GET", "/v1/agent/tickets?status=open&limit=100", { token: agentToken });
    const listed = async () => (await queue()).body.items.some((item: { number: string }) => item.number === ticket.number);
    expect(await listed()).toBe(true);
    expect(await listed()).toBe(true);
    // A CLI command or a second server writes the file without this server's write queue.
    const other = createClient({ url: `file:${api.dbFile}` });
    try {
      // The server writes on its own too (search indexing, checkpoints): wait for its lock as it waits for ours.
      await other.execute("PRAGMA busy_timeout = 5000");
      await other.execute({ sql: "update tickets set status = 'pending_customer' where number = ?", args: [ticket.number] });
      expect(await listed()).toBe(false);
      const admin = (await client.login(ADMIN.email)).token;
      expect((await client.call("GET", "/v1/agent/tickets?limit=1", { token: admin })).status).toBe(200);
      await other.execute({ sql: "update agents set active = 0 where email = ?", args: [ADMIN.email] });
      expect((await client.call("GET", "/v1/agent/tickets?limit=1", { token: admin })).status).toBe(401);
    } finally {
      other.close();
    }
  });
});
