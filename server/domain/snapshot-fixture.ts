import type { TicketSnapshot } from "./events.js";

/**
 * A made-up ticket as events carry it, for tests of the rules and channels that read
 * snapshots (webhook payloads, email notices, outbox entries). It lives beside the domain
 * tests because unit tests under server/ may import nothing outside server/ and protocol/;
 * the tests under test/ use it too. Pass only what a test depends on.
 *
 * @example
 * const ticket = ticketSnapshot({ priority: "high", customerEmail: "jane@example.com" });
 */
export function ticketSnapshot(overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    id: "t1",
    number: "TKT-2026-000123",
    siteId: "s1",
    subject: "Sync stopped",
    status: "open",
    priority: "normal",
    source: "widget",
    categoryId: null,
    departmentId: null,
    tier: 1,
    tags: [],
    assigneeId: null,
    visitorId: null,
    customerName: "Rosa",
    customerEmail: "rosa@example.com",
    createdAt: 0,
    updatedAt: 0,
    resolvedAt: null,
    closedAt: null,
    ...overrides,
  };
}
