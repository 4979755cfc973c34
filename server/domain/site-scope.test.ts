import { describe, expect, it } from "vitest";
import { EVERY_SITE, mayAgentSeeTicket, mayWorkOnSite, siteScopeOf, sitesLost } from "./site-scope.js";

const agent = { role: "agent" as const };
const admin = { role: "admin" as const };

describe("site scope", () => {
  it("gives admins every site, members of every site every site, and others their own sites", () => {
    expect(siteScopeOf(admin, [], 3)).toEqual(EVERY_SITE);
    expect(siteScopeOf(agent, ["a", "b", "c"], 3)).toEqual(EVERY_SITE);
    expect(siteScopeOf(agent, ["a"], 3)).toEqual({ all: false, siteIds: ["a"] });
    // No site, no ticket: not even when no site exists yet.
    expect(siteScopeOf(agent, [], 0)).toEqual({ all: false, siteIds: [] });
    expect(siteScopeOf(agent, [], 2)).toEqual({ all: false, siteIds: [] });
  });

  it("lets an agent see and hold only its sites' tickets", () => {
    const scope = siteScopeOf(agent, ["a"], 2);
    expect(mayAgentSeeTicket(scope, { siteId: "a" })).toBe(true);
    expect(mayAgentSeeTicket(scope, { siteId: "b" })).toBe(false);
    expect(mayAgentSeeTicket(EVERY_SITE, { siteId: "b" })).toBe(true);
    expect(mayWorkOnSite(agent, ["a"], "b")).toBe(false);
    expect(mayWorkOnSite(admin, [], "b")).toBe(true);
  });

  it("names the sites a change of membership or role takes away", () => {
    const all = ["a", "b", "c"];
    expect(sitesLost({ all: false, siteIds: ["a", "b"] }, { all: false, siteIds: ["b"] }, all)).toEqual(["a"]);
    expect(sitesLost(EVERY_SITE, { all: false, siteIds: ["b"] }, all)).toEqual(["a", "c"]);
    expect(sitesLost({ all: false, siteIds: ["a"] }, EVERY_SITE, all)).toEqual([]);
    expect(sitesLost({ all: false, siteIds: ["a"] }, { all: false, siteIds: ["a", "b"] }, all)).toEqual([]);
  });
});
