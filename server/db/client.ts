import { createClient, type Client, type Transaction } from "@libsql/client";
import { createTableRelationsHelpers, extractTablesRelationalConfig, type ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle, LibSQLSession, LibSQLTransaction, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { fileURLToPath } from "node:url";
import { BUSY_TIMEOUT_MS, createFileClient, FileClient, filePath } from "./file-connections.js";
import * as schema from "./schema.js";
import { rowsOf, type Executor } from "./statement.js";
import { startWalCheckpointer, workerCheckpointsSupported, type WalCheckpointer, type WalCheckpointerOptions } from "./wal-checkpointer.js";

type Schema = typeof schema;
export type Orm = LibSQLDatabase<Schema>;
export type Tx = LibSQLTransaction<Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can read: the handle itself or an open transaction. */
export type Reader = Orm | Tx;

/**
 * The database handle the whole server shares.
 * Reads go straight to `orm`. Writes go through `write()`, which runs each in a transaction
 * of this process's one write queue: an embedded libSQL file has a single writer, and its
 * driver blocks the event loop while it waits for a lock, so two of our own transactions
 * must never contend inside SQLite. A write resolves only after its transaction committed.
 */
export interface Database {
  orm: Orm;
  client: Client;
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A number that moves whenever anything commits to the database (`FileClient.changeStamp`),
   * read before the reads whose answer it vouches for; null where the server cannot know
   * (a remote database), so nothing may be kept on its word (stamped-cache.ts).
   */
  changeStamp(): number | null;
  close(): void;
}

export interface DatabaseOptions {
  authToken?: string;
  /** Called with every statement an embedded database runs (tests count them; see file-connections.ts). */
  onStatement?: (sql: string) => void;
  /**
   * Where an embedded database's WAL is checkpointed: on a worker thread, off the event loop
   * (the default where the runtime can: wal-checkpointer.ts), or inside commits as SQLite does.
   */
  walCheckpoints?: "worker" | "in-commit";
  /** Tuning of the worker's checkpoints (tests make them eager). */
  walCheckpointer?: Pick<WalCheckpointerOptions, "intervalMs" | "idleMs" | "maxWalFrames">;
}

interface PendingWrite {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A bound on how long the first write of a batch waits for the others' work. */
const MAX_WRITES_PER_COMMIT = 32;

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
  const checkpointOnWorker = isFile && (options.walCheckpoints ?? "worker") === "worker" && workerCheckpointsSupported();
  const client = isFile
    ? createFileClient(url, { onStatement: options.onStatement, autoCheckpoint: !checkpointOnWorker })
    : createClient({ url, authToken: options.authToken, timeout: 5_000 });
  // Writes held while the checkpointer catches up (see wal-checkpointer.ts), and the batch in progress.
  let held: Promise<void> | null = null;
  let inProgress: Promise<void> | null = null;
  const pauseWrites = async () => {
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    held = until;
    if (inProgress) await inProgress;
    return () => {
      if (held === until) held = null;
      release();
    };
  };
  const checkpointer: WalCheckpointer | null = checkpointOnWorker
    ? startWalCheckpointer(filePath(url), {
        ...options.walCheckpointer,
        busyTimeoutMs: BUSY_TIMEOUT_MS,
        pauseWrites,
        fallback: async () => void (await client.execute("PRAGMA wal_checkpoint(PASSIVE)")),
      })
    : null;
  if (!isFile) await client.execute("PRAGMA foreign_keys = ON");
  const orm = drizzle(client, { schema });
  executors.set(orm, client);
  await migrate(orm, { migrationsFolder });
  checkpointer?.committed();

  // The transaction drizzle's own `orm.transaction()` would build, but built here so that
  // compiled statements can run on the same connection (executorOf).
  const dialect = new SQLiteAsyncDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables as ExtractTablesWithRelations<Schema>, tableNamesMap: tables.tableNamesMap };
  const openTransaction = async () => {
    const connection: Transaction = await client.transaction("write");
    const tx: Tx = new LibSQLTransaction("async", dialect, new LibSQLSession(client, dialect, relational, {}, connection), relational);
    executors.set(tx, connection);
    return { connection, tx };
  };

  /**
   * Writes queued while one commits run together in the next transaction (group commit):
   * each in its own savepoint, so one that fails is undone alone and its caller sees the
   * error, and all of them are answered once the one COMMIT is done. Under load this writes
   * each shared page (the ticket's row, the messages index) once per batch instead of once
   * per write. A write that finds the queue empty runs alone, with no savepoint.
   */
  async function runBatch(batch: PendingWrite[]) {
    let opened: Awaited<ReturnType<typeof openTransaction>>;
    try {
      opened = await openTransaction();
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    const { connection, tx } = opened;
    // The savepoints on the lean path where there is one: the driver's execute() builds a result set for each.
    const mark = (sql: string) => rowsOf(connection, sql, []);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      if (batch.length === 1) {
        outcomes.push({ ok: true, value: await batch[0]!.work(tx) });
      } else {
        for (const write of batch) {
          await mark("SAVEPOINT parley_write");
          try {
            outcomes.push({ ok: true, value: await write.work(tx) });
          } catch (error) {
            await mark("ROLLBACK TO parley_write");
            outcomes.push({ ok: false, error });
          }
          await mark("RELEASE parley_write");
        }
      }
      await connection.commit();
      checkpointer?.committed();
    } catch (error) {
      // The batch did not commit (a lone write failed, or SQLite refused the transaction): nothing was stored.
      for (const write of batch) write.reject(error);
      return;
    } finally {
      // After a commit this only hands the connection back; otherwise it rolls back first.
      connection.close();
    }
    batch.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }

  const queue: PendingWrite[] = [];
  let draining = false;
  async function drain() {
    draining = true;
    try {
      while (queue.length > 0) {
        // The driver runs each statement synchronously, so no request is read while a batch
        // runs; one turn of the event loop lets the writes already on their way join this one.
        await new Promise((resolve) => setImmediate(resolve));
        while (held) await held;
        inProgress = runBatch(queue.splice(0, MAX_WRITES_PER_COMMIT));
        await inProgress;
        inProgress = null;
      }
    } finally {
      draining = false;
    }
  }

  return {
    orm,
    client,
    write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
    changeStamp: client instanceof FileClient ? () => client.changeStamp() : () => null,
    close: () => {
      void checkpointer?.close();
      client.close();
    },
  };
}
