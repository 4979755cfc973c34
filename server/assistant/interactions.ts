import { and, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import type { AssistantInteraction, AssistantUsageDay, Citation, Page } from "../../protocol/index.js";
import type { Reader, Tx } from "../db/client.js";
import { assistantInteractions, assistantUsageDaily } from "../db/schema.js";
import { isoTime } from "../domain/iso-time.js";
import { decodeIntegerCursor, encodeCursor } from "../tickets/cursor.js";
import { newId } from "../tickets/store.js";

export interface NewInteraction {
  siteId: string;
  ticketId: string | null;
  visitorId: string | null;
  provider: string;
  model: string;
  prompt: string;
  response: string;
  citations: Citation[];
  latencyMs: number;
  confidence: number;
  tokensIn: number;
  tokensOut: number;
  handoff: boolean;
  error: string | null;
  at: number;
}

/** Stores one interaction in the caller's transaction (the one that posts its messages, when it does). */
export async function logInteraction(tx: Tx, entry: NewInteraction): Promise<void> {
  const { at, ...fields } = entry;
  await tx.insert(assistantInteractions).values({ id: newId(), ...fields, createdAt: at });
}

type InteractionRow = typeof assistantInteractions.$inferSelect;

const toInteraction = (row: InteractionRow): AssistantInteraction => ({ ...row, createdAt: isoTime(row.createdAt) });

/** A site's interactions, newest first, one keyset page (created_at, id). */
export async function listInteractions(orm: Reader, query: { siteId: string; cursor?: string | undefined; limit: number }): Promise<Page<AssistantInteraction>> {
  const position = decodeIntegerCursor(query.cursor);
  const rows = await orm
    .select()
    .from(assistantInteractions)
    .where(
      and(
        eq(assistantInteractions.siteId, query.siteId),
        position
          ? or(lt(assistantInteractions.createdAt, position.value), and(eq(assistantInteractions.createdAt, position.value), lt(assistantInteractions.id, position.id)))
          : undefined,
      ),
    )
    .orderBy(desc(assistantInteractions.createdAt), desc(assistantInteractions.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(toInteraction), nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** Tokens a site's provider calls spent from `since` (epoch ms) on. */
export async function tokensSpentSince(orm: Reader, siteId: string, since: number): Promise<number> {
  const [row] = await orm
    .select({ spent: sql<number>`coalesce(sum(${assistantInteractions.tokensIn} + ${assistantInteractions.tokensOut}), 0)` })
    .from(assistantInteractions)
    .where(and(eq(assistantInteractions.siteId, siteId), gte(assistantInteractions.createdAt, since)));
  return Number(row?.spent ?? 0);
}

/** The newest days the ai-usage job judged for a site. */
export async function usageDays(orm: Reader, query: { siteId: string; limit: number }): Promise<AssistantUsageDay[]> {
  const rows = await orm.select().from(assistantUsageDaily).where(eq(assistantUsageDaily.siteId, query.siteId)).orderBy(desc(assistantUsageDaily.day)).limit(query.limit);
  return rows.map(({ siteId: _site, computedAt, ...day }) => ({ ...day, computedAt: isoTime(computedAt) }));
}
