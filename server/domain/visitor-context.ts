/**
 * What a ticket keeps of the page its customer was on: the origin and path. A query string or
 * fragment often carries a session, a reset token or an email address, and agents need none of
 * them to see where the customer was. Null for anything that is not an http(s) URL.
 */
export function pageWithoutQuery(url: string | undefined | null): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  // Credentials in the authority are dropped too: URL's origin never includes them.
  return `${parsed.origin}${parsed.pathname}`;
}
