import { createRoute } from "@hono/zod-openapi";
import { AgentStatsQuerySchema, AgentStatsSchema, MAX_STATS_DAYS } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { notFound } from "../domain/errors.js";
import { allSiteIds, scopeIncludesSite } from "../tickets/scope.js";
import { queryStats, statsRange } from "../tickets/stats-report.js";
import { access, errors, jsonResponse } from "./openapi.js";

const stats = createRoute({
  method: "get",
  path: "/v1/agent/stats",
  tags: ["agent"],
  security: access.agent,
  summary: "Support stats over a range of UTC days: volumes, response and resolution times, SLA attainment, CSAT, backlog, per agent and department",
  description: [
    `Query: \`from\` and \`to\` (UTC days \`YYYY-MM-DD\`, inclusive; default the 30 days up to today; at most ${MAX_STATS_DAYS} days),`,
    "`site` (one of the caller's sites; default all of them), `department`, `agent` (by the tickets' current department and assignee).",
    "Each figure counts on the UTC day of its event: created, first reply, resolution, closing, rating.",
    "Times are business minutes in each site's calendar (around the clock without one), from creation to the first reply or to resolution;",
    "medians and p90s are nearest-rank values read to the histogram's bucket (exact to the minute up to an hour, then 5 minutes up to 10 hours, 30 minutes up to 2 days, 2 hours up to 14 days, a day beyond).",
    "SLA attainment counts targets reached in the range (met: by the due time, never breached). `byStatus` and `backlog` are the tickets' state now.",
    "Closed days come from the daily rollup (job `stats-rollup`), today and days not rolled up yet are computed live.",
  ].join(" "),
  request: { query: AgentStatsQuerySchema },
  responses: { 200: jsonResponse(AgentStatsSchema, "The stats."), ...errors("validation_failed", "unauthorized", "not_found") },
});

export function agentStatsRoutes(services: Services) {
  const { orm } = services.db;
  return routeGroup().openapi(stats, async (c) => {
    const query = c.req.valid("query");
    const scope = c.get("siteScope");
    const now = services.now();
    const range = statsRange(query, now, MAX_STATS_DAYS);
    // Another team's site answers like one that does not exist.
    if (query.site !== undefined && !scopeIncludesSite(scope, query.site)) throw notFound(`site ${query.site}`);
    const scoped = scope.all ? await allSiteIds(orm) : [...scope.siteIds];
    const siteIds = query.site !== undefined ? scoped.filter((id) => id === query.site) : scoped;
    if (query.site !== undefined && siteIds.length === 0) throw notFound(`site ${query.site}`);
    return c.json(await queryStats(orm, { siteIds, departmentId: query.department, agentId: query.agent }, range, now), 200);
  });
}
