import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFailed } from "vitest";
import { openDatabase } from "../server/db/client.js";
import { runCrashTrial, startOutboxServer, stopGracefully, type CrashSubject, type OutboxServerProcess } from "./support/crash-harness.js";
import { startReceiver } from "./support/delivery-receiver.js";

/**
 * kill -9 between commit and delivery: a server writing announcements under load is killed
 * several times while its receiver lags behind, restarted each time, and in the end every
 * committed entry has reached the receiver, which processed each exactly once.
 */
const dir = mkdtempSync(join(tmpdir(), "parley-outbox-crash-"));
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("the outbox under kill -9", () => {
  it("loses nothing that was committed, across several crashes and restarts", async () => {
    const url = `file:${join(dir, "crash.db")}`;
    const db = await openDatabase(url);
    cleanups.push(() => db.close());
    // Slow and sometimes failing: at each kill, committed entries are still on their way.
    const receiver = await startReceiver({ holdMs: 10, failureRate: 0.05 });
    cleanups.push(() => receiver.close());
    const incarnations: OutboxServerProcess[] = [];
    onTestFailed(() => console.error(incarnations.map((p) => p.output().replace(/^wrote \d+\n/gm, "")).join("\n--- restart ---\n")));

    const subject: CrashSubject = {
      async start(_round, final) {
        // The same owner id each time, as a restarted server has: it takes back its leases at once.
        const server = await startOutboxServer({ DATABASE_URL: url, RECEIVER_URL: receiver.url, OUTBOX_OWNER: "api-1", OUTBOX_WRITES: final ? "0" : "forever", OUTBOX_TARGETS: "4" });
        incarnations.push(server);
        cleanups.push(() => stopGracefully(server.child));
        return server.child;
      },
      loaded: (_child, round) => incarnations.at(-1)!.wrote(20 + 10 * round),
      async committed() {
        const rows = await db.orm.all<{ id: number }>(sql`SELECT id FROM outbox ORDER BY id`);
        return rows.map((row) => String(row.id));
      },
      async undelivered() {
        const row = await db.orm.all<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`);
        return Number(row[0]!.n);
      },
    };
    const processed = (key: string) => [...receiver.processedOrder.values()].reduce((n, keys) => n + keys.filter((k) => k === key).length, 0);
    const report = await runCrashTrial(subject, receiver, { kills: 4, processed });

    expect(report.committed).toBeGreaterThanOrEqual(3 * (20 + 30 + 40 + 50));
    expect(report.undeliveredAtKill.every((n) => n > 0)).toBe(true); // each kill really fell between commit and delivery
    expect(report.missing).toEqual([]);
    expect(report.processedTwice).toEqual([]);
    // Order per queue held across the crashes too.
    const rows = await db.orm.all<{ id: number; channel: string; target: string }>(sql`SELECT id, channel, target FROM outbox ORDER BY id`);
    const byQueue = new Map<string, string[]>();
    for (const row of rows) byQueue.set(`${row.channel}:${row.target}`, [...(byQueue.get(`${row.channel}:${row.target}`) ?? []), String(row.id)]);
    for (const [queue, ids] of byQueue) expect(receiver.processedOrder.get(queue)).toEqual(ids);
    console.log(`crash trial: ${JSON.stringify({ ...report, missing: report.missing.length, processedTwice: report.processedTwice.length })}`);
  }, 240_000);
});
