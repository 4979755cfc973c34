import { createClient, type Client, type Transaction } from "@libsql/client";
import { createTableRelationsHelpers, extractTablesRelationalConfig, type ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle, LibSQLSession, LibSQLTransaction, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { fileURLToPath } from "node:url";
import { createFileClient } from "./file-connections.js";
import * as schema from "./schema.js";
import type { Executor } from "./statement.js";

type Schema = typeof schema;
export type Orm = LibSQLDatabase<Schema>;
export type Tx = LibSQLTransaction<Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can read: the handle itself or an open transaction. */
export type Reader = Orm | Tx;

/**
 * The database handle the whole server shares.
 * Reads go straight to `orm`. Writes go through `write()`, which runs them in one
 * transaction behind an in-process lock: an embedded libSQL file has a single writer,
 * and its driver blocks the event loop while it waits for a lock, so two of our own
 * transactions must never contend inside SQLite.
 */
export interface Database {
  orm: Orm;
  client: Client;
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): void;
}

export interface DatabaseOptions {
  authToken?: string;
  /** Called with every statement an embedded database runs (tests count them; see file-connections.ts). */
  onStatement?: (sql: string) => void;
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

// Where each reader's statements run: the handle's go to the pool, a write's to its own connection.
const executors = new WeakMap<Reader, Executor>();

/** The connection a compiled statement (statement.ts) runs on for this reader. */
export function executorOf(reader: Reader): Executor {
  const executor = executors.get(reader);
  if (!executor) throw new Error("this reader was not opened by openDatabase()");
  return executor;
}

export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Database> {
  const isFile = url.startsWith("file:");
  // A file gets a client whose every pooled connection carries the PRAGMAs (file-connections.ts).
  const client = isFile ? createFileClient(url, { onStatement: options.onStatement }) : createClient({ url, authToken: options.authToken, timeout: 5_000 });
  if (!isFile) await client.execute("PRAGMA foreign_keys = ON");
  const orm = drizzle(client, { schema });
  executors.set(orm, client);
  await migrate(orm, { migrationsFolder });

  // The transaction drizzle's own `orm.transaction()` would build, but built here so that
  // compiled statements can run on the same connection (executorOf).
  const dialect = new SQLiteAsyncDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables as ExtractTablesWithRelations<Schema>, tableNamesMap: tables.tableNamesMap };
  async function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const connection: Transaction = await client.transaction("write");
    try {
      const tx: Tx = new LibSQLTransaction("async", dialect, new LibSQLSession(client, dialect, relational, {}, connection), relational);
      executors.set(tx, connection);
      const result = await work(tx);
      await connection.commit();
      return result;
    } finally {
      // After a commit this only hands the connection back; otherwise it rolls back first.
      connection.close();
    }
  }

  let tail: Promise<unknown> = Promise.resolve();
  return {
    orm,
    client,
    write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      const run = tail.then(() => transaction(work));
      // The lock passes on whether this write commits or fails; the caller still sees the failure.
      tail = run.catch(() => undefined);
      return run;
    },
    close: () => client.close(),
  };
}
