import { describe, expect, it } from "vitest";
import { TicketStatusSchema } from "../../protocol/index.js";
import { canTransition, statusAfterCustomerMessage, transitionRefusal } from "./ticket-lifecycle.js";
import { formatTicketNumber } from "./ticket-number.js";

describe("ticket lifecycle", () => {
  it("walks the happy path open → in_progress → pending_customer → resolved → closed", () => {
    const path = ["open", "in_progress", "pending_customer", "resolved", "closed"] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it("lets an escalated ticket return to in_progress", () => {
    expect(canTransition("in_progress", "escalated")).toBe(true);
    expect(canTransition("escalated", "in_progress")).toBe(true);
  });

  it("never leaves closed, and explains every refusal", () => {
    for (const to of TicketStatusSchema.options) {
      expect(canTransition("closed", to)).toBe(false);
      expect(transitionRefusal("closed", to)).toMatch(/closed/);
    }
    expect(transitionRefusal("resolved", "pending_customer")).toBe(
      "a resolved ticket cannot become pending_customer; it can become in_progress, closed",
    );
    expect(transitionRefusal("open", "in_progress")).toBeNull();
  });

  it("reopens a resolved ticket when the customer writes again", () => {
    expect(statusAfterCustomerMessage("resolved")).toBe("in_progress");
    expect(statusAfterCustomerMessage("open")).toBeNull();
  });

  it("formats ticket numbers with six digits", () => {
    expect(formatTicketNumber(2026, 123)).toBe("TKT-2026-000123");
    expect(formatTicketNumber(2026, 1234567)).toBe("TKT-2026-1234567");
  });
});
