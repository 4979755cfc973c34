import type { AgentRole, CannedScope } from "../../protocol/index.js";
import { scopeIncludesSite, type SiteScope } from "./site-scope.js";

/** Who is asking, as far as canned responses care. */
export interface CannedCaller {
  id: string;
  role: AgentRole;
  departmentId: string | null;
  /** The sites the caller works on (site-scope.ts). */
  sites: SiteScope;
}

/** Whose a canned response is. */
export interface CannedOwner {
  scope: CannedScope;
  siteId: string | null;
  departmentId: string | null;
  agentId: string | null;
}

/**
 * Who may use (see, list, render, send) a response: a personal one its author alone — not
 * even an admin, since personal means personal; a team one the department's agents and the
 * admins; a site one every agent working on that site.
 */
export function mayUse(caller: CannedCaller, owner: CannedOwner): boolean {
  switch (owner.scope) {
    case "personal":
      return owner.agentId === caller.id;
    case "team":
      return caller.role === "admin" || (caller.departmentId !== null && owner.departmentId === caller.departmentId);
    case "site":
      return owner.siteId !== null && scopeIncludesSite(caller.sites, owner.siteId);
  }
}

/**
 * Who may create, edit or delete one. Agents write their own personal responses; site and
 * team responses speak for everyone who uses them, so admins curate them. (Letting a team's
 * agents edit its shared texts would let any one of them change what the whole team sends
 * without anyone reviewing it; a team that wants that can make the agent an admin.)
 */
export function mayManage(caller: CannedCaller, owner: CannedOwner): boolean {
  if (owner.scope === "personal") return owner.agentId === caller.id;
  return caller.role === "admin";
}
