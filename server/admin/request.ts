import type { Context } from "hono";
import { and, eq, gt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Page } from "../../protocol/index.js";
import { ApiError } from "../middleware/errors.js";
import { decodeCursor, encodeCursor, refuseCursor } from "../tickets/cursor.js";

const refuseBody = () =>
  new ApiError("validation_failed", "send the fields to change as a JSON object", [{ path: "", message: "a JSON object body is required" }]);

/**
 * Admin lists are ordered by a name-like text column with the id as tiebreak; this is the
 * keyset condition for "after the cursor".
 */
export function afterCursor(sortColumn: SQLiteColumn, idColumn: SQLiteColumn, cursor: string | undefined): SQL | undefined {
  const position = decodeCursor(cursor);
  if (!position) return undefined;
  if (typeof position.value !== "string") {
    throw refuseCursor("unexpected value");
  }
  return or(gt(sortColumn, position.value), and(eq(sortColumn, position.value), gt(idColumn, position.id)));
}

/**
 * One page from `limit + 1` fetched rows: the extra row only says whether another page exists.
 * `position` names the sort value and id that `afterCursor` resumes from.
 */
export function pageFrom<R, T>(rows: R[], limit: number, position: (row: R) => [string, string], render: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(render), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(...position(last)) : null };
}

/**
 * Keeps only the fields the client actually sent. Some update schemas are `.partial()` of
 * create schemas with defaults, and zod fills those defaults in, so without this a PATCH
 * that leaves out `published` would quietly republish an article.
 */
export async function sentFields<T extends object>(c: Context, parsed: T): Promise<Partial<T>> {
  // The body validator lets a request without a JSON content type through with nothing
  // parsed; such a request (no body at all, say) changes nothing it could name, so it is
  // refused as invalid rather than read here as JSON that is not there.
  const raw: unknown = await c.req.json().catch(() => undefined);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw refuseBody();
  return Object.fromEntries(Object.entries(parsed).filter(([field]) => Object.hasOwn(raw, field))) as Partial<T>;
}

/** True when a PATCH body changes nothing; drizzle refuses an empty SET. */
export const isEmpty = (changes: object) => Object.values(changes).every((value) => value === undefined);
