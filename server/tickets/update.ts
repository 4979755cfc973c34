import { eq } from "drizzle-orm";
import type { UpdateTicketBody } from "../../protocol/index.js";
import type { Tx } from "../db/client.js";
import { departments, tickets } from "../db/schema.js";
import { isFinished } from "../domain/ticket-lifecycle.js";
import { DomainError } from "../domain/errors.js";
import { slaColumnsFor } from "./sla-clock.js";
import { categoryBySlug, changeStatus, recordEvent, type Actor } from "./store.js";
import type { TicketRow } from "./views.js";

export async function departmentById(tx: Tx, id: string) {
  const department = await tx.query.departments.findFirst({ where: eq(departments.id, id) });
  if (!department) throw new DomainError("validation_failed", "unknown department", [{ path: "departmentId", message: "unknown department" }]);
  return department;
}

/**
 * Applies an agent's edit field by field, each with its own history row, all in the
 * caller's transaction: a refused status move leaves every other field untouched too.
 */
export async function updateTicket(tx: Tx, ticket: TicketRow, change: UpdateTicketBody, actor: Actor, at: number): Promise<TicketRow> {
  let current = ticket;
  const set = async (fields: Partial<TicketRow>) => {
    const [row] = await tx.update(tickets).set({ ...fields, updatedAt: at }).where(eq(tickets.id, ticket.id)).returning();
    current = row!;
  };

  if (change.status !== undefined && change.status !== current.status) {
    current = await changeStatus(tx, current, change.status, actor, at);
  }
  if (change.priority !== undefined && change.priority !== current.priority) {
    await recordEvent(tx, ticket.id, "priority_changed", actor, { from: current.priority, to: change.priority }, at);
    await set({ priority: change.priority });
  }
  if (change.category !== undefined) {
    const category = change.category === null ? null : await categoryBySlug(tx, change.category);
    if ((category?.id ?? null) !== current.categoryId) {
      await recordEvent(tx, ticket.id, "category_changed", actor, { from: current.categoryId, to: category?.id ?? null }, at);
      await set({ categoryId: category?.id ?? null });
    }
  }
  if (current.priority !== ticket.priority || current.categoryId !== ticket.categoryId) await set(await recomputedSla(tx, current));
  if (change.tags !== undefined) {
    const tags = [...new Set(change.tags.map((tag) => tag.toLowerCase()))];
    if (JSON.stringify(tags) !== JSON.stringify(current.tags)) {
      await recordEvent(tx, ticket.id, "tags_changed", actor, { from: current.tags, to: tags }, at);
      await set({ tags });
    }
  }
  if (change.departmentId !== undefined && change.departmentId !== current.departmentId) {
    if (change.departmentId !== null) await departmentById(tx, change.departmentId);
    await recordEvent(tx, ticket.id, "assigned", actor, { departmentFrom: current.departmentId, departmentTo: change.departmentId }, at);
    await set({ departmentId: change.departmentId });
  }
  return current;
}

/**
 * The SLA targets under the policy that now matches (priority and category), counted from when
 * the ticket was opened, keeping the credit of its past pauses. A target already met keeps the
 * due time it was met against; breach stamps stay as they are.
 */
async function recomputedSla(tx: Tx, ticket: TicketRow): Promise<Partial<TicketRow>> {
  const sla = await slaColumnsFor(tx, { siteId: ticket.siteId, priority: ticket.priority, categoryId: ticket.categoryId, openedAt: ticket.createdAt, pausedMs: ticket.slaPausedMs });
  const { firstResponseDueAt, firstResponseWarnAt, resolutionDueAt, resolutionWarnAt, slaClock } = sla;
  return {
    slaClock,
    ...(ticket.firstResponseAt === null ? { firstResponseDueAt, firstResponseWarnAt } : {}),
    ...(isFinished(ticket.status) ? {} : { resolutionDueAt, resolutionWarnAt }),
  };
}
