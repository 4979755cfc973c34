import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { fileURLToPath } from "node:url";
import * as schema from "./schema.js";

export type Orm = LibSQLDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Orm["transaction"]>[0]>[0];
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

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export async function openDatabase(url: string, options: { authToken?: string } = {}): Promise<Database> {
  const isFile = url.startsWith("file:");
  const client = createClient({ url, authToken: options.authToken, timeout: 5_000 });
  if (isFile) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const orm = drizzle(client, { schema });
  await migrate(orm, { migrationsFolder });

  let tail: Promise<unknown> = Promise.resolve();
  return {
    orm,
    client,
    write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      const run = tail.then(() => orm.transaction(work, { behavior: "immediate" }));
      // The lock passes on whether this write commits or fails; the caller still sees the failure.
      tail = run.catch(() => undefined);
      return run;
    },
    close: () => client.close(),
  };
}
