import { describe, expect, it } from "vitest";
import type { Message } from "../../protocol/index.js";
import type { DomainEvent } from "./events.js";
import { ticketSnapshot } from "./snapshot-fixture.js";
import { AWAY_DELAY_MS, customerTicketOf, emailLocale, emailNotices, QUOTED_BODY_LIMIT, stillWorthSending, type EmailFacts } from "./notification-rules.js";

const ticket = ticketSnapshot({ number: "TKT-2026-000001", priority: "high", visitorId: "v1", customerName: "Jane", customerEmail: "Jane@Example.com" });
const message = (fields: Partial<Message> = {}): Message => ({
  id: "m1",
  seq: 3,
  clientId: null,
  senderType: "agent",
  senderName: "Ada",
  body: "Try again",
  internal: false,
  attachments: [],
  createdAt: "2026-01-01T00:00:00.000Z",
  ...fields,
});
const agents = { a1: { email: "Ada@Parley.test", name: "Ada", active: true }, a2: { email: "gone@parley.test", name: "Gone", active: false } };
const facts = (overrides: Partial<EmailFacts> = {}): EmailFacts => ({
  siteLocale: "en",
  customerUnsubscribed: false,
  agent: (id) => agents[id as keyof typeof agents] ?? null,
  ...overrides,
});
const AT = 1_000_000;
const summary = (event: DomainEvent, f = facts()) => emailNotices(event, f, AT).map((n) => [n.template, n.audience, n.to, n.locale]);

describe("emailNotices", () => {
  it("writes to the customer on created, agent reply, resolved and closed, in the site's language", () => {
    expect(summary({ type: "ticket.created", ticket })).toEqual([["ticket-created", "customer", "jane@example.com", "en"]]);
    expect(summary({ type: "message.created", ticket, message: message(), visibleSeq: 3, senderType: "agent" }, facts({ siteLocale: "fr-CA" }))).toEqual([
      ["agent-replied", "customer", "jane@example.com", "fr"],
    ]);
    expect(summary({ type: "ticket.resolved", ticket, resolution: "Fixed" }, facts({ siteLocale: "ar" }))).toEqual([["ticket-resolved", "customer", "jane@example.com", "ar"]]);
    expect(summary({ type: "ticket.closed", ticket, message: null }, facts({ siteLocale: "de" }))).toEqual([["ticket-closed", "customer", "jane@example.com", "en"]]);
  });

  it("delays the agent-reply email so that a visitor still in the widget reads it first", () => {
    const [notice] = emailNotices({ type: "message.created", ticket, message: message(), visibleSeq: 3, senderType: "agent" }, facts(), AT);
    expect(notice!.notBefore).toBe(AT + AWAY_DELAY_MS);
    expect(notice!.vars).toMatchObject({ seq: 3, agentName: "Ada", body: "Try again" });
    expect(stillWorthSending(notice!, { visitorReadSeq: 2, status: "in_progress", rating: null })).toBe(true);
    expect(stillWorthSending(notice!, { visitorReadSeq: 3, status: "in_progress", rating: null })).toBe(false);
    const [created] = emailNotices({ type: "ticket.created", ticket }, facts(), AT);
    expect(created!.notBefore).toBeUndefined();
    expect(stillWorthSending(created!, { visitorReadSeq: 99, status: "open", rating: null })).toBe(true);
  });

  it("never emails internal notes, customer, bot or system messages", () => {
    for (const [senderType, internal] of [["agent", true], ["customer", false], ["bot", false], ["system", false]] as const) {
      expect(emailNotices({ type: "message.created", ticket, message: message({ senderType, internal }), visibleSeq: internal ? null : 3, senderType }, facts(), AT)).toEqual([]);
    }
  });

  it("lets the closed email carry a closing message: that message sends no agent-replied email of its own", () => {
    const closing: DomainEvent = { type: "message.created", ticket, message: message({ body: "Closing now" }), visibleSeq: 3, senderType: "agent", closing: true };
    expect(emailNotices(closing, facts(), AT)).toEqual([]);
    expect(customerTicketOf(closing)).toBeNull();
    const [closed] = emailNotices({ type: "ticket.closed", ticket, message: "Closing now" }, facts(), AT);
    expect(closed).toMatchObject({ template: "ticket-closed", vars: { message: "Closing now" } });
    expect(closed!.notBefore).toBeUndefined();
  });

  it("never writes to a customer who unsubscribed, or without a usable address", () => {
    expect(summary({ type: "ticket.created", ticket }, facts({ customerUnsubscribed: true }))).toEqual([]);
    for (const customerEmail of [null, "", "jane", "jane@localhost", "a b@example.com", `${"x".repeat(250)}@example.com`]) {
      expect(summary({ type: "ticket.created", ticket: { ...ticket, customerEmail } })).toEqual([]);
    }
  });

  it("writes to the agent a ticket is assigned or escalated to, when active", () => {
    expect(summary({ type: "ticket.assigned", ticket, from: null, to: "a1" }, facts({ customerUnsubscribed: true }))).toEqual([["ticket-assigned", "agent", "ada@parley.test", "en"]]);
    expect(summary({ type: "ticket.assigned", ticket, from: "a1", to: null })).toEqual([]);
    expect(summary({ type: "ticket.assigned", ticket, from: null, to: "a2" })).toEqual([]);
    expect(summary({ type: "ticket.assigned", ticket, from: null, to: "unknown" })).toEqual([]);
    const escalated = (toAgentId: string | null): DomainEvent => ({ type: "ticket.escalated", ticket, fromTier: 1, toTier: 2, reason: "db", toAgentId, toDepartmentId: null });
    expect(summary(escalated("a1"))).toEqual([["ticket-escalated", "agent", "ada@parley.test", "en"]]);
    expect(summary(escalated(null))).toEqual([]);
  });

  it("warns the assignee of an SLA at risk, and tells each agent named on a breach (never the customer)", () => {
    expect(summary({ type: "sla.warning", ticket: { ...ticket, assigneeId: "a1" }, target: "first_response", dueAt: AT })).toEqual([["sla-warning", "agent", "ada@parley.test", "en"]]);
    expect(summary({ type: "sla.warning", ticket: { ...ticket, assigneeId: null }, target: "first_response", dueAt: AT })).toEqual([]);
    const breach: DomainEvent = { type: "sla.breached", ticket: { ...ticket, tier: 3 }, target: "resolution", dueAt: AT, fromTier: 2, toTier: 3, notifyAgentIds: ["a1", "a2"] };
    // a2 is inactive: only a1 is written to.
    expect(summary(breach)).toEqual([["sla-breached", "agent", "ada@parley.test", "en"]]);
    expect(emailNotices(breach, facts(), AT)[0]!.vars).toMatchObject({ target: "resolution", tier: 3, escalated: 1, dueAt: new Date(AT).toISOString() });
  });

  it("sends nothing for the events that are not about the customer or an agent's new work", () => {
    const quiet: DomainEvent[] = [
      { type: "contact.created", ticket },
      { type: "ticket.updated", ticket, changes: ["priority"] },
      { type: "read.updated", ticket, side: "customer", seq: 1, visibleSeq: 1 },
      { type: "rating.created", ticket, score: 5, comment: null },
      { type: "agent.status_changed", agentId: "a1", status: "away", siteIds: ["s1"] },
      { type: "agent.deactivated", agentId: "a1", siteIds: ["s1"], ticketRoomIds: [], releasedTickets: [ticket] },
      { type: "category.deleted", categoryId: "c1", affectedTickets: [ticket] },
    ];
    for (const event of quiet) expect(summary(event)).toEqual([]);
  });

  it("quotes at most QUOTED_BODY_LIMIT characters of a long reply", () => {
    const [notice] = emailNotices({ type: "message.created", ticket, message: message({ body: "x".repeat(QUOTED_BODY_LIMIT + 50) }), visibleSeq: 3, senderType: "agent" }, facts(), AT);
    expect(String(notice!.vars.body)).toHaveLength(QUOTED_BODY_LIMIT + 1);
  });
});

describe("emailLocale", () => {
  it("maps a locale tag to one we have templates for", () => {
    expect([emailLocale("fr"), emailLocale("FR-ca"), emailLocale("ar_EG"), emailLocale("en-GB"), emailLocale("pt-BR"), emailLocale(null)]).toEqual(["fr", "fr", "ar", "en", "en", "en"]);
  });
});
