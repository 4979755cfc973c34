import { sql } from "drizzle-orm";
import type { Reader } from "../db/client.js";
import { CORRECTED_LENGTHS, nearStem } from "../domain/edit-distance.js";
import { wordsStartingWith, type IndexedWord } from "./vocabulary.js";

/** Candidates read per range of the vocabulary: enough for any real letter, bounded for a hostile one. */
const MAX_CANDIDATES = 5_000;

/**
 * The help centre's words (`faqs_fts_vocab`, fts5vocab over the index) that start with
 * `lead` and are at most four letters shorter or one longer than `length` (stems lose endings), with how many articles hold each. A range on
 * the term reads only that slice of the index; the process's copy of the vocabulary (vocabulary.ts)
 * answers without the index.
 */
async function wordsNear(orm: Reader, lead: string, length: number): Promise<readonly IndexedWord[]> {
  const kept = await wordsStartingWith(orm, lead);
  if (kept) return kept.filter((word) => word.term.length >= length - 4 && word.term.length <= length + 1).slice(0, MAX_CANDIDATES);
  const rows = await orm.all<{ term: string; doc: number }>(
    sql`select term, doc from faqs_fts_vocab where term >= ${lead} and term < ${lead + "\uffff"} and length(term) between ${length - 4} and ${length + 1} limit ${MAX_CANDIDATES}`,
  );
  return rows.map((row) => ({ term: String(row.term), doc: Number(row.doc) }));
}

/**
 * Each word of a search that found nothing, replaced by the most common word of the help centre
 * one edit away from it, when the word is 4–8 letters and is not itself indexed. Null when no
 * word changed. Candidates share the word's first letter, or its second (a doubled or stray
 * first letter): a slip on the very first letter is not corrected, which keeps the read to a
 * slice of the vocabulary instead of all of it.
 */
export async function correctedWords(orm: Reader, words: readonly string[]): Promise<string[] | null> {
  let changed = false;
  const corrected: string[] = [];
  for (const word of words) {
    const lower = word.toLowerCase();
    if (lower.length < CORRECTED_LENGTHS.min || lower.length > CORRECTED_LENGTHS.max) {
      corrected.push(word);
      continue;
    }
    const leads = [...new Set([lower[0]!, lower[1]!])];
    const candidates = (await Promise.all(leads.map((lead) => wordsNear(orm, lead, lower.length)))).flat();
    if (candidates.some((candidate) => candidate.term === lower)) {
      corrected.push(word);
      continue;
    }
    const best = candidates.filter((candidate) => nearStem(lower, candidate.term)).sort((a, b) => b.doc - a.doc || (a.term < b.term ? -1 : 1))[0];
    if (best) {
      corrected.push(best.term);
      changed = true;
    } else corrected.push(word);
  }
  return changed ? corrected : null;
}
