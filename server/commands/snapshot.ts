import type { TicketSnapshot } from "../domain/events.js";
import type { TicketRow } from "../tickets/views.js";

/** The plain picture of a ticket an event carries, taken from the row the command already holds. */
export function snapshotOf(row: TicketRow): TicketSnapshot {
  return {
    id: row.id,
    number: row.number,
    siteId: row.siteId,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    source: row.source,
    categoryId: row.categoryId,
    departmentId: row.departmentId,
    tier: row.tier,
    tags: [...row.tags],
    assigneeId: row.assigneeId,
    visitorId: row.visitorId,
    customerName: row.customerName,
    customerEmail: row.customerEmail,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    resolvedAt: row.resolvedAt,
    closedAt: row.closedAt,
  };
}
