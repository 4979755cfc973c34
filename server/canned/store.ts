import { and, asc, eq, inArray, isNotNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { CannedResponseListQuery, CreateCannedResponseBody, UpdateCannedResponseBody } from "../../protocol/index.js";
import type { Database, Reader, Tx } from "../db/client.js";
import { cannedResponses, departments, sites } from "../db/schema.js";
import { mayManage, mayUse, type CannedCaller, type CannedOwner } from "../domain/canned-access.js";
import { templateProblems } from "../domain/canned-template.js";
import { DomainError, invalidField, notFound } from "../domain/errors.js";
import { newId } from "../tickets/store.js";
import type { CannedResponseRow } from "./views.js";

/**
 * The responses a caller may use, as SQL: their own personal ones, their department's (every
 * team's for an admin) and every site's. Another agent's personal responses never match.
 */
function usableBy(caller: CannedCaller): SQL {
  const team =
    caller.role === "admin"
      ? and(eq(cannedResponses.scope, "team"), isNotNull(cannedResponses.departmentId))
      : caller.departmentId
        ? and(eq(cannedResponses.scope, "team"), eq(cannedResponses.departmentId, caller.departmentId))
        : undefined;
  return or(
    and(eq(cannedResponses.scope, "personal"), eq(cannedResponses.agentId, caller.id)),
    team,
    and(
      eq(cannedResponses.scope, "site"),
      caller.sites.all ? isNotNull(cannedResponses.siteId) : inArray(cannedResponses.siteId, [...caller.sites.siteIds]),
    ),
  )!;
}

/** One page of usable responses in shortcut order; `after` is the (shortcut, id) the last page ended at. */
export async function listUsable(
  orm: Reader,
  caller: CannedCaller,
  query: Pick<CannedResponseListQuery, "scope" | "prefix" | "limit">,
  after: SQL | undefined,
): Promise<CannedResponseRow[]> {
  return orm
    .select()
    .from(cannedResponses)
    .where(
      and(
        usableBy(caller),
        query.scope ? eq(cannedResponses.scope, query.scope) : undefined,
        query.prefix ? sql`substr(${cannedResponses.shortcut}, 1, length(${query.prefix})) = ${query.prefix}` : undefined,
        after,
      ),
    )
    .orderBy(asc(cannedResponses.shortcut), asc(cannedResponses.id))
    .limit(query.limit + 1);
}

/** A response the caller may use, or 404: one they may not use is answered exactly like one that does not exist. */
export async function usableResponse(orm: Reader, caller: CannedCaller, id: string): Promise<CannedResponseRow> {
  const row = await orm.query.cannedResponses.findFirst({ where: eq(cannedResponses.id, id) });
  if (!row || !mayUse(caller, row)) throw notFound(`canned response ${id}`);
  return row;
}

/** As `usableResponse`, and the caller may change it (403 when they may only use it). */
async function manageableResponse(tx: Tx, caller: CannedCaller, id: string): Promise<CannedResponseRow> {
  const row = await usableResponse(tx, caller, id);
  if (!mayManage(caller, row)) throw new DomainError("forbidden", `only an admin may change a ${row.scope} response`);
  return row;
}

function assertTemplate(body: string) {
  const problems = templateProblems(body);
  if (problems.length > 0) throw new DomainError("validation_failed", problems[0]!, problems.map((message) => ({ path: "body", message })));
}

async function assertShortcutFree(tx: Tx, owner: CannedOwner, shortcut: string, exceptId?: string) {
  const ownerId = owner.siteId ?? owner.departmentId ?? owner.agentId;
  const taken = await tx.query.cannedResponses.findFirst({
    where: and(
      eq(cannedResponses.scope, owner.scope),
      eq(cannedResponses.ownerId, ownerId!),
      eq(cannedResponses.shortcut, shortcut),
      exceptId ? ne(cannedResponses.id, exceptId) : undefined,
    ),
  });
  if (taken) throw new DomainError("conflict", `${shortcut} is already a ${owner.scope} shortcut here`, { shortcut, existingId: taken.id });
}

/** Where a new response belongs, checked against what exists and what the caller may create. */
async function ownerFor(tx: Tx, caller: CannedCaller, body: CreateCannedResponseBody): Promise<CannedOwner> {
  switch (body.scope) {
    case "personal":
      return { scope: "personal", siteId: null, departmentId: null, agentId: caller.id };
    case "team": {
      const owner: CannedOwner = { scope: "team", siteId: null, departmentId: body.departmentId, agentId: null };
      if (!mayManage(caller, owner)) throw new DomainError("forbidden", "only an admin may write team responses");
      if (!(await tx.query.departments.findFirst({ where: eq(departments.id, body.departmentId) }))) throw invalidField("departmentId", "unknown department", "unknown department");
      return owner;
    }
    case "site": {
      const owner: CannedOwner = { scope: "site", siteId: body.siteId, departmentId: null, agentId: null };
      if (!mayManage(caller, owner)) throw new DomainError("forbidden", "only an admin may write site responses");
      if (!(await tx.query.sites.findFirst({ where: eq(sites.id, body.siteId) }))) throw invalidField("siteId", "unknown site", "unknown site");
      return owner;
    }
  }
}

export async function createCannedResponse(db: Database, at: number, caller: CannedCaller, body: CreateCannedResponseBody): Promise<CannedResponseRow> {
  assertTemplate(body.body);
  return db.write(async (tx) => {
    const owner = await ownerFor(tx, caller, body);
    await assertShortcutFree(tx, owner, body.shortcut);
    const [row] = await tx
      .insert(cannedResponses)
      .values({ id: newId(), ...owner, shortcut: body.shortcut, title: body.title, body: body.body, createdBy: caller.id, createdAt: at, updatedAt: at })
      .returning();
    return row!;
  });
}

export async function updateCannedResponse(db: Database, at: number, caller: CannedCaller, id: string, change: UpdateCannedResponseBody): Promise<CannedResponseRow> {
  if (change.body !== undefined) assertTemplate(change.body);
  return db.write(async (tx) => {
    const row = await manageableResponse(tx, caller, id);
    if (change.shortcut !== undefined) await assertShortcutFree(tx, row, change.shortcut, row.id);
    const [updated] = await tx
      .update(cannedResponses)
      .set({ ...change, updatedAt: at })
      .where(eq(cannedResponses.id, row.id))
      .returning();
    return updated!;
  });
}

export async function deleteCannedResponse(db: Database, caller: CannedCaller, id: string): Promise<void> {
  await db.write(async (tx) => {
    const row = await manageableResponse(tx, caller, id);
    await tx.delete(cannedResponses).where(eq(cannedResponses.id, row.id));
  });
}
