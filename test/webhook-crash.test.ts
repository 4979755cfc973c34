import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it, onTestFailed } from "vitest";
import { openDatabase } from "../server/db/client.js";
import { sites, webhookEndpoints } from "../server/db/schema.js";
import { newWebhookSecret } from "../server/delivery/webhooks/sign.js";
import { runCrashTrial, startOutboxServer, stopGracefully, type CrashSubject, type OutboxServerProcess } from "./support/crash-harness.js";
import { startReceiver } from "./support/delivery-receiver.js";

/**
 * The crash test with real webhooks: a server writing message announcements under load (room
 * entries, and webhook entries built by webhookEntries() for two endpoints) is killed with
 * SIGKILL several times between commit and delivery and restarted. The webhook channel signs
 * every request; the receiver verifies each with standardwebhooks' Webhook.verify and
 * processes each `webhook-id` once. In the end every committed entry reached it, none twice.
 */
const dir = mkdtempSync(join(tmpdir(), "parley-webhook-crash-"));
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("webhooks under kill -9", () => {
  it("every committed event reaches its endpoint, signed, and is processed once by webhook-id", async () => {
    const url = `file:${join(dir, "crash.db")}`;
    const db = await openDatabase(url);
    cleanups.push(() => db.close());

    const secrets = new Map<string, string>();
    const endpointOf = (path: string | undefined) => (path ?? "").split("/").pop() ?? "";
    const receiver = await startReceiver({
      holdMs: 10,
      failureRate: 0.05,
      // Room entries reach the same receiver unsigned at "/" (the harness's stand-in for the rooms); webhooks at /hooks/<endpoint>.
      targetOf: (request, body) => (request.url?.startsWith("/hooks/") ? `webhook:${endpointOf(request.url)}` : (body.target ?? "")),
      verify: (request, raw) => {
        if (!request.url?.startsWith("/hooks/")) return;
        const secret = secrets.get(endpointOf(request.url));
        if (!secret) throw new Error(`no endpoint at ${request.url}`);
        const header = (name: string) => String(request.headers[name] ?? "");
        new Webhook(secret).verify(raw, { "webhook-id": header("webhook-id"), "webhook-timestamp": header("webhook-timestamp"), "webhook-signature": header("webhook-signature") });
      },
    });
    cleanups.push(() => receiver.close());

    const siteId = "site-crash";
    await db.write(async (tx) => {
      await tx.insert(sites).values({ id: siteId, publicKey: "pk_crash", name: "Crash", identitySecret: "x" });
      for (const id of ["endpoint-a", "endpoint-b"]) {
        const secret = newWebhookSecret();
        secrets.set(id, secret);
        await tx.insert(webhookEndpoints).values({ id, siteId, url: `${receiver.url}/hooks/${id}`, events: ["message.created"], secret });
      }
    });

    const incarnations: OutboxServerProcess[] = [];
    onTestFailed(() => console.error(incarnations.map((p) => p.output().replace(/^wrote \d+\n/gm, "")).join("\n--- restart ---\n")));
    const keyOf = (row: { id: number; channel: string }) => (row.channel === "webhook" ? `msg_${row.id}` : String(row.id));
    const subject: CrashSubject = {
      async start(_round, final) {
        const server = await startOutboxServer({
          DATABASE_URL: url,
          RECEIVER_URL: receiver.url,
          OUTBOX_OWNER: "api-1",
          OUTBOX_WRITES: final ? "0" : "forever",
          OUTBOX_TARGETS: "3",
          OUTBOX_WEBHOOK_SITE: siteId,
        });
        incarnations.push(server);
        cleanups.push(() => stopGracefully(server.child));
        return server.child;
      },
      loaded: (_child, round) => incarnations.at(-1)!.wrote(15 + 10 * round),
      async committed() {
        const rows = await db.orm.all<{ id: number; channel: string }>(sql`SELECT id, channel FROM outbox ORDER BY id`);
        return rows.map(keyOf);
      },
      async undelivered() {
        const row = await db.orm.all<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND channel = 'webhook'`);
        return Number(row[0]!.n);
      },
    };
    const processed = (key: string) => [...receiver.processedOrder.values()].reduce((n, keys) => n + keys.filter((k) => k === key).length, 0);
    const report = await runCrashTrial(subject, receiver, { kills: 3, processed });

    const rows = await db.orm.all<{ id: number; channel: string; target: string }>(sql`SELECT id, channel, target FROM outbox ORDER BY id`);
    const webhookRows = rows.filter((row) => row.channel === "webhook");
    expect(webhookRows.length).toBeGreaterThanOrEqual(2 * (15 + 25 + 35));
    expect(new Set(webhookRows.map((row) => row.target))).toEqual(new Set(["endpoint-a", "endpoint-b"]));
    expect(report.undeliveredAtKill.some((n) => n > 0)).toBe(true); // kills fell between commit and delivery
    expect(report.missing).toEqual([]);
    expect(report.processedTwice).toEqual([]);
    expect(receiver.refused).toEqual([]);
    // Each endpoint processed its events in the order they were committed, across the crashes.
    for (const endpoint of ["endpoint-a", "endpoint-b"]) {
      expect(receiver.processedOrder.get(`webhook:${endpoint}`)).toEqual(webhookRows.filter((row) => row.target === endpoint).map(keyOf));
    }
    console.log(`webhook crash trial: ${JSON.stringify({ ...report, missing: report.missing.length, processedTwice: report.processedTwice.length })}`);
  }, 240_000);
});
