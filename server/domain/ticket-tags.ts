/** How a bulk tag edit combines with a ticket's own tags. */
export type TagEdit = "add" | "remove" | "set";

/** The most tags a ticket carries (TagsSchema's bound, held after an `add` too). */
export const MAX_TAGS = 20;

/**
 * A ticket's tags after an edit, lowercased and without repeats, in first-seen order; or why
 * not. Tags compare case-insensitively, as the single-ticket edit stores them lowercased.
 */
export function editTags(current: readonly string[], edit: TagEdit, tags: readonly string[]): { ok: true; tags: string[] } | { ok: false; message: string } {
  const named = tags.map((tag) => tag.toLowerCase());
  let next: string[];
  switch (edit) {
    case "set":
      next = named;
      break;
    case "add":
      next = [...current, ...named];
      break;
    case "remove": {
      const gone = new Set(named);
      next = current.filter((tag) => !gone.has(tag.toLowerCase()));
      break;
    }
  }
  const unique = [...new Set(next.map((tag) => tag.toLowerCase()))];
  if (unique.length > MAX_TAGS) return { ok: false, message: `a ticket carries at most ${MAX_TAGS} tags; this one would have ${unique.length}` };
  return { ok: true, tags: unique };
}
