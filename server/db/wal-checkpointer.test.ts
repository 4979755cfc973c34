import type { Client } from "@libsql/client";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./client.js";
import { BUSY_TIMEOUT_MS, createFileClient } from "./file-connections.js";
import { startWalCheckpointer, type WalCheckpointer } from "./wal-checkpointer.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function databaseFile() {
  const dir = mkdtempSync(join(tmpdir(), "parley-checkpoints-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "test.db");
}

/** Commits `count` transactions of a few pages each: enough WAL frames for a checkpoint to copy. */
async function writeSome(client: Client, count: number) {
  await client.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)");
  for (let i = 0; i < count; i++) {
    const tx = await client.transaction("write");
    await tx.execute({ sql: "INSERT INTO notes (body) VALUES (?), (?)", args: ["x".repeat(3000), "y".repeat(3000)] });
    await tx.commit();
  }
}

describe("WAL checkpoints on a worker thread", () => {
  it("copies every committed frame back into the database file, off the committing thread", async () => {
    const file = databaseFile();
    const client = createFileClient(`file:${file}`, { autoCheckpoint: false });
    cleanups.push(() => client.close());
    let fallbacks = 0;
    const checkpointer = startWalCheckpointer(file, { busyTimeoutMs: BUSY_TIMEOUT_MS, fallback: async () => void (fallbacks += 1) });
    expect(checkpointer).not.toBeNull();
    cleanups.push(() => checkpointer!.close());
    const sizeBefore = statSync(file).size;

    await writeSome(client, 200);
    // Without automatic checkpoints nothing has reached the database file yet.
    expect(statSync(file).size).toBe(sizeBefore);
    checkpointer!.committed();
    const result = await checkpointer!.settled();

    expect(result).not.toBeNull();
    expect(result!.busy).toBe(0);
    expect(result!.log).toBeGreaterThan(200);
    expect(result!.checkpointed).toBe(result!.log);
    expect(statSync(file).size).toBeGreaterThan(sizeBefore + 200 * 6000);
    expect(fallbacks).toBe(0);
    expect(Number((await client.execute("SELECT count(*) FROM notes")).rows[0]![0])).toBe(400);
  });

  it("lets its thread go when no commit comes, and starts another with the next one", async () => {
    const file = databaseFile();
    const client = createFileClient(`file:${file}`, { autoCheckpoint: false });
    cleanups.push(() => client.close());
    const changes: string[] = [];
    let stopped = () => {};
    const checkpointer = startWalCheckpointer(file, {
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      idleMs: 1,
      fallback: async () => {
        throw new Error("no fallback expected");
      },
      onWorker: (change) => {
        changes.push(change);
        if (change === "stopped") stopped();
      },
    });
    cleanups.push(() => checkpointer!.close());
    for (const round of [1, 2]) {
      const gone = new Promise<void>((resolve) => (stopped = resolve));
      await writeSome(client, 20);
      checkpointer!.committed();
      const result = await checkpointer!.settled();
      expect(result!.checkpointed).toBe(result!.log);
      await gone;
      expect(changes).toEqual(Array(round).fill(["started", "stopped"]).flat());
    }
  });

  it("falls back to checkpoints on the calling thread when the worker cannot run", async () => {
    let fallbacks = 0;
    const failures: string[] = [];
    // A directory that does not exist: the worker's connection cannot open.
    const checkpointer: WalCheckpointer | null = startWalCheckpointer(join(databaseFile(), "missing", "test.db"), {
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      fallback: async () => void (fallbacks += 1),
      log: (message) => void failures.push(message),
    });
    cleanups.push(() => checkpointer!.close());
    checkpointer!.committed();
    await checkpointer!.settled();
    expect(fallbacks).toBe(1);
    expect(failures.join("\n")).toMatch(/checkpoint worker/);
    checkpointer!.committed();
    await checkpointer!.settled();
    expect(fallbacks).toBe(2);
  });

  it("holds writes for the next checkpoint once the WAL is longer than the limit, and the WAL then starts afresh", async () => {
    const file = databaseFile();
    const client = createFileClient(`file:${file}`, { autoCheckpoint: false });
    cleanups.push(() => client.close());
    let holds = 0;
    let holding = false;
    const checkpointer = startWalCheckpointer(file, {
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      maxWalFrames: 64,
      pauseWrites: async () => {
        holds += 1;
        holding = true;
        return () => void (holding = false);
      },
      fallback: async () => {
        throw new Error("no fallback expected");
      },
    });
    cleanups.push(() => checkpointer!.close());

    // A long WAL, checkpointed with writes free: copied, but nothing makes it start afresh yet.
    await writeSome(client, 40);
    checkpointer!.committed();
    const first = await checkpointer!.settled();
    expect(first!.log).toBeGreaterThan(64);
    expect(holds).toBe(0);

    // The next checkpoint comes with writes held, as the WAL is past the limit.
    await writeSome(client, 1);
    checkpointer!.committed();
    const held = await checkpointer!.settled();
    expect(holds).toBe(1);
    expect(holding).toBe(false);
    expect(held!.checkpointed).toBe(held!.log);

    // Nothing wrote meanwhile, so the next write starts the WAL from its first frame.
    await writeSome(client, 1);
    checkpointer!.committed();
    const after = await checkpointer!.settled();
    expect(after!.log).toBeLessThan(first!.log);
    expect(after!.log).toBeLessThanOrEqual(64);
    expect(holds).toBe(1);
  });

  it("is what an embedded database uses by default: its connections leave checkpoints to the worker", async () => {
    const db: Database = await openDatabase(`file:${databaseFile()}`);
    cleanups.push(() => db.close());
    const tx = await db.client.transaction("deferred");
    try {
      expect(Number((await tx.execute("PRAGMA wal_autocheckpoint")).rows[0]![0])).toBe(0);
    } finally {
      tx.close();
    }
    const inCommit = await openDatabase(`file:${databaseFile()}`, { walCheckpoints: "in-commit" });
    cleanups.push(() => inCommit.close());
    expect(Number((await inCommit.client.execute("PRAGMA wal_autocheckpoint")).rows[0]![0])).toBe(1000);
  });
});
