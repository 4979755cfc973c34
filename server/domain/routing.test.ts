import { describe, expect, it } from "vitest";
import { candidateRefusal, chooseAssignee, type RoutableTicket, type RoutingCandidate } from "./routing.js";

const ticket: RoutableTicket = { siteId: "site-1", departmentId: "billing", categoryId: "refunds", tier: 1 };
const agent = (id: string, overrides: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  id,
  active: true,
  memberOfSite: true,
  status: "available",
  departmentId: "billing",
  tier: 1,
  capacity: 5,
  skills: [],
  load: 0,
  ...overrides,
});
const chosen = (agents: RoutingCandidate[], last: string | null = null, of: RoutableTicket = ticket) => chooseAssignee(of, agents, last).agentId;

describe("routing rule", () => {
  it("gives the ticket to the least loaded candidate", () => {
    expect(chosen([agent("a", { load: 3 }), agent("b", { load: 1 }), agent("c", { load: 2 })])).toBe("b");
  });

  it("takes turns among equally loaded candidates after the pointer, wrapping round", () => {
    const equals = [agent("c"), agent("a"), agent("b")];
    expect(chosen(equals, null)).toBe("a");
    expect(chosen(equals, "a")).toBe("b");
    expect(chosen(equals, "b")).toBe("c");
    expect(chosen(equals, "c")).toBe("a");
    // A pointer at an agent who left the team still moves on to the next one in order.
    expect(chosen(equals, "bb")).toBe("c");
  });

  it("shares 1,000 tickets over 5 equal agents within one of each other", () => {
    const team = ["e", "a", "d", "b", "c"].map((id) => agent(id));
    const counts = new Map(team.map((member) => [member.id, 0]));
    let last: string | null = null;
    for (let n = 0; n < 1000; n++) {
      // Each ticket is resolved before the next arrives, so the loads stay equal and only the pointer decides.
      const id: string = chosen(team, last)!;
      counts.set(id, counts.get(id)! + 1);
      last = id;
    }
    const values = [...counts.values()];
    expect(values.reduce((sum, count) => sum + count, 0)).toBe(1000);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  });

  it("stays fair when tickets pile up and some are resolved (least load, then turns)", () => {
    const team = ["a", "b", "c", "d", "e"].map((id) => agent(id, { capacity: 1000 }));
    const assigned = new Map(team.map((member) => [member.id, 0]));
    let last: string | null = null;
    for (let n = 0; n < 1000; n++) {
      const id: string = chosen(team, last)!;
      const member = team.find((candidate) => candidate.id === id)!;
      member.load += 1;
      assigned.set(id, assigned.get(id)! + 1);
      last = id;
      // Every seventh ticket, the busiest agent resolves one.
      if (n % 7 === 6) team.reduce((busiest, candidate) => (candidate.load > busiest.load ? candidate : busiest)).load -= 1;
    }
    // Who resolves decides who gets more tickets; what stays even is the load.
    const loads = team.map((member) => member.load);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(loads.reduce((sum, load) => sum + load, 0)).toBe(1000 - Math.floor(1000 / 7));
    expect(assigned.get("a")).toBeGreaterThan(assigned.get("e")!);
  });

  it("never goes past capacity, and with everyone full nobody gets it", () => {
    expect(chosen([agent("a", { load: 5, capacity: 5 }), agent("b", { load: 6, capacity: 8 })])).toBe("b");
    const full = chooseAssignee(ticket, [agent("a", { load: 5 }), agent("b", { load: 7, capacity: 7 })], null);
    expect(full).toEqual({ agentId: null, reason: "every available agent is at capacity" });
  });

  it("gives an agent with skills only the categories they cover; no skills cover everything", () => {
    const team = [agent("a", { skills: ["shipping"] }), agent("b", { skills: ["refunds", "shipping"], load: 4 }), agent("c", { load: 9, capacity: 10 })];
    expect(chosen(team)).toBe("b");
    expect(chosen(team, null, { ...ticket, categoryId: "shipping" })).toBe("a");
    // A ticket without a category only goes to someone without skills.
    expect(chosen(team, null, { ...ticket, categoryId: null })).toBe("c");
    expect(chooseAssignee(ticket, [agent("a", { skills: ["shipping"] })], null)).toEqual({ agentId: null, reason: "no agent whose skills cover the category" });
  });

  it("gives nothing to away or busy agents", () => {
    expect(chosen([agent("a", { status: "away" }), agent("b", { status: "busy" }), agent("c", { load: 4 })])).toBe("c");
    expect(chooseAssignee(ticket, [agent("a", { status: "away" }), agent("b", { status: "busy" })], null)).toEqual({ agentId: null, reason: "no agent available" });
  });

  it("keeps to the ticket's tier, department and site, and to active agents", () => {
    const others = [
      agent("a", { tier: 2 }),
      agent("b", { departmentId: "sales" }),
      agent("c", { memberOfSite: false }),
      agent("d", { active: false }),
    ];
    expect(chooseAssignee(ticket, others, null)).toEqual({ agentId: null, reason: "no agent of this site, department and tier" });
    expect(chosen([...others, agent("e", { load: 4 })])).toBe("e");
    expect(chosen(others, null, { ...ticket, tier: 2 })).toBe("a");
    // A ticket whose category has no department goes to any department.
    expect(chosen(others, null, { ...ticket, departmentId: null })).toBe("b");
    expect(candidateRefusal(ticket, agent("x", { tier: 3 }))).toBe("another tier");
  });

  it("answers no candidate for an empty team", () => {
    expect(chooseAssignee(ticket, [], "a")).toEqual({ agentId: null, reason: "no agent of this site, department and tier" });
  });
});
