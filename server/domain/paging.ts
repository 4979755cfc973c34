/**
 * Keyset paging, the rule every list follows: read one row more than the page, and only
 * when that extra row exists is there a next page, whose cursor names the page's last row.
 */
export function pageOfRows<R>(rows: readonly R[], limit: number): { page: R[]; last: R | undefined; more: boolean } {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a page holds at least one row (limit ${limit})`);
  const page = rows.slice(0, limit);
  return { page, last: page.at(-1), more: rows.length > limit };
}

/**
 * Newest first, ties broken by id descending: is (createdAt, id) after the cursor's row? The
 * same order the visitor's ticket list reads, so the SQL filter and this rule agree.
 */
export const isAfterNewestFirst = (row: { createdAt: number; id: string }, cursor: { createdAt: number; id: string }) =>
  row.createdAt < cursor.createdAt || (row.createdAt === cursor.createdAt && row.id < cursor.id);
