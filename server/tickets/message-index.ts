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

/** The mark of the messages' index (schema.ts, `searchIndexMarks`): every rowid up to it is indexed. */
const MARK = sql`(select through from search_index_marks where name = 'messages')`;

/**
 * Moves the messages above the index's mark into the search index (`messages_fts`), a batch
 * per transaction, until none is left. A message's write adds nothing for the index; tokenizing
 * the body happens here, after the commit, off the request that wrote it. Answers how many
 * messages it indexed.
 */
export async function indexPendingMessages(db: Database): Promise<number> {
  let indexed = 0;
  for (;;) {
    const done = await db.write(async (tx) => {
      const [batch] = await tx.all<{ upTo: number | null; count: number }>(
        sql`select max(rowid) as upTo, count(*) as count from (select rowid from messages where rowid > ${MARK} order by rowid limit ${BATCH})`,
      );
      const upTo = batch?.upTo;
      if (upTo === null || upTo === undefined) return 0;
      await tx.run(sql`insert into messages_fts(rowid, body) select rowid, body from messages where rowid > ${MARK} and rowid <= ${upTo}`);
      await tx.run(sql`update search_index_marks set through = ${upTo} where name = 'messages'`);
      return Number(batch!.count);
    });
    indexed += done;
    if (done < BATCH) return indexed;
  }
}

/** True when some committed message is not in the search index yet. */
export async function messagesAwaitIndexing(reader: Reader): Promise<boolean> {
  const rows = await reader.all<{ one: number }>(sql`select 1 as one from messages where rowid > ${MARK} limit 1`);
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
