/**
 * Which sites' tickets an agent may see and act on. Admins work on every site; an agent on
 * the sites it is a member of (`agent_sites`), and on nothing at all without a membership:
 * a new account sees no ticket until an admin gives it a site, so a forgotten membership
 * hides work instead of exposing another team's customers.
 *
 * `all` is also what a member of every site gets, so that the usual single-team install
 * reads its queue without any site filter.
 */
export type SiteScope = { readonly all: true } | { readonly all: false; readonly siteIds: readonly string[] };

export const EVERY_SITE: SiteScope = { all: true };

/** The scope of an agent from its role, its memberships and how many sites exist. */
export function siteScopeOf(agent: { role: "agent" | "admin" }, memberSiteIds: readonly string[], siteCount: number): SiteScope {
  if (agent.role === "admin") return EVERY_SITE;
  // Memberships reference existing sites and are unique per site, so as many of them as there
  // are sites means every site.
  if (siteCount > 0 && memberSiteIds.length >= siteCount) return EVERY_SITE;
  return { all: false, siteIds: memberSiteIds };
}

export function scopeIncludesSite(scope: SiteScope, siteId: string): boolean {
  return scope.all || scope.siteIds.includes(siteId);
}

/** Whether an agent with this scope may see (and so act on, subscribe to) this ticket. */
export function mayAgentSeeTicket(scope: SiteScope, ticket: { siteId: string }): boolean {
  return scopeIncludesSite(scope, ticket.siteId);
}

/**
 * Whether this agent may hold a ticket of `siteId`: an admin anywhere, an agent only on its
 * own sites (a ticket it could not open would be stuck with it).
 */
export function mayWorkOnSite(agent: { role: "agent" | "admin" }, memberSiteIds: readonly string[], siteId: string): boolean {
  return agent.role === "admin" || memberSiteIds.includes(siteId);
}

/** The sites an agent stops seeing when its scope goes from `before` to `after` (for revoking live access). */
export function sitesLost(before: SiteScope, after: SiteScope, allSiteIds: readonly string[]): string[] {
  if (after.all) return [];
  const kept = new Set(after.siteIds);
  const had = before.all ? allSiteIds : before.siteIds;
  return had.filter((id) => !kept.has(id));
}
