import { createClient, type Client, type Transaction } from "@libsql/client";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUSY_TIMEOUT_MS, createFileClient, filePath } from "./file-connections.js";

const dirs: string[] = [];
const clients: Client[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function databaseUrl() {
  const dir = mkdtempSync(join(tmpdir(), "parley-connections-"));
  dirs.push(dir);
  return `file:${join(dir, "test.db")}`;
}

const one = async (runner: Client | Transaction, sql: string) => (await runner.execute(sql)).rows[0]?.[0];

/** Opens `count` transactions at once (each owns a connection until it settles) and reads a PRAGMA in each. */
async function pragmaOnEveryConnection(client: Client, count: number, pragma: string) {
  const open = await Promise.all(Array.from({ length: count }, () => client.transaction("deferred")));
  try {
    // A temp table lives on its connection only: each transaction seeing just its own proves they are `count` connections.
    await Promise.all(open.map((tx, i) => tx.execute(`CREATE TEMP TABLE marker_${i} (x)`)));
    const markers = await Promise.all(open.map(async (tx) => (await tx.execute("SELECT name FROM temp.sqlite_master")).rows.map((row) => row.name)));
    expect(markers).toEqual(open.map((_, i) => [`marker_${i}`]));
    return await Promise.all(open.map((tx) => one(tx, `PRAGMA ${pragma}`)));
  } finally {
    for (const tx of open) tx.close();
  }
}

describe("file client connections", () => {
  it("every pooled connection runs with the same PRAGMAs", async () => {
    const client = createFileClient(databaseUrl(), { maxConnections: 5 });
    clients.push(client);
    expect(await pragmaOnEveryConnection(client, 5, "synchronous")).toEqual([1, 1, 1, 1, 1]);
    expect(await pragmaOnEveryConnection(client, 5, "foreign_keys")).toEqual([1, 1, 1, 1, 1]);
    expect(await pragmaOnEveryConnection(client, 5, "busy_timeout")).toEqual(Array(5).fill(BUSY_TIMEOUT_MS));
    expect(await pragmaOnEveryConnection(client, 5, "journal_mode")).toEqual(Array(5).fill("wal"));
    expect(await pragmaOnEveryConnection(client, 5, "wal_autocheckpoint")).toEqual(Array(5).fill(1000));
  });

  it("leaves checkpoints to someone else on every connection when told to", async () => {
    const client = createFileClient(databaseUrl(), { maxConnections: 4, autoCheckpoint: false });
    clients.push(client);
    expect(await pragmaOnEveryConnection(client, 4, "wal_autocheckpoint")).toEqual([0, 0, 0, 0]);
  });

  it("plain queries around open transactions see the same settings", async () => {
    const client = createFileClient(databaseUrl());
    clients.push(client);
    await client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    const write = await client.transaction("write");
    try {
      await write.execute("INSERT INTO notes (body) VALUES ('held')");
      // While the write holds its connection, these run on another one.
      const settings = await Promise.all(Array.from({ length: 20 }, (_, i) => one(client, i % 2 ? "PRAGMA synchronous" : "PRAGMA foreign_keys")));
      expect(settings).toEqual(Array(20).fill(1));
      expect(await one(write, "PRAGMA synchronous")).toBe(1);
      await write.commit();
    } finally {
      write.close();
    }
  });

  it("the driver's own pool misses them (the cause this client fixes)", async () => {
    const plain = createClient({ url: databaseUrl() });
    clients.push(plain);
    await plain.execute("PRAGMA synchronous = NORMAL");
    const values = await pragmaOnEveryConnection(plain, 3, "synchronous");
    expect(values).toContain(2); // FULL on the connections opened later
  });

  it("reuses prepared statements without mixing up results or errors", async () => {
    const seen: string[] = [];
    const client = createFileClient(databaseUrl(), { onStatement: (sql) => seen.push(sql) });
    clients.push(client);
    await client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT UNIQUE)");
    const insert = "INSERT INTO notes (body) VALUES (?) RETURNING id, body";
    expect((await client.execute({ sql: insert, args: ["a"] })).rows[0]).toMatchObject({ id: 1, body: "a" });
    await expect(client.execute({ sql: insert, args: ["a"] })).rejects.toThrow(/UNIQUE/);
    // The statement that just failed runs again, with new values, on the same cached statement.
    expect((await client.execute({ sql: insert, args: ["b"] })).rows[0]).toMatchObject({ id: 2, body: "b" });
    const select = "SELECT * FROM notes ORDER BY id";
    expect((await client.execute(select)).rows.map((row) => row.body)).toEqual(["a", "b"]);
    expect((await client.execute("UPDATE notes SET body = 'c' WHERE id = 2")).rowsAffected).toBe(1);

    // A schema change retires cached statements, so `SELECT *` shows the new column.
    await client.execute("ALTER TABLE notes ADD COLUMN tag TEXT");
    expect((await client.execute(select)).columns).toEqual(["id", "body", "tag"]);
    expect(seen.filter((sql) => sql === insert)).toHaveLength(3);
  });

  it("keeps at most the configured number of statements per connection", async () => {
    const client = createFileClient(databaseUrl(), { statementCacheSize: 2 });
    clients.push(client);
    for (let i = 0; i < 10; i++) expect(await one(client, `SELECT ${i}`)).toBe(i);
    expect(await one(client, "SELECT 0")).toBe(0);
  });

  it("answers one row or a count of changes, and a first-row read leaves no read open behind it", async () => {
    const url = databaseUrl();
    const client = createFileClient(url, { maxConnections: 1 });
    clients.push(client);
    await client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT UNIQUE)");
    const insert = "INSERT INTO notes (body) VALUES (?) ON CONFLICT DO NOTHING";
    expect(await client.runChanges(insert, ["a"])).toBe(1);
    expect(await client.runChanges(insert, ["a"])).toBe(0);
    // More rows than the driver buffers at a time (100), so a statement left on its first row stays open.
    expect(await client.runChanges("WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO notes (body) SELECT 'n' || i FROM n", [])).toBe(299);
    expect(await client.readRow("SELECT id, body FROM notes ORDER BY id", [])).toEqual([1, "a"]);
    expect(await client.readRow("SELECT id FROM notes WHERE body = ?", ["none"])).toBeUndefined();

    // Another process writes and checkpoints the whole WAL away: it could not, were this
    // client's only connection still inside a read, and this client would not see the row.
    const other = createClient({ url });
    clients.push(other);
    await other.execute("PRAGMA busy_timeout = 5000");
    await other.execute("INSERT INTO notes (body) VALUES ('c')");
    expect(await one(other, "PRAGMA wal_checkpoint(TRUNCATE)")).toBe(0); // not blocked by a reader
    expect(await client.readRow("SELECT count(*) FROM notes", [])).toEqual([301]);

    const write = await client.transaction("write");
    try {
      expect(await write.runChanges("UPDATE notes SET body = body || '!' WHERE id <= ?", [2])).toBe(2);
      expect(await write.readRow("SELECT body FROM notes WHERE id = ?", [1])).toEqual(["a!"]);
      await write.commit();
    } finally {
      write.close();
    }
    expect(await client.readRows("SELECT body FROM notes WHERE id <= 2 ORDER BY id", [])).toEqual([["a!"], ["n2!"]]);
  });

  it("reads file: URLs the way libSQL does", () => {
    expect(filePath("file:./data/parley.db")).toBe("./data/parley.db");
    expect(filePath("file:/var/lib/parley.db")).toBe("/var/lib/parley.db");
    expect(filePath("file:///var/lib/parley.db")).toBe("/var/lib/parley.db");
    expect(filePath("file://localhost/var/lib/parley.db")).toBe("/var/lib/parley.db");
    expect(() => filePath("file://elsewhere/x.db")).toThrow(/no host/);
    expect(() => filePath("file:x.db?mode=ro")).toThrow(/no parameters/);
    expect(() => createFileClient("file::memory:")).toThrow(/database file/);
  });
});
