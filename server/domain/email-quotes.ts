/**
 * What the customer actually wrote in an email reply: the text above the quoted history and
 * the signature. Mail clients mark the history in a handful of ways (an attribution line,
 * `>` prefixes, an "Original Message" separator, an Outlook header block), in the client's
 * language; we know en, fr and ar. Pure string work, no parsing library.
 */

// Bidirectional marks that Arabic (and some French) clients put around names and dates.
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Our own marker above the text of every customer email (`##- Please type your reply above this line -##`, in any locale). */
const REPLY_MARKER = /^##-.*-##$/;

/** Attribution lines: "On … wrote:", "Le … a écrit :", "في … كتب:". */
const ATTRIBUTION = [/^on\b.*\bwrote:$/i, /^le\b.*\ba écrit ?:$/i, /^في\s.*كتب[^:]*:$/, /^am\b.*\bschrieb:$/i];
/** Attributions that clients wrap over two lines: the first starts like one, the second ends it. */
const ATTRIBUTION_START = [/^on\b/i, /^le\b/i, /^في\s/];
const ATTRIBUTION_END = [/\bwrote:$/i, /\ba écrit ?:$/i, /كتب[^:]*:$/];

/** Separator lines of Outlook, Thunderbird and webmails. */
const SEPARATORS = [
  /^-{2,}\s*original message\s*-{2,}$/i,
  /^-{2,}\s*message d['’]origine\s*-{2,}$/i,
  /^-{2,}\s*الرسالة الأصلية\s*-{2,}$/,
  /^-{2,}\s*(forwarded message|message transféré|الرسالة المُعاد توجيهها)\s*-{2,}$/i,
  /^_{10,}$/,
];

/** An Outlook header block: "From:" followed closely by "Sent:"/"Date:"/"To:" (en, fr, ar). */
const HEADER_FROM = /^(from|de|من)\s?:/i;
const HEADER_NEXT = /^(sent|date|to|subject|envoyé|à|objet|أُرسل|أرسل|التاريخ|إلى|الموضوع)\s?:/i;

/** Signature delimiters: the standard `-- ` line, and the mobile clients' one-liners. */
const SIGNATURE = /^--\s*$/;
const MOBILE_SIGNATURE = [/^sent from my\b/i, /^get outlook for\b/i, /^envoyé (de|depuis) mon\b/i, /^obtenir outlook pour\b/i, /^أُرسلت من\b/, /^تم الإرسال من\b/];

const clean = (line: string) => line.replace(BIDI, "").trim();

/**
 * Where the quoted history or the signature begins. `end`: nothing of the reply can follow
 * (our marker, a signature); `history`: a bottom-poster may have answered below it.
 */
function historyStart(lines: string[]): { index: number; kind: "end" | "history" } | null {
  for (let index = 0; index < lines.length; index++) {
    const line = clean(lines[index]!);
    if (REPLY_MARKER.test(line) || SIGNATURE.test(lines[index]!.replace(BIDI, "").trimStart())) return { index, kind: "end" };
    const next = clean(lines[index + 1] ?? "");
    const history =
      ATTRIBUTION.some((pattern) => pattern.test(line)) ||
      SEPARATORS.some((pattern) => pattern.test(line)) ||
      (ATTRIBUTION_START.some((p) => p.test(line)) && ATTRIBUTION_END.some((p) => p.test(next)) && line.length + next.length < 300) ||
      (HEADER_FROM.test(line) && lines.slice(index + 1, index + 5).some((later) => HEADER_NEXT.test(clean(later))));
    if (history) return { index, kind: "history" };
  }
  return null;
}

const withoutQuotedLines = (lines: string[]) => lines.filter((line) => !/^\s*>/.test(line));

function trimBlankEdges(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && clean(lines[start]!) === "") start++;
  while (end > start && clean(lines[end - 1]!) === "") end--;
  return lines.slice(start, end);
}

function withoutMobileSignature(lines: string[]): string[] {
  const trimmed = trimBlankEdges(lines);
  const last = trimmed.at(-1);
  return last !== undefined && MOBILE_SIGNATURE.some((p) => p.test(clean(last))) ? trimBlankEdges(trimmed.slice(0, -1)) : trimmed;
}

/**
 * The reply without its history and signature.
 * @example stripQuotedReply("Thanks!\n\nOn Mon, 1 Jan 2026, Parley wrote:\n> Hello") // "Thanks!"
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const cut = historyStart(lines);
  const above = withoutMobileSignature(withoutQuotedLines(cut ? lines.slice(0, cut.index) : lines));
  if (above.length > 0 || !cut || cut.kind === "end") return above.join("\n").trim();
  // Nothing above the history: a bottom-poster answers below a `>` quote, so keep what follows
  // it unquoted. History without `>` (Outlook) is our own email: nothing of it is the reply.
  const below = lines.slice(cut.index + 1);
  const firstQuoted = below.findIndex((line) => /^\s*>/.test(line));
  if (firstQuoted < 0) return "";
  const answer = below.slice(firstQuoted);
  const signature = answer.findIndex((line) => SIGNATURE.test(line.replace(BIDI, "").trimStart()));
  const unquoted = withoutQuotedLines(signature >= 0 ? answer.slice(0, signature) : answer).filter((line) => !REPLY_MARKER.test(clean(line)));
  return withoutMobileSignature(unquoted).join("\n").trim();
}
