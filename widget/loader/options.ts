import type { WidgetOptions } from "../contract.js";

/** What a page may set for one widget in `window.parleySettings` (the script's data-* win). */
export type WidgetSettings = Partial<WidgetOptions>;

/**
 * `window.parleySettings`: one settings object for the page's widget (its `site` names the
 * widget when the script tag has no data-site), or settings keyed by site key for several.
 *
 * @example
 * window.parleySettings = { pk_shop: { launcherText: "Help" }, pk_docs: { position: "bottom-left" } };
 */
export type ParleySettings = WidgetSettings | Record<string, WidgetSettings>;

/**
 * The options for the widget a `<script src=".../parley.js" data-site="pk_…">` tag asks for,
 * or undefined when it names no site. The API defaults to the script's origin and the panel's
 * assets to the script's own directory.
 */
export function optionsFor(script: HTMLScriptElement, all: ParleySettings | undefined): WidgetOptions | undefined {
  const data = script.dataset;
  const single = all as WidgetSettings | undefined;
  const site = data.site || single?.site;
  if (!site) return;
  const keyed = (all as Record<string, WidgetSettings> | undefined)?.[site];
  const settings: WidgetSettings = keyed ?? (single?.site && single.site !== site ? {} : single) ?? {};
  const src = new URL(script.src);
  return {
    site,
    apiUrl: (data.api || settings.apiUrl || src.origin).replace(/\/+$/, ""),
    assetsUrl: data.assets || settings.assetsUrl || new URL(".", src).href,
    locale: data.locale || settings.locale,
    theme: (data.theme as WidgetOptions["theme"]) || settings.theme,
    position: (data.position as WidgetOptions["position"]) || settings.position,
    launcherText: data.launcherText || settings.launcherText,
    nonce: data.nonce || settings.nonce || script.nonce || undefined,
    identity: settings.identity,
    prechat: settings.prechat,
  };
}
