import { describe, expect, it } from "vitest";
import {
  autoCloseDue,
  chatArchiveCloses,
  chatIdle,
  DAY_MS,
  HOUR_MS,
  ratingReminderDue,
  transcriptOf,
  TRANSCRIPT_MAX_CHARS,
  TRANSCRIPT_MAX_LINES,
  unattendedEscalationDue,
} from "./automation.js";
import { QUOTED_BODY_LIMIT } from "./notification-rules.js";

const T = Date.UTC(2026, 11, 1, 12);

describe("auto-close", () => {
  it("closes a ticket resolved N days ago, not a minute before, and never one that is not resolved or a site that turned it off", () => {
    const resolved = { status: "resolved" as const, resolvedAt: T };
    expect(autoCloseDue(resolved, 7, T + 7 * DAY_MS - 60_000)).toBe(false);
    expect(autoCloseDue(resolved, 7, T + 7 * DAY_MS)).toBe(true);
    expect(autoCloseDue({ status: "in_progress", resolvedAt: null }, 7, T + 30 * DAY_MS)).toBe(false);
    expect(autoCloseDue(resolved, null, T + 300 * DAY_MS)).toBe(false);
  });
});

describe("rating reminder", () => {
  const ticket = { status: "resolved" as const, resolvedAt: T, rating: null, customerEmail: "jane@example.com" };
  it("is due hours after resolution, for a resolved, unrated ticket with an address", () => {
    expect(ratingReminderDue(ticket, 24, T + 24 * HOUR_MS - 1)).toBe(false);
    expect(ratingReminderDue(ticket, 24, T + 24 * HOUR_MS)).toBe(true);
    expect(ratingReminderDue({ ...ticket, rating: 4 }, 24, T + 2 * DAY_MS)).toBe(false);
    expect(ratingReminderDue({ ...ticket, status: "closed" }, 24, T + 2 * DAY_MS)).toBe(false);
    expect(ratingReminderDue({ ...ticket, customerEmail: null }, 24, T + 2 * DAY_MS)).toBe(false);
    expect(ratingReminderDue({ ...ticket, customerEmail: "not an address" }, 24, T + 2 * DAY_MS)).toBe(false);
    expect(ratingReminderDue(ticket, null, T + 2 * DAY_MS)).toBe(false);
  });
});

describe("unattended escalation", () => {
  const ticket = { status: "open" as const, assigneeId: null, createdAt: T, tier: 1 };
  it("takes open, unassigned tickets below the top tier once they waited long enough", () => {
    expect(unattendedEscalationDue(ticket, 48, T + 48 * HOUR_MS - 1)).toBe(false);
    expect(unattendedEscalationDue(ticket, 48, T + 48 * HOUR_MS)).toBe(true);
    expect(unattendedEscalationDue({ ...ticket, assigneeId: "a" }, 48, T + 9 * DAY_MS)).toBe(false);
    expect(unattendedEscalationDue({ ...ticket, status: "in_progress" }, 48, T + 9 * DAY_MS)).toBe(false);
    expect(unattendedEscalationDue({ ...ticket, status: "escalated" }, 48, T + 9 * DAY_MS)).toBe(false);
    expect(unattendedEscalationDue({ ...ticket, tier: 3 }, 48, T + 9 * DAY_MS)).toBe(false);
  });
});

describe("chat archive", () => {
  const chat = { source: "chat" as const, status: "in_progress" as const, lastMessageAt: T, createdAt: T - HOUR_MS };
  it("archives a live chat idle for the site's hours, once per stretch of activity", () => {
    expect(chatIdle(chat, null, 24, T + 24 * HOUR_MS - 1)).toBe(false);
    expect(chatIdle(chat, null, 24, T + 24 * HOUR_MS)).toBe(true);
    // Archived after its last message: not again, until someone writes.
    expect(chatIdle(chat, T + 24 * HOUR_MS, 24, T + 9 * DAY_MS)).toBe(false);
    expect(chatIdle({ ...chat, lastMessageAt: T + 30 * HOUR_MS }, T + 24 * HOUR_MS, 24, T + 9 * DAY_MS)).toBe(true);
    expect(chatIdle({ ...chat, lastMessageAt: null }, null, 24, T - HOUR_MS + 24 * HOUR_MS)).toBe(true);
    expect(chatIdle({ ...chat, source: "widget" }, null, 24, T + 9 * DAY_MS)).toBe(false);
    expect(chatIdle({ ...chat, status: "closed" }, null, 24, T + 9 * DAY_MS)).toBe(false);
    expect(chatIdle(chat, null, null, T + 9 * DAY_MS)).toBe(false);
  });

  it("closes only a resolved chat; one that still owes an answer stays a ticket", () => {
    expect(chatArchiveCloses("resolved")).toBe(true);
    for (const status of ["open", "in_progress", "pending_customer", "escalated"] as const) expect(chatArchiveCloses(status)).toBe(false);
  });

  it("cuts long bodies and long chats, and says how many messages it left out", () => {
    const line = (body: string, i: number) => ({ at: T + i, sender: "customer" as const, name: null, body });
    const short = transcriptOf([line("hi", 0), line("x".repeat(QUOTED_BODY_LIMIT + 10), 1)], 2);
    expect(short.omitted).toBe(0);
    expect(short.lines[1]!.body).toHaveLength(QUOTED_BODY_LIMIT + 1);
    const many = Array.from({ length: TRANSCRIPT_MAX_LINES + 5 }, (_, i) => line("hello", i));
    expect(transcriptOf(many, 1000)).toMatchObject({ omitted: 1000 - TRANSCRIPT_MAX_LINES });
    const big = Array.from({ length: 100 }, (_, i) => line("y".repeat(QUOTED_BODY_LIMIT), i));
    const cut = transcriptOf(big, 100);
    expect(cut.lines.reduce((n, l) => n + l.body.length, 0)).toBeLessThanOrEqual(TRANSCRIPT_MAX_CHARS);
    expect(cut.lines.length + cut.omitted).toBe(100);
  });
});
