import type { InArgs, InStatement, ResultSet } from "@libsql/client";
import { Column, fillPlaceholders, getTableColumns, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { FileClient, FileTransaction } from "./file-connections.js";

/**
 * Statements compiled once. Drizzle rebuilds a query's SQL on every call (a few hundred
 * microseconds, more than SQLite takes to run it), so the hot paths build theirs once at
 * start with `sql.placeholder(…)` for the values, and run the same SQL text each time;
 * the file client then reuses the statement SQLite prepared for it (file-connections.ts).
 *
 * A compiled statement runs on whatever it is given: the client (reads) or the
 * connection of an open write (`executorOf(tx)` in client.ts), so one statement serves both.
 */

/** Anything that runs a statement: the client, or an open transaction's connection. */
export interface Executor {
  execute(statement: InStatement): Promise<ResultSet>;
}

/**
 * Runs SQL text whose shape varies with its values (a multi-row INSERT), on the lean path where
 * the executor has one, and answers its rows: the same text for the same shape reuses its
 * prepared statement.
 */
export async function rowsOf(executor: Executor, sql: string, args: unknown[]): Promise<RowValues[]> {
  if (executor instanceof FileClient || executor instanceof FileTransaction) return executor.readRows(sql, args);
  return (await executor.execute({ sql, args: args as InArgs })).rows;
}

/** Builds SQL and never runs it; only compiled statements use it. */
export const compiler = drizzle.mock();

interface Compilable {
  toSQL(): { sql: string; params: unknown[] };
}

/** One result row, read by position (a driver `Row`, or the plain array a file client answers). */
export type RowValues = ArrayLike<unknown>;

export interface Compiled<Values> {
  readonly sql: string;
  /** The arguments the statement runs with for these values (EXPLAIN QUERY PLAN in tests and benches). */
  args(values: Values): unknown[];
  /** Runs the statement and answers the rows it returned (none for statements without RETURNING). */
  rows(executor: Executor, values: Values): Promise<RowValues[]>;
  /** The first row, or undefined: for lookups of one row, and for a write whose RETURNING answers one. */
  first(executor: Executor, values: Values): Promise<RowValues | undefined>;
  /** Runs a statement without RETURNING and answers how many rows it inserted, updated or deleted. */
  run(executor: Executor, values: Values): Promise<number>;
}

/** Compiles a query built on `compiler`; `Values` names its placeholders. */
export function compile<Values extends Record<string, unknown>>(query: Compilable): Compiled<Values> {
  const { sql, params } = query.toSQL();
  return {
    sql,
    args: (values) => fillPlaceholders(params, values),
    rows(executor, values) {
      // fillPlaceholders applies each column's encoder (JSON, booleans) to the values it fills in.
      return rowsOf(executor, sql, fillPlaceholders(params, values));
    },
    async first(executor, values) {
      const args = fillPlaceholders(params, values);
      if (executor instanceof FileClient || executor instanceof FileTransaction) return executor.readRow(sql, args);
      return (await executor.execute({ sql, args: args as InArgs })).rows[0];
    },
    async run(executor, values) {
      const args = fillPlaceholders(params, values);
      if (executor instanceof FileClient || executor instanceof FileTransaction) return executor.runChanges(sql, args);
      return (await executor.execute({ sql, args: args as InArgs })).rowsAffected;
    },
  };
}

/**
 * Statements whose text depends on which values a call has (the filters a queue request sets,
 * the columns a message changed): each shape compiled the first time it is met and kept, so a
 * shape costs drizzle's query building once. `build` must give the same SQL for the same key.
 */
export function compiledByShape<Shape, Statement extends { readonly sql: string }>(build: (shape: Shape) => Statement, keyOf: (shape: Shape) => string): (shape: Shape) => Statement {
  const compiled = new Map<string, Statement>();
  return (shape) => {
    const key = keyOf(shape);
    let statement = compiled.get(key);
    if (!statement) compiled.set(key, (statement = build(shape)));
    return statement;
  };
}

/** Reads one table's row out of a result row, starting at column `offset`, as drizzle would. */
export interface RowReader<T> {
  /** The table's columns in the order the select lists them. */
  readonly columns: Record<string, SQLiteColumn>;
  readonly width: number;
  read(row: RowValues, offset?: number): T;
}

/**
 * `omit`: columns a hot read leaves out — virtual columns that exist for an index (SQLite
 * computes them for every row a select lists them in) and that no caller reads.
 */
export function rowReader<T extends SQLiteTable, K extends keyof T["$inferSelect"] & string = never>(table: T, omit: readonly K[] = []): RowReader<Omit<T["$inferSelect"], K>> {
  const columns = Object.fromEntries(Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>).filter(([key]) => !(omit as readonly string[]).includes(key)));
  const entries = Object.entries(columns);
  const keys = entries.map(([key]) => key);
  // Most columns hand the driver's value over as it is (drizzle's base mapFromDriverValue); only
  // JSON, boolean and timestamp columns convert. A page of tickets reads a thousand values, so
  // the identity calls are skipped.
  const mappers = entries.map(([, column]) => (column.mapFromDriverValue === Column.prototype.mapFromDriverValue ? null : (value: unknown) => column.mapFromDriverValue(value)));
  return {
    columns,
    width: entries.length,
    read(row, offset = 0) {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = row[offset + i];
        if (value === undefined) throw new Error(`the result has no column ${offset + i} for ${keys[i]}`);
        const map = mappers[i];
        record[keys[i]!] = value === null || !map ? value : map(value);
      }
      return record as Omit<T["$inferSelect"], K>;
    },
  };
}

/**
 * One JSON array of values, for a select that answers many rows of many columns: the driver
 * turns every value of a result into a JavaScript value through a native call (about 0.1 µs
 * each, 1,000 of them for a page of 25 tickets), while one text of the whole page is one value
 * and `JSON.parse` reads it in a few microseconds. Only for columns JSON holds as they are:
 * text, integers that fit a double, reals and null (a BLOB is an error in SQLite's json_array).
 */
export function jsonArrayOf(values: (SQLiteColumn | SQL)[]): SQL {
  return sql`json_array(${sql.join(values, sql`, `)})`;
}

/** Between the rows' texts: json_array escapes every control character inside a value, so this one never occurs in them. */
const ROW_SEPARATOR = "\x1e";

/** A statement compiled by `compileJsonRows`: its rows as arrays, or as the JSON texts SQLite wrote. */
export interface CompiledJsonRows<Values> extends Omit<Compiled<Values>, "run"> {
  /**
   * Each row as the text of its JSON array, exactly as SQLite wrote it: the same values give the
   * same text, so a caller may key what it derives from a row by that text (queue.ts does).
   */
  texts(executor: Executor, values: Values): Promise<string[]>;
}

/**
 * Compiles a select of a single field named `r` built with `jsonArrayOf`, answering its rows as
 * the arrays they hold. The rows are gathered into one text in the order the select yields them.
 * SQLite feeds an aggregate its subquery's rows in that subquery's order, but does not promise
 * it, so a caller that needs an order sorts what it gets (a page is a few dozen rows).
 */
export function compileJsonRows<Values extends Record<string, unknown>>(query: Compilable): CompiledJsonRows<Values> {
  const inner = query.toSQL();
  const gathered = compile<Values>({
    toSQL: () => ({ sql: `select group_concat("r", char(30)) from (${inner.sql})`, params: inner.params }),
  });
  return {
    sql: gathered.sql,
    args: gathered.args,
    async texts(executor, values) {
      const [row] = await gathered.rows(executor, values);
      // No rows: the aggregate answers null.
      const text = row?.[0];
      return text === null || text === undefined ? [] : String(text).split(ROW_SEPARATOR);
    },
    async rows(executor, values) {
      return (await this.texts(executor, values)).map((text) => JSON.parse(text) as unknown[]);
    },
    async first(executor, values) {
      return (await this.rows(executor, values))[0];
    },
  };
}
