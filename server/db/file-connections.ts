import { ConnectionPool, LibsqlError, Sqlite3Client, Sqlite3Transaction, type TransactionMode } from "@libsql/client/sqlite3";

/**
 * The embedded (`file:`) database client.
 *
 * `@libsql/client` keeps a pool of connections to a file and opens a new one whenever every
 * open one is borrowed (an open transaction holds its connection until it settles). SQLite
 * keeps `synchronous`, `foreign_keys` and `busy_timeout` per connection, so a PRAGMA sent
 * through `client.execute()` reaches whichever connection served that call, and a
 * connection opened later runs with SQLite's defaults (`synchronous = FULL`: an fsync per
 * commit; foreign keys off). The driver also prepares every statement afresh and asks it
 * for its columns twice per call, which costs more than running it.
 *
 * So this pool configures each connection as it opens it, and gives each one a bounded
 * cache of prepared statements that remember their columns. It builds on the pool class
 * `@libsql/client/sqlite3` exports (pinned to 0.18.0; `file-connections.test.ts` reads the
 * settings back through every connection, so an upgrade that changes the pool shows there).
 */

type Connection = ReturnType<ConnectionPool["acquireSync"]>;

/** The part of a libsql statement the driver uses (`executeStmt` in @libsql/client/sqlite3). */
interface Statement {
  readonly reader: boolean;
  safeIntegers(toggle?: boolean): unknown;
  raw(toggle?: boolean): unknown;
  columns(): unknown[];
  all(...args: unknown[]): unknown[];
  /** The first row, or undefined; the statement is reset after it, so no read stays open. */
  get(...args: unknown[]): unknown;
  run(...args: unknown[]): { changes: number };
}

/** The part of a libsql connection this module wraps. */
interface DriverConnection {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
}
type ConnectionOptions = ConstructorParameters<typeof ConnectionPool>[1];

/** How long a connection waits for another process's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * What every connection runs before its first statement. `journal_mode` is kept in the file
 * itself, so only the first connection sets it: setting it needs a lock that an open write
 * would hold, and this process would then wait on itself.
 */
export const CONNECTION_PRAGMAS = ["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON", `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`] as const;
const FILE_PRAGMAS = ["PRAGMA journal_mode = WAL"] as const;

export interface FileClientOptions {
  /**
   * Connections the pool may open. Every call runs synchronously on its connection, so more
   * connections add no parallelism: one for an open write transaction, one for the reads
   * around it, and a spare for a migration or a CLI command.
   */
  maxConnections?: number;
  /** Prepared statements kept per connection (least recently used leave first). */
  statementCacheSize?: number;
  /** Called with the SQL of every statement a connection runs: a test's witness of how much a request costs. */
  onStatement?: (sql: string) => void;
  /**
   * Whether commits checkpoint the WAL themselves (SQLite's default, `wal_autocheckpoint`).
   * False when something else checkpoints (wal-checkpointer.ts).
   */
  autoCheckpoint?: boolean;
}

/**
 * The driver's `executeStmt` calls `safeIntegers(true)`, `raw(true)` (which throws for
 * statements that return no rows) and `columns()` twice before it runs a statement. Their
 * answers never change for one prepared statement, so this wrapper asks SQLite once.
 */
const NOT_A_READER = new TypeError("The raw() method is only for statements that return data");

class CachedStatement {
  readonly #statement: Statement;
  readonly #sql: string;
  readonly #onStatement: ((sql: string) => void) | undefined;
  readonly #reader: boolean;
  #columns: unknown[] | undefined;
  #safeIntegers: boolean | undefined;
  #raw: boolean | undefined;

  constructor(statement: Statement, sql: string, onStatement: ((sql: string) => void) | undefined) {
    this.#statement = statement;
    this.#sql = sql;
    this.#onStatement = onStatement;
    this.#reader = statement.reader;
  }

  get reader() {
    return this.#reader;
  }

  safeIntegers(toggle = true) {
    if (this.#safeIntegers !== toggle) this.#statement.safeIntegers(toggle);
    this.#safeIntegers = toggle;
    return this;
  }

  raw(toggle = true) {
    // The same refusal the driver's statement gives, without a trip into native code or a new
    // stack trace: the driver only catches it to learn that the statement returns no rows.
    if (!this.#reader) throw NOT_A_READER;
    if (this.#raw !== toggle) this.#statement.raw(toggle);
    this.#raw = toggle;
    return this;
  }

  columns() {
    this.#columns ??= this.#statement.columns();
    return this.#columns;
  }

  all(...args: unknown[]) {
    this.#onStatement?.(this.#sql);
    return this.#statement.all(...args);
  }

  get(...args: unknown[]) {
    this.#onStatement?.(this.#sql);
    return this.#statement.get(...args);
  }

  run(...args: unknown[]) {
    this.#onStatement?.(this.#sql);
    return this.#statement.run(...args);
  }
}

/** Schema changes: never cached, and they retire the connection's cached statements (a `SELECT *` may change shape). */
const isSchemaChange = (sql: string) => /^\s*(create|alter|drop)\b/i.test(sql);

/**
 * Runs a PRAGMA to completion. One that answers a row (`journal_mode`, `busy_timeout`) must
 * be read to its end: a statement left on its first row keeps its connection's read open.
 */
function runPragma(connection: DriverConnection, pragma: string) {
  const statement = connection.prepare(pragma);
  if (statement.reader) statement.all();
  else statement.run();
}

interface PoolSettings {
  maxConnections: number;
  statementCacheSize: number;
  onStatement: ((sql: string) => void) | undefined;
  autoCheckpoint: boolean;
}

function configure(opened: Connection, options: PoolSettings) {
  const connection = opened as unknown as DriverConnection;
  for (const pragma of CONNECTION_PRAGMAS) runPragma(connection, pragma);
  if (!options.autoCheckpoint) runPragma(connection, "PRAGMA wal_autocheckpoint = 0");

  const prepare = connection.prepare.bind(connection);
  const exec = connection.exec.bind(connection);
  const cache = new Map<string, CachedStatement>();
  // Instance properties on a connection only this pool hands out: the driver calls
  // `connection.prepare(sql)` for every statement and offers no other hook.
  connection.prepare = (sql: string): Statement => {
    if (isSchemaChange(sql)) {
      cache.clear();
      options.onStatement?.(sql);
      return prepare(sql);
    }
    let statement = cache.get(sql);
    if (statement) {
      // Re-inserting keeps the Map in least-recently-used order.
      cache.delete(sql);
    } else {
      statement = new CachedStatement(prepare(sql), sql, options.onStatement);
      if (cache.size >= options.statementCacheSize) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
  connection.exec = (sql: string) => {
    if (isSchemaChange(sql)) cache.clear();
    options.onStatement?.(sql);
    return exec(sql);
  };
}

class ConfiguredPool extends ConnectionPool {
  readonly #configured = new WeakSet<Connection>();
  readonly #settings: PoolSettings;

  constructor(path: string, connectionOptions: ConnectionOptions, settings: PoolSettings) {
    super(path, connectionOptions, settings.maxConnections);
    this.#settings = settings;
  }

  // Every connection the pool opens comes out of here (`acquire` calls it too); a
  // connection handed from one borrower to the next was configured when it was opened.
  override acquireSync(forTransaction = false): Connection {
    const connection = super.acquireSync(forTransaction);
    if (!this.#configured.has(connection)) {
      try {
        configure(connection, this.#settings);
      } catch (error) {
        this.release(connection);
        throw error;
      }
      this.#configured.add(connection);
    }
    return connection;
  }
}

/** The path part of a `file:` URL as libSQL reads it (`file:./data/parley.db`, `file:/abs.db`, `file:///abs.db`). */
export function filePath(url: string): string {
  if (!url.startsWith("file:")) throw new Error(`not a file: URL: ${url}`);
  const rest = url.slice("file:".length);
  if (/[?#]/.test(rest)) throw new Error("file: database URLs take no parameters; the server sets its own connection settings");
  if (!rest.startsWith("//")) return rest;
  const slash = rest.indexOf("/", 2);
  const host = rest.slice(2, slash === -1 ? undefined : slash);
  if (host !== "" && host !== "localhost") throw new Error(`a file: URL names no host (got "${host}")`);
  return slash === -1 ? "" : rest.slice(slash);
}

/**
 * Runs a statement on a connection and answers its rows as plain arrays, without the row
 * objects and result set the driver builds around them (two property definitions per column
 * per row): none for a statement that answers no rows.
 */
function answerRows(connection: DriverConnection, sql: string, args: readonly unknown[]): unknown[][] {
  return withDriverErrors(() => {
    const statement = connection.prepare(sql);
    if (!statement.reader) {
      statement.run(args.map(toSqlValue));
      return [];
    }
    return plainRows(statement).all(args.map(toSqlValue)) as unknown[][];
  });
}

/**
 * The first row only, in one call into the driver: its `all()` walks the rows through an
 * iterator and a buffer of a hundred, which costs more than SQLite's own work for a lookup of
 * one row (a ticket by number: 19 µs against 30 µs). The driver resets the statement after
 * `get()`, so no read transaction stays open behind it (file-connections.test.ts holds that).
 */
function answerRow(connection: DriverConnection, sql: string, args: readonly unknown[]): unknown[] | undefined {
  return withDriverErrors(() => {
    const statement = connection.prepare(sql);
    if (!statement.reader) {
      statement.run(args.map(toSqlValue));
      return undefined;
    }
    return plainRows(statement).get(args.map(toSqlValue)) as unknown[] | undefined;
  });
}

/** Runs a statement that answers no rows and answers how many rows it changed. */
function answerChanges(connection: DriverConnection, sql: string, args: readonly unknown[]): number {
  return withDriverErrors(() => connection.prepare(sql).run(args.map(toSqlValue)).changes);
}

/** A statement that answers rows, set to answer them as plain arrays of plain numbers. */
function plainRows(statement: Statement): Statement {
  // Plain numbers: every integer this server stores (ids are text) fits in one.
  statement.safeIntegers(false);
  statement.raw(true);
  return statement;
}

function withDriverErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    // The same error the driver's own execute() throws, so callers see one kind.
    if (error instanceof Error && "rawCode" in error) throw new LibsqlError(error.message, String((error as { code?: unknown }).code), undefined, Number(error.rawCode), error);
    throw error;
  }
}

/** What the driver's execute() does to an argument before binding it. */
function toSqlValue(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
  return value;
}

/** An executor with the lean way to run a statement (`answerRows`): compiled statements use it (statement.ts). */
export interface RowsExecutor {
  readRows(sql: string, args: readonly unknown[]): Promise<unknown[][]>;
  /** The first row only (see `answerRow`). */
  readRow(sql: string, args: readonly unknown[]): Promise<unknown[] | undefined>;
  /** For a statement that answers no rows: how many it changed. */
  runChanges(sql: string, args: readonly unknown[]): Promise<number>;
}

const BEGIN: Record<TransactionMode, string> = { write: "BEGIN IMMEDIATE", read: "BEGIN TRANSACTION READONLY", deferred: "BEGIN DEFERRED" };

/** The driver's transaction, plus `readRows` on the connection it holds. */
export class FileTransaction extends Sqlite3Transaction implements RowsExecutor {
  readonly #connection: DriverConnection;

  constructor(connection: DriverConnection, release: (connection: Connection) => void) {
    super(connection as never, "number", release as never);
    this.#connection = connection;
  }

  async readRows(sql: string, args: readonly unknown[]): Promise<unknown[][]> {
    // Once settled the connection is back in the pool and may be someone else's.
    if (this.closed) throw new Error("the transaction is closed");
    return answerRows(this.#connection, sql, args);
  }

  async readRow(sql: string, args: readonly unknown[]): Promise<unknown[] | undefined> {
    if (this.closed) throw new Error("the transaction is closed");
    return answerRow(this.#connection, sql, args);
  }

  async runChanges(sql: string, args: readonly unknown[]): Promise<number> {
    if (this.closed) throw new Error("the transaction is closed");
    return answerChanges(this.#connection, sql, args);
  }
}

/**
 * The client, plus the lean way to run statements (`readRows`) on a pooled connection and in
 * its transactions. Compiled statements use it (statement.ts); everything else goes through
 * the ordinary `Client` methods.
 */
export class FileClient extends Sqlite3Client implements RowsExecutor {
  readonly #pool: ConnectionPool;
  readonly #path: string;
  #stamp: { pool: ConnectionPool; statement: Statement } | null = null;

  constructor(pool: ConnectionPool, path: string) {
    super(pool, "number");
    this.#pool = pool;
    this.#path = path;
  }

  /**
   * A number that moves whenever a transaction commits to the file, from this process or any
   * other: SQLite's `data_version` as one connection of its own sees it. That connection never
   * writes, so every commit is another connection's, and it runs nothing else, so its numbers
   * compare with each other. A commit still in progress has not moved it yet. A few µs.
   */
  changeStamp(): number {
    if (this.closed) throw new Error("the database client is closed");
    if (!this.#stamp) {
      const pool = new ConnectionPool(this.#path, { timeout: BUSY_TIMEOUT_MS }, 1);
      const connection = pool.acquireSync() as unknown as DriverConnection;
      const statement = connection.prepare("PRAGMA data_version");
      statement.raw(true);
      this.#stamp = { pool, statement };
    }
    const row = this.#stamp.statement.get() as number[];
    return Number(row[0]);
  }

  override close() {
    this.#stamp?.pool.close();
    this.#stamp = null;
    super.close();
  }

  async readRows(sql: string, args: readonly unknown[]): Promise<unknown[][]> {
    return this.#onPooledConnection((connection) => answerRows(connection, sql, args));
  }

  async readRow(sql: string, args: readonly unknown[]): Promise<unknown[] | undefined> {
    return this.#onPooledConnection((connection) => answerRow(connection, sql, args));
  }

  async runChanges(sql: string, args: readonly unknown[]): Promise<number> {
    return this.#onPooledConnection((connection) => answerChanges(connection, sql, args));
  }

  async #onPooledConnection<T>(run: (connection: DriverConnection) => T): Promise<T> {
    if (this.closed) throw new Error("the database client is closed");
    const connection = (await this.#pool.acquire()) as unknown as DriverConnection;
    try {
      return run(connection);
    } finally {
      this.#pool.release(connection as unknown as Connection);
    }
  }

  // As the driver's own, but the transaction it answers also has `readRows`.
  override async transaction(mode: TransactionMode = "write"): Promise<FileTransaction> {
    if (this.closed) throw new Error("the database client is closed");
    const connection = await this.#pool.acquire(true);
    try {
      (connection as unknown as DriverConnection).prepare(BEGIN[mode]).run();
    } catch (error) {
      this.#pool.release(connection);
      throw error;
    }
    return new FileTransaction(connection as unknown as DriverConnection, (used) => this.#pool.release(used));
  }
}

/** A `Client` over a `file:` database whose every connection is configured and caches its statements. */
export function createFileClient(url: string, options: FileClientOptions = {}): FileClient {
  const path = filePath(url);
  if (path === "" || path.startsWith(":memory:")) {
    throw new Error("the server needs a database file (an in-memory database would be a different one on each connection)");
  }
  const pool = new ConfiguredPool(path, { timeout: BUSY_TIMEOUT_MS }, {
    maxConnections: options.maxConnections ?? 3,
    statementCacheSize: options.statementCacheSize ?? 256,
    onStatement: options.onStatement,
    autoCheckpoint: options.autoCheckpoint ?? true,
  });
  // Open (and configure) the first connection now, so a bad path fails here and not on the first request.
  const first = pool.acquireSync();
  try {
    for (const pragma of FILE_PRAGMAS) runPragma(first as unknown as DriverConnection, pragma);
  } finally {
    pool.release(first);
  }
  return new FileClient(pool, path);
}
