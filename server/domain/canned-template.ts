/**
 * The placeholders a canned response may use, filled on the server for one ticket. The
 * syntax is `{{name}}`, spaces allowed inside the braces, with an optional fallback for a
 * missing value: `{{customer.name | there}}`.
 */
export const CANNED_PLACEHOLDERS = ["customer.name", "agent.name", "ticket.number", "ticket.subject"] as const;
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

export type PlaceholderValues = Record<CannedPlaceholder, string | null>;

// Anything between double braces is a placeholder candidate; what is inside is checked apart,
// so a typo like {{customer.nmae}} is refused at save time instead of reaching a customer.
const CANDIDATE = /\{\{([^{}]*)\}\}/g;
const PLACEHOLDER = /^\s*([a-z]+\.[a-z]+)\s*(?:\|([^|]*))?$/;

const isPlaceholder = (name: string): name is CannedPlaceholder => (CANNED_PLACEHOLDERS as readonly string[]).includes(name);

/** What is wrong with a response's text, one line per bad placeholder; empty when it is fine. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const [candidate, inner] of template.matchAll(CANDIDATE)) {
    const parsed = PLACEHOLDER.exec(inner!);
    if (!parsed) problems.push(`${candidate} is not a placeholder; use one of ${CANNED_PLACEHOLDERS.map((name) => `{{${name}}}`).join(", ")}`);
    else if (!isPlaceholder(parsed[1]!)) problems.push(`unknown placeholder ${candidate}; use one of ${CANNED_PLACEHOLDERS.map((name) => `{{${name}}}`).join(", ")}`);
  }
  return problems;
}

/**
 * Fills the placeholders in one pass over the template. Values are data: they are inserted
 * as they are and never read again, so a customer named `{{agent.name}}` or `$&` stays
 * exactly that, and no value can reach template syntax. The result is plain text (messages
 * are shown as text, never as HTML), so nothing is escaped either: escaping would put
 * `&amp;` in front of a customer. A placeholder that is invalid (only possible for a text
 * saved before a rule changed) is left as written.
 */
export function renderTemplate(template: string, values: PlaceholderValues): string {
  return template.replace(CANDIDATE, (candidate, inner: string) => {
    const parsed = PLACEHOLDER.exec(inner);
    if (!parsed || !isPlaceholder(parsed[1]!)) return candidate;
    const value = values[parsed[1]!];
    if (value !== null && value.trim() !== "") return value;
    return parsed[2]?.trim() ?? "";
  });
}
