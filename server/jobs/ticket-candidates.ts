import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { Orm } from "../db/client.js";
import { sites, tickets } from "../db/schema.js";
import { pagesOf } from "./job.js";

/**
 * The tickets a job acts on, page by page in id order: those meeting `conditions`, which may
 * read the ticket's site's settings (`sites` is joined). Each job names only its conditions.
 */
export function ticketCandidates(orm: Orm, conditions: (SQL | undefined)[]): AsyncGenerator<{ id: string; number: string }> {
  return pagesOf((after, limit) =>
    orm
      .select({ id: tickets.id, number: tickets.number })
      .from(tickets)
      .innerJoin(sites, eq(sites.id, tickets.siteId))
      .where(and(...conditions, gt(tickets.id, after)))
      .orderBy(asc(tickets.id))
      .limit(limit),
  );
}
