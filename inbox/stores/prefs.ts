import { computed, effect, signal } from "@preact/signals";
import { pickLocale, RTL, translator, type Locale } from "../i18n.js";

export type Theme = "light" | "dark";
const LOCALE_KEY = "parley:inbox:locale";
const THEME_KEY = "parley:inbox:theme";

/** Language and theme, remembered in localStorage and applied to <html> (lang, dir, data-theme). */
export function createPrefsStore(storage: Storage = localStorage) {
  const locale = signal<Locale>(pickLocale(storage.getItem(LOCALE_KEY), navigator.languages));
  const savedTheme = storage.getItem(THEME_KEY);
  const theme = signal<Theme>(savedTheme === "dark" || savedTheme === "light" ? savedTheme : matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  const t = computed(() => translator(locale.value));
  effect(() => {
    const root = document.documentElement;
    root.lang = locale.value;
    root.dir = RTL.has(locale.value) ? "rtl" : "ltr";
    root.dataset.theme = theme.value;
  });
  return {
    locale,
    theme,
    t,
    setLocale(next: Locale) {
      storage.setItem(LOCALE_KEY, next);
      locale.value = next;
    },
    setTheme(next: Theme) {
      storage.setItem(THEME_KEY, next);
      theme.value = next;
    },
  };
}

export type PrefsStore = ReturnType<typeof createPrefsStore>;
