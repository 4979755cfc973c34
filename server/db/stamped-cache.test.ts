import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client.js";
import { createStampedCache } from "./stamped-cache.js";

const dir = mkdtempSync(join(tmpdir(), "parley-stamped-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the change stamp", () => {
  it("moves on this process's commits and on another process's, and not on reads", async () => {
    const file = join(dir, "stamp.db");
    const db = await openDatabase(`file:${file}`);
    try {
      const first = db.changeStamp()!;
      await db.orm.run("select 1");
      expect(db.changeStamp()).toBe(first);
      await db.write(async (tx) => void (await tx.run("create table if not exists probe (x)")));
      const afterOwn = db.changeStamp()!;
      expect(afterOwn).not.toBe(first);
      // Another client on the same file stands for another process (a CLI command).
      const other = createClient({ url: `file:${file}` });
      await other.execute("insert into probe values (1)");
      other.close();
      expect(db.changeStamp()).not.toBe(afterOwn);
    } finally {
      db.close();
    }
  });
});

describe("createStampedCache", () => {
  it("answers the kept value under the same stamp, reads again under another, keeps nothing without one", async () => {
    const cache = createStampedCache<number>(2);
    let reads = 0;
    const read = async () => ++reads;
    expect(await cache.remember("a", 1, read)).toBe(1);
    expect(await cache.remember("a", 1, read)).toBe(1);
    expect(await cache.remember("a", 2, read)).toBe(2);
    expect(await cache.remember("a", null, read)).toBe(3);
    expect(await cache.remember("a", null, read)).toBe(4);
    await cache.remember("b", 2, read);
    await cache.remember("c", 2, read);
    expect(cache.size).toBe(2);
  });

  it("keeps nothing when the read fails", async () => {
    const cache = createStampedCache<number>(2);
    await expect(cache.remember("a", 1, async () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(cache.size).toBe(0);
  });
});
