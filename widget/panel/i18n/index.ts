import { ar } from "./ar.js";
import { en } from "./en.js";
import { fr } from "./fr.js";

export type MessageKey = keyof typeof en;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const dictionaries: Record<string, Record<MessageKey, string>> = { en, fr, ar };
const rightToLeft = new Set(["ar"]);

/** The first supported locale among the candidates (exact tag, then its language), else English. */
export function resolveLocale(...candidates: Array<string | null | undefined>): string {
  for (const candidate of candidates) {
    const language = candidate?.toLowerCase().split(/[-_]/)[0];
    if (language && language in dictionaries) return language;
  }
  return "en";
}

export const directionOf = (locale: string): "rtl" | "ltr" => (rightToLeft.has(locale) ? "rtl" : "ltr");

/** A lookup for one locale; `{name}` placeholders are filled from `vars`. */
export function translator(locale: string): Translate {
  const dictionary = dictionaries[locale] ?? en;
  return (key, vars) => dictionary[key].replace(/\{(\w+)\}/g, (match, name: string) => String(vars?.[name] ?? match));
}
