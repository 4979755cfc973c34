import { describe, expect, it } from "vitest";
import { TicketStatusSchema } from "../../protocol/index.js";
import { customerCloseRefusal, visitorPriority } from "./visitor-rules.js";

describe("what a visitor may choose", () => {
  it("caps a visitor's priority at high and leaves the rest alone", () => {
    expect(visitorPriority("urgent")).toBe("high");
    for (const priority of ["low", "normal", "high"] as const) expect(visitorPriority(priority)).toBe(priority);
    expect(visitorPriority(undefined)).toBeUndefined();
  });
  it("lets a customer close a resolved ticket only", () => {
    for (const status of TicketStatusSchema.options) {
      expect([status, customerCloseRefusal(status) === null]).toEqual([status, status === "resolved"]);
    }
  });
});
