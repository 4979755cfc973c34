import { describe, expect, it } from "vitest";
import { WebhookPayloadSchema } from "../../protocol/index.js";
import type { DomainEvent, TicketSnapshot } from "./events.js";
import { ticketSnapshot } from "./snapshot-fixture.js";
import { webhookAnnouncements } from "./webhook-events.js";

const at = Date.UTC(2026, 11, 2, 9, 30);
const ticket = (overrides: Partial<TicketSnapshot> = {}): TicketSnapshot =>
  ticketSnapshot({ tags: ["sync"], visitorId: "v1", createdAt: at - 60_000, updatedAt: at, ...overrides });
const message = (internal: boolean) => ({
  id: "m1",
  seq: 3,
  clientId: "c-123456789",
  senderType: "agent" as const,
  senderName: "Ada",
  body: internal ? "customer seems upset" : "Try signing out and in again.",
  internal,
  attachments: [],
  createdAt: new Date(at).toISOString(),
});

describe("webhookAnnouncements", () => {
  it("builds a Standard Webhooks body for every ticket event, valid against the protocol schema", () => {
    const events: DomainEvent[] = [
      { type: "ticket.created", ticket: ticket() },
      { type: "ticket.updated", ticket: ticket(), changes: ["priority"] },
      { type: "ticket.assigned", ticket: ticket({ assigneeId: "a1" }), from: null, to: "a1" },
      { type: "ticket.unrouted", ticket: ticket(), reason: "no agent available" },
      { type: "ticket.escalated", ticket: ticket({ tier: 2 }), fromTier: 1, toTier: 2, reason: "needs tier 2", toAgentId: null, toDepartmentId: "d1" },
      { type: "ticket.resolved", ticket: ticket({ status: "resolved", resolvedAt: at }), resolution: "fixed" },
      { type: "ticket.closed", ticket: ticket({ status: "closed", closedAt: at }), message: null },
      { type: "message.created", ticket: ticket(), message: message(false), visibleSeq: 2, senderType: "agent" },
      { type: "rating.created", ticket: ticket(), score: 5, comment: "quick!" },
      { type: "contact.created", ticket: ticket({ source: "contact" }) },
      { type: "sla.warning", ticket: ticket(), target: "first_response", dueAt: at + 60_000 },
      { type: "sla.breached", ticket: ticket({ tier: 2 }), target: "resolution", dueAt: at, fromTier: 1, toTier: 2, notifyAgentIds: ["a2"] },
    ];
    for (const event of events) {
      const [announcement, ...rest] = webhookAnnouncements(event, at);
      expect(rest).toEqual([]);
      expect(announcement).toMatchObject({ siteId: "s1", ticketId: "t1", type: event.type });
      const body = WebhookPayloadSchema.parse(announcement!.body);
      expect(body).toMatchObject({ type: event.type, timestamp: "2026-12-02T09:30:00.000Z" });
      expect(body.data).toMatchObject({ ticket: { number: "TKT-2026-000123", customer: { email: "rosa@example.com" } } });
    }
  });

  it("tells an SLA alarm with its target, due time and tiers, and never who was emailed", () => {
    const [breach] = webhookAnnouncements({ type: "sla.breached", ticket: ticket({ tier: 3 }), target: "first_response", dueAt: at, fromTier: 3, toTier: null, notifyAgentIds: ["a1"] }, at);
    expect(breach!.body.data).toEqual(expect.objectContaining({ target: "first_response", dueAt: "2026-12-02T09:30:00.000Z", fromTier: 3, toTier: null }));
    expect(JSON.stringify(breach!.body)).not.toContain("notify");
  });

  it("never announces an internal note, a read mark or an agent's status", () => {
    expect(webhookAnnouncements({ type: "message.created", ticket: ticket(), message: message(true), visibleSeq: null, senderType: "agent" }, at)).toEqual([]);
    expect(webhookAnnouncements({ type: "read.updated", ticket: ticket(), side: "customer", seq: 3, visibleSeq: 2 }, at)).toEqual([]);
    expect(webhookAnnouncements({ type: "agent.status_changed", agentId: "a1", status: "away", siteIds: ["s1"] }, at)).toEqual([]);
  });

  it("keeps the message to what the customer sees: its visible seq, no internal flag, no client id", () => {
    const [announcement] = webhookAnnouncements({ type: "message.created", ticket: ticket(), message: message(false), visibleSeq: 2, senderType: "agent" }, at);
    expect(announcement!.body.data).toMatchObject({ message: { id: "m1", seq: 2, body: "Try signing out and in again." } });
    expect(JSON.stringify(announcement!.body)).not.toMatch(/internal|clientId/);
  });

  it("tells a deactivation and a category deletion ticket by ticket, each on its own site", () => {
    const released = [ticket({ id: "t1", siteId: "s1" }), ticket({ id: "t2", siteId: "s2", assigneeId: "a2" })];
    const deactivated = webhookAnnouncements({ type: "agent.deactivated", agentId: "a1", siteIds: ["s1", "s2"], ticketRoomIds: [], releasedTickets: released }, at);
    expect(deactivated.map((a) => [a.type, a.siteId, a.ticketId, a.body.data])).toEqual([
      ["ticket.assigned", "s1", "t1", expect.objectContaining({ from: "a1", to: null })],
      ["ticket.assigned", "s2", "t2", expect.objectContaining({ from: "a1", to: "a2" })],
    ]);
    const deleted = webhookAnnouncements({ type: "category.deleted", categoryId: "c1", affectedTickets: released }, at);
    expect(deleted.map((a) => [a.type, a.ticketId, a.body.data])).toEqual([
      ["ticket.updated", "t1", expect.objectContaining({ changes: ["category"] })],
      ["ticket.updated", "t2", expect.objectContaining({ changes: ["category"] })],
    ]);
  });
});
