import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";

let api: RunningApi;
let client: ApiClient;
let admin: { token: string };
let siteId: string;

beforeAll(async () => {
  api = await startApi({ env: { PARLEY_JOBS: "off" } });
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
  const created = await client.call("POST", "/v1/admin/sites", { token: admin.token, body: { name: "Usage Tenant" } });
  siteId = created.body.id;
});
afterAll(() => api?.stop());

const DAY = 86_400_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

describe("the ai-usage job", () => {
  it("sums a site's tokens per UTC day from the log and flags the day over three times the trailing mean", async () => {
    // A week at 100 tokens a day (two interactions of 50), then today at 400 in four.
    const today = Date.now();
    const db = createClient({ url: `file:${api.dbFile}` });
    try {
      for (let back = 7; back >= 0; back--) {
        const at = Date.UTC(new Date(today - back * DAY).getUTCFullYear(), new Date(today - back * DAY).getUTCMonth(), new Date(today - back * DAY).getUTCDate(), 0, 30);
        const count = back === 0 ? 4 : 2;
        for (let i = 0; i < count; i++) {
          await db.execute({
            sql: "insert into assistant_interactions (id, site_id, provider, model, prompt, response, citations, latency_ms, confidence, tokens_in, tokens_out, handoff, created_at) values (?, ?, 'openai-compatible', 'm', 'q', 'a', '[]', 5, 0.9, 30, 20, 0, ?)",
            args: [`usage-${back}-${i}`, siteId, at + i],
          });
        }
      }
    } finally {
      db.close();
    }
    const run = await client.call("POST", "/v1/admin/jobs/ai-usage/run", { token: admin.token });
    expect(run.body).toMatchObject({ status: "succeeded", itemsFailed: 0 });
    const usage = await client.call("GET", `/v1/admin/assistant/usage?siteId=${siteId}`, { token: admin.token });
    expect(usage.status).toBe(200);
    const newest = usage.body.items[0];
    expect(newest).toMatchObject({ day: dayOf(today), tokens: 200, interactions: 4, trailingMean: 100, anomaly: false });
    const older = usage.body.items.find((d: { day: string }) => d.day === dayOf(today - DAY));
    expect(older).toMatchObject({ tokens: 100, interactions: 2, anomaly: false });

    // Two more interactions of 200 tokens today: 600 > 3 × 100.
    const again = createClient({ url: `file:${api.dbFile}` });
    try {
      for (const id of ["spike-1", "spike-2"]) {
        await again.execute({
          sql: "insert into assistant_interactions (id, site_id, provider, model, prompt, response, citations, latency_ms, confidence, tokens_in, tokens_out, handoff, created_at) values (?, ?, 'openai-compatible', 'm', 'q', 'a', '[]', 5, 0.9, 150, 50, 0, ?)",
          args: [id, siteId, Date.UTC(new Date(today).getUTCFullYear(), new Date(today).getUTCMonth(), new Date(today).getUTCDate(), 0, 45)],
        });
      }
    } finally {
      again.close();
    }
    expect((await client.call("POST", "/v1/admin/jobs/ai-usage/run", { token: admin.token })).body.status).toBe("succeeded");
    const flagged = await client.call("GET", `/v1/admin/assistant/usage?siteId=${siteId}&limit=2`, { token: admin.token });
    expect(flagged.body.items).toHaveLength(2);
    expect(flagged.body.items[0]).toMatchObject({ day: dayOf(today), tokens: 600, interactions: 6, trailingMean: 100, anomaly: true });
    // A rerun rewrites the same days, it adds none.
    const all = await client.call("GET", `/v1/admin/assistant/usage?siteId=${siteId}&limit=400`, { token: admin.token });
    expect(new Set(all.body.items.map((d: { day: string }) => d.day)).size).toBe(all.body.items.length);
  });
});
