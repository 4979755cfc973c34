import { describe, expect, it } from "vitest";
import { assignmentRefusal, claimRefusal } from "./assignment.js";
import { escalationAgentRefusal, MAX_TIER, planEscalation, statusAfterPickUp } from "./escalation.js";
import { statusAfterAgentReply } from "./ticket-lifecycle.js";
import { ratingRefusal } from "./rating.js";

describe("escalation", () => {
  it("moves a ticket one tier up in its own department", () => {
    expect(planEscalation({ tier: 1, departmentId: "d1" }, undefined)).toEqual({ ok: true, plan: { fromTier: 1, toTier: 2, departmentId: "d1", movesDepartment: false } });
  });
  it("refuses past the top tier unless the ticket changes department, where it stays at the top", () => {
    expect(planEscalation({ tier: MAX_TIER, departmentId: "d1" }, undefined)).toMatchObject({ ok: false });
    expect(planEscalation({ tier: MAX_TIER, departmentId: "d1" }, "d1")).toMatchObject({ ok: false });
    expect(planEscalation({ tier: MAX_TIER, departmentId: "d1" }, "d2")).toEqual({ ok: true, plan: { fromTier: MAX_TIER, toTier: MAX_TIER, departmentId: "d2", movesDepartment: true } });
  });
  it("goes to a named tier at or above the ticket's, and stays at its tier only to move department or reach a named agent", () => {
    expect(planEscalation({ tier: 1, departmentId: null }, undefined, { tier: 3 })).toEqual({ ok: true, plan: { fromTier: 1, toTier: 3, departmentId: null, movesDepartment: false } });
    expect(planEscalation({ tier: 2, departmentId: null }, undefined, { tier: 1 })).toMatchObject({ ok: false });
    expect(planEscalation({ tier: 2, departmentId: null }, undefined, { tier: 2 })).toMatchObject({ ok: false });
    expect(planEscalation({ tier: 2, departmentId: null }, undefined, { tier: 2, namesAgent: true })).toMatchObject({ ok: true, plan: { toTier: 2 } });
    expect(planEscalation({ tier: MAX_TIER, departmentId: null }, undefined, { namesAgent: true })).toMatchObject({ ok: true, plan: { toTier: MAX_TIER } });
  });
  it("hands an escalated ticket only to an agent of its new tier or higher", () => {
    expect(escalationAgentRefusal({ tier: 2, name: "Grace" }, 2)).toBeNull();
    expect(escalationAgentRefusal({ tier: 3, name: "Linus" }, 2)).toBeNull();
    expect(escalationAgentRefusal({ tier: 1, name: "Ada" }, 2)).toMatch(/Ada works at tier 1/);
  });
  it("ends an escalation when the agent holding it replies, not when someone else does", () => {
    expect(statusAfterAgentReply("escalated", true)).toBe("in_progress");
    expect(statusAfterAgentReply("escalated", false)).toBeNull();
    expect(statusAfterAgentReply("open")).toBe("in_progress");
    expect(statusAfterAgentReply("in_progress", true)).toBeNull();
  });
  it("puts a picked-up escalated ticket back in progress, and leaves others alone", () => {
    expect(statusAfterPickUp("escalated")).toBe("in_progress");
    expect(statusAfterPickUp("open")).toBeNull();
  });
});

describe("rating", () => {
  it("accepts a first score of 1 to 5 on a resolved or closed ticket", () => {
    expect(ratingRefusal({ status: "resolved", rating: null }, 1)).toBeNull();
    expect(ratingRefusal({ status: "closed", rating: null }, 5)).toBeNull();
  });
  it("refuses before resolution, a second rating, and scores out of range", () => {
    expect(ratingRefusal({ status: "open", rating: null }, 4)?.code).toBe("illegal_transition");
    expect(ratingRefusal({ status: "resolved", rating: 3 }, 4)?.code).toBe("conflict");
    for (const score of [0, 6, 2.5]) expect(ratingRefusal({ status: "resolved", rating: null }, score)?.code).toBe("validation_failed");
  });
});

describe("assignment", () => {
  it("refuses closed tickets and inactive or unknown agents; unassigning needs no agent", () => {
    expect(assignmentRefusal({ status: "closed" }, { active: true }, "a1")?.code).toBe("illegal_transition");
    expect(assignmentRefusal({ status: "open" }, { active: false }, "a1")?.code).toBe("validation_failed");
    expect(assignmentRefusal({ status: "open" }, undefined, "a1")?.code).toBe("validation_failed");
    expect(assignmentRefusal({ status: "open" }, null, null)).toBeNull();
    expect(assignmentRefusal({ status: "open" }, { active: true }, "a1")).toBeNull();
  });
  it("lets an agent claim a free ticket or their own, not someone else's", () => {
    expect(claimRefusal({ status: "open", assigneeId: null }, "a1")).toBeNull();
    expect(claimRefusal({ status: "open", assigneeId: "a1" }, "a1")).toBeNull();
    expect(claimRefusal({ status: "open", assigneeId: "a2" }, "a1")?.code).toBe("conflict");
  });
});
