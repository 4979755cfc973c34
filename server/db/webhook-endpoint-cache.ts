import { and, eq, sql } from "drizzle-orm";
import { isWebhookEventType, type WebhookEventType } from "../../protocol/index.js";
import { executorOf, type Reader } from "./client.js";
import { tableStamps, webhookEndpoints } from "./schema.js";
import { compile, compiler } from "./statement.js";

/** An enabled endpoint as the outbox needs it: where to address an event, and which events it takes. */
export interface SubscribedEndpoint {
  id: string;
  events: WebhookEventType[];
}

/**
 * The enabled webhook endpoints of each site, kept in process memory: every command's
 * transaction asks for them, nearly always to learn that a site has none, and only admins
 * change them.
 *
 * Another server on the same database (or the CLI) changes endpoints without telling this
 * one, so unlike the reference cache's TTL (a site's colours may look old for a while), a
 * stale answer here would lose events: an endpoint created elsewhere would miss them. So the
 * copy is checked, inside the caller's transaction, against the table's stamp, which triggers
 * change on every insert, update and delete of an endpoint, whoever makes it (`table_stamps`
 * in schema.ts). A write transaction holds SQLite's write lock, so the stamp it reads is the
 * latest committed one (or its own uncommitted change) and stays so until it commits: the
 * entries it writes go to exactly the endpoints enabled at that commit.
 */
export interface WebhookEndpointCache {
  /** The site's enabled endpoints as `reader` sees them (one stamp read when the copy holds). */
  enabledEndpoints(reader: Reader, siteId: string): Promise<readonly SubscribedEndpoint[]>;
}

/** Enough for any real install; past it the copy starts over rather than grow without bound. */
const MAX_SITES = 10_000;

const selectStamp = compile<Record<string, never>>(compiler.select({ stamp: tableStamps.stamp }).from(tableStamps).where(eq(tableStamps.name, "webhook_endpoints")));
const selectEnabled = compile<{ siteId: string }>(
  compiler
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.siteId, sql.placeholder("siteId")), eq(webhookEndpoints.enabled, true))),
);


/** Reads a site's enabled endpoints straight from the database (the cache's loader; also for callers without the cache). */
export async function readEnabledEndpoints(reader: Reader, siteId: string): Promise<SubscribedEndpoint[]> {
  const rows = await selectEnabled.rows(executorOf(reader), { siteId });
  // Types this server no longer knows are skipped, not fatal: a stale subscription must never fail the command.
  return rows.map((row) => ({ id: String(row[0]), events: (JSON.parse(String(row[1])) as unknown[]).filter(isWebhookEventType) }));
}

export function createWebhookEndpointCache(): WebhookEndpointCache {
  // The stamp the copy was read under; null: nothing copied yet.
  let stamp: string | null = null;
  const bySite = new Map<string, readonly SubscribedEndpoint[]>();

  return {
    async enabledEndpoints(reader, siteId) {
      // The stamp first: read outside a transaction, a change landing between the two reads
      // pairs an older stamp with newer rows, which only makes the next call read again.
      const row = await selectStamp.first(executorOf(reader), {});
      // Without its row (a database not migrated this far) nothing can be trusted: read each time.
      if (!row) return readEnabledEndpoints(reader, siteId);
      const current = String(row[0]);
      if (current !== stamp) {
        bySite.clear();
        stamp = current;
      }
      const cached = bySite.get(siteId);
      if (cached) return cached;
      const endpoints = await readEnabledEndpoints(reader, siteId);
      // A call that saw another stamp meanwhile owns the copy now: rows read under this one stay out of it.
      if (stamp !== current) return endpoints;
      if (bySite.size >= MAX_SITES) bySite.clear();
      bySite.set(siteId, endpoints);
      return endpoints;
    },
  };
}

/**
 * One command's view: each site's endpoints are asked for once however many events the
 * command announces (a message and the status move it caused). No command changes endpoints
 * (only the admin routes do, in writes of their own), so the first answer holds to its end.
 */
export function commandView(cache: WebhookEndpointCache | undefined): WebhookEndpointCache {
  const asked = new Map<string, Promise<readonly SubscribedEndpoint[]>>();
  return {
    enabledEndpoints(reader, siteId) {
      let endpoints = asked.get(siteId);
      if (!endpoints) {
        endpoints = cache ? cache.enabledEndpoints(reader, siteId) : readEnabledEndpoints(reader, siteId);
        asked.set(siteId, endpoints);
      }
      return endpoints;
    },
  };
}
