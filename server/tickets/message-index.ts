import { sql } from "drizzle-orm";
import type { Database, Reader } from "../db/client.js";

/**
 * Messages indexed per transaction. FTS5 writes one index segment per transaction and merges
 * them later, so bigger batches cost less per message (about 6 µs at 200 against 18 µs at 50
 * under a message load); 200 still take only about a millisecond, not long for the writes
 * queued behind them.
 */
const BATCH = 200;
/** How often the background indexer looks for messages left to index. */
const INTERVAL_MS = 250;

/**
 * Moves messages from `message_search_pending` into the search index (`messages_fts`), a
 * batch per transaction, until none is left. A message's write only records its rowid (a
 * trigger, in its transaction); tokenizing the body happens here, after the commit, off the
 * request that wrote it. Answers how many messages it indexed.
 */
export async function indexPendingMessages(db: Database): Promise<number> {
  let indexed = 0;
  for (;;) {
    const done = await db.write(async (tx) => {
      const [last] = await tx.all<{ rowid: number | null }>(sql`select max(message_rowid) as rowid from (select message_rowid from message_search_pending order by message_rowid limit ${BATCH})`);
      const upTo = last?.rowid;
      if (upTo === null || upTo === undefined) return 0;
      // A pending rowid always names a message: deleting one also removes its pending row (the delete trigger).
      await tx.run(sql`insert into messages_fts(rowid, body) select m.rowid, m.body from message_search_pending p join messages m on m.rowid = p.message_rowid where p.message_rowid <= ${upTo}`);
      const removed = await tx.run(sql`delete from message_search_pending where message_rowid <= ${upTo}`);
      return Number(removed.rowsAffected);
    });
    indexed += done;
    if (done < BATCH) return indexed;
  }
}

/** True when some committed message is not in the search index yet. */
export async function messagesAwaitIndexing(reader: Reader): Promise<boolean> {
  const rows = await reader.all<{ one: number }>(sql`select 1 as one from message_search_pending limit 1`);
  return rows.length > 0;
}

/** The server's indexer: a background pass every quarter second, and a catch-up a search awaits. */
export interface MessageIndexer {
  /** Resolves once every message committed before the call is searchable. */
  catchUp(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export function createMessageIndexer(db: Database, log: (message: string, error?: unknown) => void): MessageIndexer {
  // One pass at a time, in the order asked: a catch-up queued behind a running pass still makes its own.
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | null = null;
  const pass = (): Promise<void> => {
    const next = chain.then(async () => {
      if (await messagesAwaitIndexing(db.orm)) await indexPendingMessages(db);
    });
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    catchUp: pass,
    start() {
      if (timer) return;
      timer = setInterval(() => void pass().catch((error: unknown) => log("indexing messages for search failed", error)), INTERVAL_MS);
      // Never the reason a process stays up.
      (timer as { unref?: () => void }).unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await chain;
    },
  };
}
