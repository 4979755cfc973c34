import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../server/db/client.js";
import { sites, webhookEndpoints } from "../server/db/schema.js";
import { createWebhookEndpointCache } from "../server/db/webhook-endpoint-cache.js";
import { apiClient, clientId, type ApiClient } from "./support/client.js";
import { ADMIN, startApi, type RunningApi } from "./support/server.js";
import { startWebhookReceiver } from "./support/webhook-receiver.js";

/**
 * Each server keeps the enabled webhook endpoints in memory and checks them against the
 * table's stamp inside every command. Two real API processes on one libSQL file: a change
 * made through one must reach the very next message written through the other.
 */
const dir = mkdtempSync(join(tmpdir(), "parley-endpoint-cache-"));
const dbFile = join(dir, "parley.db");
let db: Database;
let first: RunningApi;
let second: RunningApi;
let a: ApiClient;
let b: ApiClient;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let admin: string;
let siteId: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const env = { PARLEY_WEBHOOKS_ALLOW_PRIVATE: "1" };
  // One after the other: the first migrates and seeds the file, the second finds it ready.
  first = await startApi({ dbFile, env });
  second = await startApi({ dbFile, env });
  a = apiClient(first.url);
  b = apiClient(second.url);
  admin = (await a.login(ADMIN.email)).token;
  db = await openDatabase(`file:${dbFile}`);
  siteId = (await db.orm.select({ id: sites.id }).from(sites).where(sql`public_key = 'pk_demo'`))[0]!.id;
}, 90_000);
afterAll(async () => {
  db?.close();
  await Promise.all([first?.stop(), second?.stop()]);
  await receiver?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The webhook entries the outbox holds for an endpoint. */
const entriesFor = async (endpointId: string) =>
  (await db.orm.all<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE channel = 'webhook' AND target = ${endpointId}`)).map((row) => Number(row.n))[0]!;

async function visitorTicket(client: ApiClient) {
  const visitor = await client.visitor();
  const ticket = await client.ticket(visitor.token);
  const say = async (body: string) => {
    const res = await client.call("POST", `/v1/tickets/${ticket.number}/messages`, { token: visitor.token, body: { body, clientId: clientId() } });
    expect(res.status).toBe(201);
  };
  return { number: ticket.number, say };
}

describe("the in-memory copy of the webhook endpoints, over two API processes on one file", () => {
  it("an endpoint created through one server gets the very next message written through the other; disabled, it gets none", async () => {
    // Both servers copy "no endpoints" for the demo site first.
    const onA = await visitorTicket(a);
    const onB = await visitorTicket(b);
    await onA.say("before any endpoint");
    await onB.say("before any endpoint");

    const created = await a.call("POST", "/v1/admin/webhooks", { token: admin, body: { siteId, url: `${receiver.url}/hook`, events: ["message.created"] } });
    expect(created.status).toBe(201);
    const endpointId: string = created.body.id;
    receiver.useSecret(created.body.secret);
    expect(await entriesFor(endpointId)).toBe(0);

    await onB.say("the first message after the endpoint exists");
    expect(await entriesFor(endpointId)).toBe(1);
    await receiver.waitFor(1);
    expect(receiver.received[0]!.verifyError).toBeNull();
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: "message.created", data: { message: { body: "the first message after the endpoint exists" } } });
    await onA.say("and through the server that created it");
    expect(await entriesFor(endpointId)).toBe(2);

    // Disabled through the other server: neither writes an entry for it any more.
    const bAdmin = (await b.login(ADMIN.email)).token;
    expect((await b.call("PATCH", `/v1/admin/webhooks/${endpointId}`, { token: bAdmin, body: { enabled: false } })).status).toBe(200);
    await onA.say("after it was disabled");
    await onB.say("after it was disabled");
    expect(await entriesFor(endpointId)).toBe(2);

    // Enabled again by a writer that is no API server at all (SQL on the file, as a CLI would).
    await db.write((tx) => tx.update(webhookEndpoints).set({ enabled: true }).where(sql`id = ${endpointId}`));
    await onA.say("enabled again");
    expect(await entriesFor(endpointId)).toBe(3);

    // Deleted through the first server: the second stops addressing it at once.
    expect((await a.call("DELETE", `/v1/admin/webhooks/${endpointId}`, { token: admin })).status).toBe(200);
    await onB.say("after it was deleted");
    expect(await entriesFor(endpointId)).toBe(3);
  }, 60_000);

  it("a change rolled back is never remembered as committed", async () => {
    const copy = createWebhookEndpointCache();
    expect(await copy.enabledEndpoints(db.orm, siteId)).toEqual([]);
    const id = crypto.randomUUID();
    const rollback = new Error("rolled back on purpose");
    await expect(
      db.write(async (tx) => {
        await tx.insert(webhookEndpoints).values({ id, siteId, url: "https://hooks.example.com/in", events: ["message.created"], secret: "whsec_x" });
        // Inside the transaction the copy sees its uncommitted endpoint…
        expect((await copy.enabledEndpoints(tx, siteId)).map((endpoint) => endpoint.id)).toEqual([id]);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    // …and after the rollback, not any more.
    expect(await copy.enabledEndpoints(db.orm, siteId)).toEqual([]);
    // A later committed change (another endpoint) is read afresh, not confused with the rolled-back one.
    const kept = crypto.randomUUID();
    await db.write((tx) => tx.insert(webhookEndpoints).values({ id: kept, siteId, url: "https://hooks.example.com/kept", events: ["ticket.created"], secret: "whsec_y" }));
    expect(await copy.enabledEndpoints(db.orm, siteId)).toEqual([{ id: kept, events: ["ticket.created"] }]);
  });
});
