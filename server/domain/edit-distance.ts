/**
 * Whether `a` becomes `b` by at most one edit: a letter inserted, deleted, replaced, or two
 * neighbours swapped (the slip a fast typist makes most). Compares UTF-16 units, which is
 * what the search vocabulary holds after NFKC and diacritic removal.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length - short.length > 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) {
    // Replaced at i, or i and i + 1 swapped.
    if (short.slice(i + 1) === long.slice(i + 1)) return true;
    return short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2);
  }
  // One letter more in `long`, at i.
  return short.slice(i) === long.slice(i + 1);
}

/** Words this long are corrected: shorter ones have too many neighbours, longer ones are rarely misspelt to nothing. */
export const CORRECTED_LENGTHS = { min: 4, max: 8 } as const;

/**
 * A word without the commonest English endings: the index holds Porter stems ("invoice" is
 * "invoic"), so a misspelt word is also compared without its ending. Rough on purpose; it only
 * widens which indexed words count as one edit away.
 */
export function withoutEnding(word: string): string {
  const ending = /(?:ing|ed|es|ly|e|s)$/.exec(word);
  return ending && word.length - ending[0].length >= 3 ? word.slice(0, -ending[0].length) : word;
}

/** Whether an indexed stem is one edit from a typed word, as typed or without its ending. */
export const nearStem = (typed: string, stem: string) => withinOneEdit(typed, stem) || withinOneEdit(withoutEnding(typed), stem);
