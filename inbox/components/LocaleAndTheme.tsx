import { useApp, useT } from "../context.js";
import { LOCALE_NAMES, LOCALES, type Locale } from "../i18n.js";

/** Language (remembered) and light/dark theme. */
export function LocaleAndTheme() {
  const { prefs } = useApp();
  const t = useT();
  return (
    <div class="prefs">
      <label>
        <span class="visually-hidden">{t("language")}</span>
        <select aria-label={t("language")} value={prefs.locale.value} onChange={(event) => prefs.setLocale((event.currentTarget as HTMLSelectElement).value as Locale)}>
          {LOCALES.map((locale) => (
            <option key={locale} value={locale} lang={locale}>
              {LOCALE_NAMES[locale]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" class="ghost" aria-pressed={prefs.theme.value === "dark"} onClick={() => prefs.setTheme(prefs.theme.value === "dark" ? "light" : "dark")}>
        {t("dark")}
      </button>
    </div>
  );
}
