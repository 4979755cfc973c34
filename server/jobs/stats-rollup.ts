import { asc } from "drizzle-orm";
import { sites } from "../db/schema.js";
import { DAY_MS, dayOf, dayStart, daysBetween } from "../domain/stats.js";
import { firstTicketDay, lastRolledDay, writeRollup } from "../tickets/stats.js";
import type { Job } from "./job.js";

/** How far back a first run rolls up (a year and a bit: the stats' longest range). */
export const ROLLUP_BACKFILL_DAYS = 400;
/** Days written per transaction when catching up, so a long backfill never holds the write queue for long. */
const DAYS_PER_WRITE = 31;

/**
 * The daily stats rollup: for each site, every closed UTC day from its last rolled day (which
 * is written again, so a late run or a rerun corrects it) up to yesterday, each day's groups
 * replacing what was stored. Rewriting a day from the tickets is idempotent by construction, so
 * two servers running it at once write the same rows; the lease keeps that rare.
 */
export const statsRollupJob: Job = {
  name: "stats-rollup",
  description: "Rolls each site's closed UTC days up into stats_daily (the last rolled day again, then every day since up to yesterday), so the stats read a row per day instead of every ticket.",
  schedule: "15 0 * * *",
  run: async (run) => {
    const yesterday = dayOf(run.startedAt - DAY_MS);
    const earliest = dayOf(dayStart(yesterday) - (ROLLUP_BACKFILL_DAYS - 1) * DAY_MS);
    const siteRows = await run.orm.select({ id: sites.id }).from(sites).orderBy(asc(sites.id));
    const batches: { siteId: string; days: string[] }[] = [];
    for (const { id } of siteRows) {
      const start = (await lastRolledDay(run.orm, id)) ?? (await firstTicketDay(run.orm, id));
      if (start === null || start > yesterday) continue;
      const days = daysBetween(start < earliest ? earliest : start, yesterday);
      for (let i = 0; i < days.length; i += DAYS_PER_WRITE) batches.push({ siteId: id, days: days.slice(i, i + DAYS_PER_WRITE) });
    }
    await run.each(batches, (batch) => writeRollup(run.commands.db, batch.siteId, batch.days, run.startedAt));
  },
};
