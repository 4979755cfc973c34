import { describe, expect, it } from "vitest";
import { mayManage, mayUse, type CannedCaller, type CannedOwner } from "./canned-access.js";
import { EVERY_SITE } from "./site-scope.js";

const ada: CannedCaller = { id: "ada", role: "agent", departmentId: "support", sites: { all: false, siteIds: ["s1"] } };
const bea: CannedCaller = { id: "bea", role: "agent", departmentId: "billing", sites: { all: false, siteIds: ["s1", "s2"] } };
const admin: CannedCaller = { id: "root", role: "admin", departmentId: null, sites: EVERY_SITE };
const personal: CannedOwner = { scope: "personal", siteId: null, departmentId: null, agentId: "ada" };
const team: CannedOwner = { scope: "team", siteId: null, departmentId: "support", agentId: null };
const site: CannedOwner = { scope: "site", siteId: "s1", departmentId: null, agentId: null };

describe("who may use and change canned responses", () => {
  it("keeps a personal response to its author, admins included", () => {
    expect([mayUse(ada, personal), mayUse(bea, personal), mayUse(admin, personal)]).toEqual([true, false, false]);
    expect([mayManage(ada, personal), mayManage(bea, personal), mayManage(admin, personal)]).toEqual([true, false, false]);
  });
  it("shares a team response with its department and the admins, and lets only admins change it", () => {
    expect([mayUse(ada, team), mayUse(bea, team), mayUse(admin, team)]).toEqual([true, false, true]);
    expect([mayManage(ada, team), mayManage(admin, team)]).toEqual([false, true]);
    expect(mayUse({ ...ada, departmentId: null }, team)).toBe(false);
  });
  it("shares a site response with every agent of that site, and lets only admins change it", () => {
    expect([mayUse(ada, site), mayUse(bea, site), mayUse(admin, site)]).toEqual([true, true, true]);
    expect(mayUse({ ...bea, sites: { all: false, siteIds: ["s2"] } }, site)).toBe(false);
    expect(mayUse({ ...bea, sites: { all: false, siteIds: [] } }, site)).toBe(false);
    expect([mayManage(ada, site), mayManage(admin, site)]).toEqual([false, true]);
  });
});
