import { DomainError } from "../domain/errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64Url(text: string): string {
  return btoa(String.fromCharCode(...encoder.encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function fromBase64Url(text: string): string {
  const bytes = Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
  return decoder.decode(bytes);
}

/** The one answer to a cursor this API did not hand out (or handed out for another list). */
export const refuseCursor = (reason: string) =>
  new DomainError("validation_failed", "cursor is not one this API handed out", [{ path: "cursor", message: reason }]);

/**
 * Keyset cursors: the sort value and id of the last row of a page, base64url-encoded so
 * clients treat them as opaque.
 */
/** The JSON inside a cursor, or a refusal that does not echo the client's text back. */
function parseCursor(cursor: string): unknown {
  try {
    return JSON.parse(fromBase64Url(cursor));
  } catch {
    throw refuseCursor("not decodable");
  }
}

export function encodeCursor(value: string | number | null, id: string): string {
  return toBase64Url(JSON.stringify([value, id]));
}

export function decodeCursor(cursor: string | undefined): { value: string | number | null; id: string } | null {
  if (!cursor) return null;
  const parsed = parseCursor(cursor);
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== "string") throw refuseCursor("unexpected shape");
  const [value, id] = parsed as [unknown, string];
  if (value !== null && typeof value !== "string" && typeof value !== "number") throw refuseCursor("unexpected value");
  return { value, id };
}

/** A cursor from `encodeCursor` whose sort value is an integer (a time, a count); refuses any other. */
export function decodeIntegerCursor(cursor: string | undefined): { value: number; id: string } | null {
  const position = decodeCursor(cursor);
  if (!position) return null;
  const { value, id } = position;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw refuseCursor("unexpected value");
  return { value, id };
}

/**
 * Keyset cursors over several integer sort keys (the last one a rowid), for orders that need
 * more than one value to say where a page ended.
 */
export function encodeKeyset(keys: number[]): string {
  return toBase64Url(JSON.stringify(keys));
}

/** The keys of a cursor from `encodeKeyset`, or null without one; refuses any other shape. */
export function decodeKeyset(cursor: string | undefined, length: number): number[] | null {
  if (!cursor) return null;
  const parsed = parseCursor(cursor);
  if (!Array.isArray(parsed) || parsed.length !== length || !parsed.every((key) => Number.isSafeInteger(key))) {
    throw refuseCursor("unexpected shape");
  }
  return parsed as number[];
}
