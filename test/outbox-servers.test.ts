import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFailed } from "vitest";
import { openDatabase, type Database } from "../server/db/client.js";
import { startOutboxServer, stopGracefully, type OutboxServerProcess } from "./support/crash-harness.js";
import { startReceiver, type DeliveryReceiver } from "./support/delivery-receiver.js";

/**
 * Two API servers on one database file, each writing announcements and running its own
 * dispatcher (child processes, as in production), against one flaky receiver.
 */
const dir = mkdtempSync(join(tmpdir(), "parley-outbox-servers-"));
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("two dispatchers on one database", () => {
  it("never deliver one entry at the same time, keep each queue in order, and together deliver all", async () => {
    const url = `file:${join(dir, "shared.db")}`;
    const db: Database = await openDatabase(url); // migrated once, before the servers start
    cleanups.push(() => db.close());
    const receiver: DeliveryReceiver = await startReceiver({ failureRate: 0.1, holdMs: 2 });
    cleanups.push(() => receiver.close());

    const servers: OutboxServerProcess[] = await Promise.all(
      ["server-a", "server-b"].map((owner) => startOutboxServer({ DATABASE_URL: url, RECEIVER_URL: receiver.url, OUTBOX_OWNER: owner, OUTBOX_WRITES: "40", OUTBOX_TARGETS: "5" })),
    );
    for (const server of servers) cleanups.push(() => stopGracefully(server.child));
    onTestFailed(() => console.error(servers.map((server) => server.output().replace(/^wrote \d+\n/gm, "")).join("\n---\n")));
    await Promise.all(servers.map((server) => server.written()));

    const rows = await db.orm.all<{ id: number; channel: string; target: string }>(sql`SELECT id, channel, target FROM outbox ORDER BY id`);
    expect(rows).toHaveLength(2 * 40 * 3);
    await receiver.until(rows.map((row) => String(row.id)));

    expect(receiver.concurrent).toEqual([]);
    expect([...receiver.counts.values()].every((n) => n === 1)).toBe(true); // no lease lapsed: nothing twice
    const byQueue = new Map<string, string[]>();
    for (const row of rows) byQueue.set(`${row.channel}:${row.target}`, [...(byQueue.get(`${row.channel}:${row.target}`) ?? []), String(row.id)]);
    for (const [queue, ids] of byQueue) expect(receiver.processedOrder.get(queue)).toEqual(ids);
    // Both really delivered, and the flaky answers really happened.
    const senders = new Set(receiver.accepted.map((r) => r.from));
    expect(senders).toEqual(new Set(["server-a", "server-b"]));
    expect(receiver.requests()).toBeGreaterThan(rows.length);
  }, 120_000);
});
