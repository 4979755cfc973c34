import { describe, expect, it } from "vitest";
import type { AgentTicket } from "../../protocol/index.js";
import { compareFor, matchesFilters } from "./queue.js";

const ticket = (fields: Partial<AgentTicket> = {}): AgentTicket =>
  ({
    number: "TKT-2026-000001",
    subject: "Sync stopped",
    description: "Since Monday",
    status: "open",
    priority: "normal",
    category: null,
    siteId: "site-a",
    departmentId: null,
    assigneeId: null,
    slaState: "ok",
    slaDueAt: null,
    createdAt: "2026-03-01T10:00:00.000Z",
    updatedAt: "2026-03-01T10:00:00.000Z",
    tags: [],
    customer: { visitorId: null, name: "Jane Doe", email: "jane@example.com", verified: false, nameVerified: false, emailVerified: false },
    ...fields,
  }) as AgentTicket;

describe("live frames against the queue's filters", () => {
  it("applies the tag filter in any case, as the server does (tags are stored lowercased)", () => {
    expect(matchesFilters(ticket({ tags: ["refund", "vip"] }), { sort: "-created", tag: "refund" }, "me-id")).toBe(true);
    expect(matchesFilters(ticket({ tags: ["refund"] }), { sort: "-created", tag: "Refund" }, "me-id")).toBe(true);
    expect(matchesFilters(ticket({ tags: ["refunds"] }), { sort: "-created", tag: "refund" }, "me-id")).toBe(false);
    expect(matchesFilters(ticket(), { sort: "-created", tag: "refund" }, "me-id")).toBe(false);
  });

  it("applies status, priority, site, SLA and assignee (me, none, someone) as the server does", () => {
    expect(matchesFilters(ticket(), { sort: "-created" }, "me-id")).toBe(true);
    expect(matchesFilters(ticket({ status: "resolved" }), { sort: "-created", status: "open" }, "me-id")).toBe(false);
    expect(matchesFilters(ticket({ priority: "urgent" }), { sort: "-created", priority: "urgent" }, "me-id")).toBe(true);
    expect(matchesFilters(ticket(), { sort: "-created", site: "site-b" }, "me-id")).toBe(false);
    expect(matchesFilters(ticket({ slaState: "breached" }), { sort: "-created", sla: "at_risk" }, "me-id")).toBe(false);
    expect(matchesFilters(ticket({ assigneeId: "me-id" }), { sort: "-created", assignee: "me" }, "me-id")).toBe(true);
    expect(matchesFilters(ticket({ assigneeId: "other" }), { sort: "-created", assignee: "me" }, "me-id")).toBe(false);
    expect(matchesFilters(ticket({ assigneeId: "other" }), { sort: "-created", assignee: "none" }, "me-id")).toBe(false);
    expect(matchesFilters(ticket({ assigneeId: "other" }), { sort: "-created", assignee: "other" }, "me-id")).toBe(true);
  });

  it("searches number, subject, description and the customer, ignoring case", () => {
    for (const q of ["tkt-2026-000001", "SYNC", "monday", "jane doe", "@example.com"]) expect(matchesFilters(ticket(), { sort: "-created", q }, "me"), q).toBe(true);
    expect(matchesFilters(ticket(), { sort: "-created", q: "invoice" }, "me")).toBe(false);
  });
});

describe("the queue's order for live inserts", () => {
  const older = ticket({ number: "A", createdAt: "2026-03-01T10:00:00.000Z", updatedAt: "2026-03-05T10:00:00.000Z", priority: "urgent", slaDueAt: "2026-03-02T10:00:00.000Z" });
  const newer = ticket({ number: "B", createdAt: "2026-03-02T10:00:00.000Z", updatedAt: "2026-03-03T10:00:00.000Z", priority: "low", slaDueAt: null });
  const order = (sort: Parameters<typeof compareFor>[0]) => [newer, older].sort(compareFor(sort)).map((t) => t.number);
  it("sorts newest, oldest, last activity, priority and SLA due (none last)", () => {
    expect(order("-created")).toEqual(["B", "A"]);
    expect(order("created")).toEqual(["A", "B"]);
    expect(order("-updated")).toEqual(["A", "B"]);
    expect(order("priority")).toEqual(["A", "B"]);
    expect(order("due")).toEqual(["A", "B"]);
  });
});
