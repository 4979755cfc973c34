/** Enough words for any real question while keeping one query's cost bounded. */
export const MAX_TERMS = 12;

/** The words of what someone typed, as FTS5 sees them (letters, digits, combining marks). */
export function queryWords(input: string): string[] {
  return (input.normalize("NFKC").match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).slice(0, MAX_TERMS);
}

/**
 * Turns what someone typed into an FTS5 query that cannot be malformed: each word a quoted
 * term, all of which must match, the last one a prefix (the word still being typed). Quotes,
 * parentheses, `*`, `:`, `^` and operators in the input are only separators or plain words,
 * never syntax. Null when nothing searchable is left.
 *
 * @example toFtsQuery('reset AND (pass') === '"reset" "AND" "pass"*'
 */
export function toFtsQuery(input: string | readonly string[]): string | null {
  const words = typeof input === "string" ? queryWords(input) : input;
  if (words.length === 0) return null;
  return words.map((word, i) => (i === words.length - 1 ? `"${word}"*` : `"${word}"`)).join(" ");
}

// Control characters cannot appear in the tokens we match, so they mark highlights unambiguously
// while the text is cleaned; then they become `**` or ranges.
export const MARK_START = "\u0002";
export const MARK_END = "\u0003";
const ADJACENT_MARKS = new RegExp(`${MARK_END}(\\s+)${MARK_START}`, "g");
const MARK = new RegExp(`[${MARK_START}${MARK_END}]`, "g");

/** A snippet's text without marks, and the `[start, end)` ranges the marks enclosed. */
export function markedRanges(marked: string): { text: string; matches: [number, number][] } {
  const merged = marked.replace(ADJACENT_MARKS, "$1");
  const matches: [number, number][] = [];
  let text = "";
  let open = -1;
  for (const part of merged.split(/(\u0002|\u0003)/)) {
    if (part === MARK_START) open = text.length;
    else if (part === MARK_END) {
      if (open >= 0 && text.length > open) matches.push([open, text.length]);
      open = -1;
    } else text += part;
  }
  return { text: text.replace(MARK, ""), matches };
}

/** A snippet with matched words in `**`; neighbouring matches share one pair. */
export function starred(marked: string): string {
  return marked.replace(ADJACENT_MARKS, "$1").replaceAll(MARK_START, "**").replaceAll(MARK_END, "**");
}
