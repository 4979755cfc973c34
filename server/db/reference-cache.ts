import { eq, sql } from "drizzle-orm";
import { executorOf, type Orm, type Reader } from "./client.js";
import { categories, sites } from "./schema.js";
import { compile, compiler, rowReader } from "./statement.js";

export type CachedSite = typeof sites.$inferSelect;
export type CachedCategory = typeof categories.$inferSelect;

/** The category table as every request reads it: a few rows, looked up by id or slug. */
export interface CategoryTable {
  /** Ordered by name, as the widget lists them. */
  readonly rows: readonly CachedCategory[];
  slugOf(id: string | null): string | null;
  bySlug(slug: string): CachedCategory | undefined;
}

/**
 * Site and category rows, which nearly every visitor request reads and only admins change,
 * kept in process memory. The admin routes that change them call `sitesChanged()` /
 * `categoriesChanged()` after their write commits, so this process answers with the new rows
 * from the next request on. Entries also expire after `ttlMs`, which bounds how stale another
 * process's changes (a second API instance, `parley` CLI commands) can look here.
 */
export interface ReferenceCache {
  siteById(id: string): Promise<CachedSite | undefined>;
  siteByKey(publicKey: string): Promise<CachedSite | undefined>;
  categories(): Promise<CategoryTable>;
  sitesChanged(): void;
  categoriesChanged(): void;
}

export const REFERENCE_TTL_MS = 30_000;
/** Enough for any real install; past it the site entries start over rather than grow without bound. */
const MAX_SITES = 10_000;

const siteRow = rowReader(sites);
const categoryRow = rowReader(categories);
const selectSite = {
  id: compile<{ value: string }>(compiler.select(siteRow.columns).from(sites).where(eq(sites.id, sql.placeholder("value"))).limit(1)),
  key: compile<{ value: string }>(compiler.select(siteRow.columns).from(sites).where(eq(sites.publicKey, sql.placeholder("value"))).limit(1)),
};
const selectCategories = compile<Record<string, never>>(compiler.select(categoryRow.columns).from(categories).orderBy(categories.name));

/** Reads the category table straight from the database (the cache's loader; also for callers without the cache). */
export async function readCategoryTable(reader: Reader): Promise<CategoryTable> {
  const rows = await selectCategories.rows(executorOf(reader), {});
  return categoryTable(rows.map((row) => categoryRow.read(row)));
}

function categoryTable(rows: CachedCategory[]): CategoryTable {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const bySlug = new Map(rows.map((row) => [row.slug, row]));
  return {
    rows,
    slugOf: (id) => (id === null ? null : (byId.get(id)?.slug ?? null)),
    bySlug: (slug) => bySlug.get(slug),
  };
}

export function createReferenceCache(orm: Orm, options: { now?: () => number; ttlMs?: number } = {}): ReferenceCache {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? REFERENCE_TTL_MS;
  const client = executorOf(orm);

  // A load that started before an invalidation must not store what it read: the generation tells.
  let siteGeneration = 0;
  const sitesByKey = new Map<string, { site: CachedSite; at: number }>();
  const sitesById = new Map<string, { site: CachedSite; at: number }>();
  let categoryGeneration = 0;
  let categoryEntry: { table: CategoryTable; at: number } | undefined;

  const fresh = <T extends { at: number }>(entry: T | undefined) => (entry && now() - entry.at < ttlMs ? entry : undefined);

  // Only sites that exist are kept: a made-up key costs a query each time, never memory.
  async function loadSite(by: "id" | "key", value: string): Promise<CachedSite | undefined> {
    const generation = siteGeneration;
    const rows = await selectSite[by].rows(client, { value });
    const site = rows[0] ? siteRow.read(rows[0]) : undefined;
    if (site && generation === siteGeneration) {
      if (sitesById.size >= MAX_SITES) {
        sitesById.clear();
        sitesByKey.clear();
      }
      const entry = { site, at: now() };
      sitesById.set(site.id, entry);
      sitesByKey.set(site.publicKey, entry);
    }
    return site;
  }

  return {
    async siteById(id) {
      return fresh(sitesById.get(id))?.site ?? loadSite("id", id);
    },
    async siteByKey(publicKey) {
      return fresh(sitesByKey.get(publicKey))?.site ?? loadSite("key", publicKey);
    },
    async categories() {
      const cached = fresh(categoryEntry);
      if (cached) return cached.table;
      const generation = categoryGeneration;
      const table = await readCategoryTable(orm);
      if (generation === categoryGeneration) categoryEntry = { table, at: now() };
      return table;
    },
    sitesChanged() {
      siteGeneration++;
      sitesById.clear();
      sitesByKey.clear();
    },
    categoriesChanged() {
      categoryGeneration++;
      categoryEntry = undefined;
    },
  };
}
