import { and, asc, eq, gte, sql } from "drizzle-orm";
import { assistantInteractions, assistantUsageDaily, sites } from "../db/schema.js";
import { judgeUsage, TRAILING_DAYS, type DayUsage } from "../domain/assistant/usage.js";
import { DAY_MS, dayOf, dayStart, daysBetween } from "../domain/stats.js";
import type { Job } from "./job.js";

/** Days judged per run (today included, as it stands): a late or missed run is caught up. */
export const USAGE_DAYS_JUDGED = 7;

/**
 * The AI usage report: for each site, the provider tokens spent per UTC day over the last
 * week (and today so far), each day judged against the seven days before it. Rewriting a day
 * from the log is idempotent, so a rerun or two servers at once write the same rows.
 */
export const aiUsageJob: Job = {
  name: "ai-usage",
  description: "Sums the assistant's tokens per site and UTC day into assistant_usage_daily and flags a day over three times the mean of the seven before it.",
  schedule: "20 * * * *",
  run: async (run) => {
    const today = dayOf(run.startedAt);
    const first = dayOf(dayStart(today) - (USAGE_DAYS_JUDGED - 1 + TRAILING_DAYS) * DAY_MS);
    const siteRows = await run.orm.select({ id: sites.id }).from(sites).orderBy(asc(sites.id));
    await run.each(siteRows, async ({ id }) => {
      const day = sql<string>`strftime('%Y-%m-%d', ${assistantInteractions.createdAt} / 1000, 'unixepoch')`;
      const rows = await run.orm
        .select({ day, tokens: sql<number>`sum(${assistantInteractions.tokensIn} + ${assistantInteractions.tokensOut})`, interactions: sql<number>`count(*)` })
        .from(assistantInteractions)
        .where(and(eq(assistantInteractions.siteId, id), gte(assistantInteractions.createdAt, dayStart(first))))
        .groupBy(day);
      if (rows.length === 0) return null;
      const byDay = new Map(rows.map((row) => [row.day, row]));
      const usage: DayUsage[] = daysBetween(first, today).map((d) => ({ day: d, tokens: Number(byDay.get(d)?.tokens ?? 0), interactions: Number(byDay.get(d)?.interactions ?? 0) }));
      const verdicts = judgeUsage(usage);
      await run.commands.db.write(async (tx) => {
        for (const verdict of verdicts) {
          const values = { siteId: id, ...verdict, computedAt: run.startedAt };
          await tx
            .insert(assistantUsageDaily)
            .values(values)
            .onConflictDoUpdate({ target: [assistantUsageDaily.siteId, assistantUsageDaily.day], set: { interactions: values.interactions, tokens: values.tokens, trailingMean: values.trailingMean, anomaly: values.anomaly, computedAt: values.computedAt } });
        }
      });
      return verdicts.length;
    });
  },
};
