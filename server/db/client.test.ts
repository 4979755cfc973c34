import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./client.js";
import { departments } from "./schema.js";

const dirs: string[] = [];
const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let lastUrl = "";
async function database(onStatement?: (sql: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), "parley-client-"));
  dirs.push(dir);
  lastUrl = `file:${join(dir, "parley.db")}`;
  const db = await openDatabase(lastUrl, { onStatement });
  opened.push(db);
  return db;
}

const addDepartment = (db: Database, name: string) =>
  db.write(async (tx) => {
    const [row] = await tx.insert(departments).values({ id: crypto.randomUUID(), name, createdAt: Date.now() }).returning();
    return row!.name;
  });

describe("database writes", () => {
  it("commits writes queued together in one transaction, and undoes a failing one alone", async () => {
    const statements: string[] = [];
    const db = await database((sql) => statements.push(sql.split(/\s+/)[0]!.toUpperCase()));
    await addDepartment(db, "Taken");
    statements.length = 0;

    const names = ["A", "B", "Taken", "C", "D"];
    const outcomes = await Promise.allSettled(names.map((name) => addDepartment(db, name)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    const stored = await db.orm.select({ name: departments.name }).from(departments).orderBy(departments.name);
    expect(stored.map((row) => row.name)).toEqual(["A", "B", "C", "D", "Taken"]);
    // Writes queued behind a running one share a commit: fewer transactions than writes, each write in a savepoint.
    const begins = statements.filter((verb) => verb === "BEGIN").length;
    expect(begins).toBeGreaterThanOrEqual(1);
    expect(begins).toBeLessThan(names.length);
    expect(statements.filter((verb) => verb === "COMMIT")).toHaveLength(begins);
    expect(statements.filter((verb) => verb === "SAVEPOINT").length).toBeGreaterThanOrEqual(names.length - 1);
  });

  it("answers a write only after its commit, and a failed lone write stores nothing", async () => {
    const db = await database();
    await expect(
      db.write(async (tx) => {
        await tx.insert(departments).values({ id: crypto.randomUUID(), name: "Half", createdAt: Date.now() });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db.orm.select().from(departments)).toEqual([]);

    const name = await addDepartment(db, "Whole");
    // Another connection to the file sees it as soon as the write answers: it had committed.
    const other = createClient({ url: lastUrl });
    try {
      expect((await other.execute("SELECT name FROM departments")).rows.map((row) => row.name)).toEqual([name]);
    } finally {
      other.close();
    }
  });
});
