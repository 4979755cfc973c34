import { sql } from "drizzle-orm";
import type { Reader } from "../db/client.js";
import { REFERENCE_TTL_MS } from "../db/reference-cache.js";

/** A word of the help centre's index and how many articles hold it. */
export interface IndexedWord {
  term: string;
  doc: number;
}

/** Words kept at most; past it the vocabulary is read per letter from the index, as without a copy. */
const MAX_WORDS = 200_000;

/**
 * The help centre's vocabulary (`faqs_fts_vocab`) in process memory, by first letter: typo
 * correction reads a letter's slice of it for each word it corrects, which costs milliseconds
 * per letter from the index and microseconds from here. Article writes through this process
 * drop the copy (`helpVocabularyChanged`); it also expires after the reference cache's TTL, which bounds
 * how long another process's article changes can be missed. A missed new word only means a typo
 * is not corrected towards it yet.
 */
interface Copy {
  loadedAt: number;
  byLead: Promise<Map<string, IndexedWord[]> | null>;
}
const copies = new WeakMap<Reader, Copy>();

async function load(orm: Reader): Promise<Map<string, IndexedWord[]> | null> {
  const rows = await orm.all<{ term: string; doc: number }>(sql`select term, doc from faqs_fts_vocab limit ${MAX_WORDS + 1}`);
  if (rows.length > MAX_WORDS) return null;
  const byLead = new Map<string, IndexedWord[]>();
  for (const row of rows) {
    const word = { term: String(row.term), doc: Number(row.doc) };
    const lead = word.term[0]!;
    let list = byLead.get(lead);
    if (!list) byLead.set(lead, (list = []));
    list.push(word);
  }
  return byLead;
}

/** The indexed words starting with `lead` (one letter); null when the vocabulary is too large to keep. */
export async function wordsStartingWith(orm: Reader, lead: string, now = Date.now()): Promise<readonly IndexedWord[] | null> {
  let copy = copies.get(orm);
  if (!copy || now - copy.loadedAt > REFERENCE_TTL_MS) {
    const byLead = load(orm);
    copy = { loadedAt: now, byLead };
    copies.set(orm, copy);
    // A failed read is not kept: the next search tries again.
    byLead.catch(() => copies.get(orm) === copy && copies.delete(orm));
  }
  const byLead = await copy.byLead;
  return byLead ? (byLead.get(lead) ?? []) : null;
}

/** Call after an article write commits: the next typo correction reads the index afresh. */
export function helpVocabularyChanged(orm: Reader): void {
  copies.delete(orm);
}
