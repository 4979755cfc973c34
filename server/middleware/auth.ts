import { and, eq, sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { SiteKeySchema } from "../../protocol/index.js";
import type { AgentRow, AppEnv, Services, SiteRow, VisitorRow } from "../context.js";
import { executorOf } from "../db/client.js";
import { agents, sites, visitors } from "../db/schema.js";
import { stampedCachePerDatabase } from "../db/stamped-cache.js";
import { compile, compiler, rowReader } from "../db/statement.js";
import { scopeColumns, scopeFromColumns, type SiteScope } from "../tickets/scope.js";
import { ApiError } from "./errors.js";
import { assertOriginAllowed } from "./site-cors.js";

// Whole rows, so that every column of visitor, site and agent reaches the checks below.
const visitorRow = rowReader(visitors);
const siteRow = rowReader(sites);
const agentRow = rowReader(agents);

/** One query for both: this runs on every visitor request. */
const selectVisitorWithSite = compile<{ visitorId: string; siteId: string }>(
  compiler
    .select({ ...visitorRow.columns, ...prefixed(siteRow.columns) })
    .from(visitors)
    .innerJoin(sites, eq(sites.id, visitors.siteId))
    .where(and(eq(visitors.id, sql.placeholder("visitorId")), eq(visitors.siteId, sql.placeholder("siteId"))))
    .limit(1),
);
/** The agent with the sites it works on, in one query: this runs on every agent request. */
const selectAgent = compile<{ id: string }>(
  compiler.select({ ...agentRow.columns, ...scopeColumns }).from(agents).where(eq(agents.id, sql.placeholder("id"))).limit(1),
);

/** The site's columns under keys that cannot clash with the visitor's (both tables have `id`). */
function prefixed<T extends Record<string, unknown>>(columns: T): Record<string, T[keyof T]> {
  return Object.fromEntries(Object.entries(columns).map(([key, column]) => [`site.${key}`, column as T[keyof T]]));
}

// The callers' rows, kept while the database stays as it was (stamped-cache.ts): a token's
// owner is read on every request, and rotating a secret, deactivating an agent or changing a
// password are commits, which retire every entry. The checks below run on each request.
const visitorsWithSites = stampedCachePerDatabase<{ visitor: VisitorRow; site: SiteRow } | undefined>(2000);
const agentsById = stampedCachePerDatabase<{ agent: AgentRow; scope: SiteScope } | undefined>(500);

/**
 * The stamp a request's kept reads are checked against, read once, before its first query. A
 * request that writes gets none: under writes the stamp moves with every commit, so its kept
 * reads would seldom hold, and reading the stamp costs about what the lookup it guards does.
 */
function requestStamp(services: Services, method: string): number | null {
  return method === "GET" || method === "HEAD" ? services.db.changeStamp() : null;
}

function visitorWithSite(services: Services, stamp: number | null, visitorId: string, siteId: string): Promise<{ visitor: VisitorRow; site: SiteRow } | undefined> {
  const { db } = services;
  return visitorsWithSites(db).remember(`${visitorId} ${siteId}`, stamp, async () => {
    const row = await selectVisitorWithSite.first(executorOf(db.orm), { visitorId, siteId });
    return row ? { visitor: visitorRow.read(row), site: siteRow.read(row, visitorRow.width) } : undefined;
  });
}

function agentById(services: Services, stamp: number | null, id: string): Promise<{ agent: AgentRow; scope: SiteScope } | undefined> {
  const { db } = services;
  return agentsById(db).remember(id, stamp, async () => {
    const row = await selectAgent.first(executorOf(db.orm), { id });
    if (!row) return undefined;
    const agent = agentRow.read(row);
    return { agent, scope: scopeFromColumns(agent, row, agentRow.width).scope };
  });
}

function bearer(header: string | undefined): string {
  const match = header?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]+)$/);
  if (!match?.[1]) throw new ApiError("unauthorized", "send a token as Authorization: Bearer <token>");
  return match[1];
}

export async function findSiteByKey(services: Services, key: string | undefined): Promise<SiteRow> {
  if (!key) throw new ApiError("bad_request", "name the site with the X-Parley-Site header");
  if (!SiteKeySchema.safeParse(key).success) throw new ApiError("bad_request", "X-Parley-Site is not a site key (pk_…)");
  const site = await services.reference.siteByKey(key);
  if (!site) throw new ApiError("not_found", "unknown site key");
  return site;
}

/** Public widget routes: the site comes from `X-Parley-Site`. */
export const requireSite = (services: Services) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const site = await findSiteByKey(services, c.req.header("x-parley-site"));
    assertOriginAllowed(c.req.header("origin"), site.allowedOrigins);
    c.set("site", site);
    await next();
  });

/** Visitor routes: a valid visitor token; the site is the token's, and a stated site must agree. */
export const requireVisitor = (services: Services) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const claims = await services.tokens.readVisitor(bearer(c.req.header("authorization")));
    const stamp = requestStamp(services, c.req.method);
    const found = await visitorWithSite(services, stamp, claims.sub, claims.site);
    if (!found) throw new ApiError("unauthorized", "this visitor session no longer exists; start a new one");
    const { visitor, site } = found;
    if (claims.ep !== site.tokenEpoch) throw new ApiError("unauthorized", "the site changed its identity settings since this session began; start a new one");
    const statedKey = c.req.header("x-parley-site");
    if (statedKey && statedKey !== site.publicKey) throw new ApiError("forbidden", "this token belongs to another site");
    assertOriginAllowed(c.req.header("origin"), site.allowedOrigins);
    c.set("site", site);
    c.set("visitor", visitor);
    c.set("changeStamp", stamp);
    await next();
  });

/** Agent routes: a valid agent token of an active agent; the sites it works on come along (`siteScope`). */
export const requireAgent = (services: Services) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const claims = await services.tokens.readAgent(bearer(c.req.header("authorization")));
    const stamp = requestStamp(services, c.req.method);
    const found = await agentById(services, stamp, claims.sub);
    if (!found || !found.agent.active) throw new ApiError("unauthorized", "this agent account is not active");
    const { agent, scope } = found;
    if (claims.ep !== agent.tokenEpoch) throw new ApiError("unauthorized", "this token was revoked (the password changed or the account was deactivated); sign in again");
    c.set("agent", agent);
    c.set("siteScope", scope);
    c.set("changeStamp", stamp);
    await next();
  });

/** Admin routes: an agent whose current role (read from the database, not the token) is admin. */
export const requireAdmin = (services: Services) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await requireAgent(services)(c, async () => {
      if (c.get("agent").role !== "admin") throw new ApiError("forbidden", "this route is for admins");
      await next();
    });
  });

/** The `kind` a token claims, read before verification only to pick the verifier that then checks it fully. */
function claimedKind(token: string): unknown {
  try {
    const payload = token.split(".")[1] ?? "";
    return (JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { kind?: unknown }).kind;
  } catch {
    // An undecodable token is refused by the verifier it is handed to next.
    return undefined;
  }
}

/** Routes open to both sides (realtime tokens): a visitor or an agent token, each fully checked. */
export const requireVisitorOrAgent = (services: Services) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const kind = claimedKind(bearer(c.req.header("authorization")));
    const verify = kind === "agent" ? requireAgent(services) : requireVisitor(services);
    await verify(c, async () => {
      c.set("caller", kind === "agent" ? "agent" : "visitor");
      await next();
    });
  });
