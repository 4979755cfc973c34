import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { CreateSlaPolicyBody, SlaPolicy, UpdateSlaPolicyBody } from "../../protocol/index.js";
import type { Reader, Tx } from "../db/client.js";
import type { CategoryTable } from "../db/reference-cache.js";
import { slaPolicies } from "../db/schema.js";
import { DomainError, notFound } from "../domain/errors.js";
import { categoryBySlug } from "../tickets/store.js";

export type SlaPolicyRow = typeof slaPolicies.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

export const toSlaPolicy = (row: SlaPolicyRow, categories: CategoryTable): SlaPolicy => ({
  id: row.id,
  priority: row.priority,
  category: categories.slugOf(row.categoryId),
  firstResponseMinutes: row.firstResponseMinutes,
  resolutionMinutes: row.resolutionMinutes,
  businessHours: row.businessHours,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

/** Policies in id order, `limit + 1` of them after `afterId` (the extra one says a page follows). */
export function listSlaPolicies(reader: Reader, afterId: string | null, limit: number): Promise<SlaPolicyRow[]> {
  return reader
    .select()
    .from(slaPolicies)
    .where(afterId === null ? undefined : gt(slaPolicies.id, afterId))
    .orderBy(asc(slaPolicies.id))
    .limit(limit + 1);
}

export async function slaPolicyById(reader: Reader, id: string): Promise<SlaPolicyRow> {
  const [row] = await reader.select().from(slaPolicies).where(eq(slaPolicies.id, id)).limit(1);
  if (!row) throw notFound(`SLA policy ${id}`);
  return row;
}

/** Creates a policy for a scope that has none yet (409 otherwise); a new policy governs tickets opened or re-scoped from now on. */
export async function createSlaPolicy(tx: Tx, body: CreateSlaPolicyBody & { priority: SlaPolicyRow["priority"]; category: string | null }, at: number): Promise<SlaPolicyRow> {
  const categoryId = body.category === null ? null : (await categoryBySlug(tx, body.category)).id;
  const priority = body.priority;
  const [taken] = await tx
    .select({ id: slaPolicies.id })
    .from(slaPolicies)
    .where(
      and(
        priority === null ? isNull(slaPolicies.priority) : eq(slaPolicies.priority, priority),
        categoryId === null ? isNull(slaPolicies.categoryId) : eq(slaPolicies.categoryId, categoryId),
      ),
    )
    .limit(1);
  if (taken) throw new DomainError("conflict", `a policy for this scope already exists (${taken.id}); change its targets instead`, { id: taken.id });
  const [row] = await tx
    .insert(slaPolicies)
    .values({
      id: crypto.randomUUID(),
      priority,
      categoryId,
      firstResponseMinutes: body.firstResponseMinutes,
      resolutionMinutes: body.resolutionMinutes,
      businessHours: body.businessHours ?? true,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row!;
}

/** Changes a policy's targets; the first response may never be due after the resolution. */
export async function updateSlaPolicy(tx: Tx, id: string, change: UpdateSlaPolicyBody, at: number): Promise<SlaPolicyRow> {
  const current = await slaPolicyById(tx, id);
  const firstResponse = change.firstResponseMinutes ?? current.firstResponseMinutes;
  const resolution = change.resolutionMinutes ?? current.resolutionMinutes;
  if (firstResponse > resolution) {
    throw new DomainError("validation_failed", "the first response cannot be due after the resolution", [
      { path: change.firstResponseMinutes !== undefined ? "firstResponseMinutes" : "resolutionMinutes", message: `${firstResponse} > ${resolution} minutes` },
    ]);
  }
  const [row] = await tx
    .update(slaPolicies)
    .set({ ...change, updatedAt: at })
    .where(eq(slaPolicies.id, id))
    .returning();
  return row!;
}

export async function deleteSlaPolicy(tx: Tx, id: string): Promise<void> {
  await slaPolicyById(tx, id);
  await tx.delete(slaPolicies).where(eq(slaPolicies.id, id));
}
