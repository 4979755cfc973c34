import type { WidgetConfig } from "../../protocol/index.js";
import type { PanelApi, WidgetCommand, WidgetEventMap, WidgetOptions } from "../contract.js";
import { launcherCss } from "./styles.js";

/** Resolves once the module that defines `<parley-panel>` has run. */
export type PanelLoader = () => Promise<unknown>;

/** One widget on the page: its host element and the commands of the queue API for it. */
export interface MountedWidget {
  host: HTMLElement;
  run(...command: WidgetCommand): void;
}

type Panel = HTMLElement & PanelApi;

const PANEL_TAG = "parley-panel";
// One icon per state: a speech bubble while closed, a cross while open (the CSS picks one).
const ICONS =
  '<svg viewBox="0 0 24 24"><path class=c d="M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z"/>' +
  '<path class=x d="M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z"/></svg>';
/** How long after the page's load event the panel is fetched anyway, when the browser is idle. */
const IDLE_DELAY_MS = 3000;
/** The launcher appears without the site's branding if the config takes longer than this. */
const DRAW_DEADLINE_MS = 2000;

/**
 * Draws the launcher for one site in its own `<parley-widget data-site>` host (open shadow
 * root, constructable stylesheet) and loads the panel on hover, focus, click or idle.
 * Commands that need the panel wait for it and then run in the order they were given.
 *
 * @example
 * const widget = mountWidget({ site: "pk_…", apiUrl: "https://support.example.com", assetsUrl: "" }, () => import("./panel.js"));
 * widget.run("open");
 */
export function mountWidget(given: WidgetOptions, loadPanel: PanelLoader): MountedWidget {
  // Our copy: the site's branding fills the gaps before the panel receives it.
  const options = { ...given };
  const { site } = options;
  const host = document.createElement("parley-widget");
  host.dataset.site = site;
  host.setAttribute("theme", options.theme || "auto");
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `<button part=launcher type=button aria-expanded=false>${ICONS}<span class=t part=text></span><span part=badge hidden></span></button>`;
  document.body.append(host);
  const sheet = adoptStyles(root, options.nonce);
  const launcher = root.firstChild as HTMLButtonElement;
  const [text, badge] = launcher.querySelectorAll("span");

  let panel: Panel | undefined;
  let loading: Promise<void> | undefined;
  let unread = 0;
  /** Commands given before the panel was there, replayed in order once it is. */
  const waiting: WidgetCommand[] = [];
  const subscriptions: [string, (detail: unknown) => void, EventListener][] = [];

  const report = (message: string) => {
    console.error(`Parley (${site}): ${message}`);
    host.dispatchEvent(new CustomEvent("parley-error", { bubbles: true, composed: true, detail: { site, message } satisfies WidgetEventMap["parley-error"] }));
  };
  const label = () => launcher.setAttribute("aria-label", (options.launcherText || "Chat with us") + (unread ? `, ${unread} unread` : ""));
  const draw = () => {
    clearTimeout(deadline);
    text!.textContent = options.launcherText || "";
    host.setAttribute("position", options.position || "bottom-right");
    label();
    host.setAttribute("drawn", "");
  };

  // Branding from the site's config; what the page set (data-*, parleySettings) wins.
  const configured = fetch(`${options.apiUrl}/v1/widget/config`, { headers: { "X-Parley-Site": site } })
    .then(async (response) => {
      const body = await response.json();
      if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
      const { branding } = body as WidgetConfig;
      options.position ||= branding.position;
      options.launcherText ||= branding.launcherText || undefined;
      brand(sheet, branding.primaryColor);
    })
    .catch((error: Error) => report(`no config: ${error.message}`))
    .finally(draw);
  const deadline = setTimeout(draw, DRAW_DEADLINE_MS);

  function load(): Promise<void> {
    return (loading ||= Promise.all([loadPanel(), configured])
      .then(() => {
        if (!customElements.get(PANEL_TAG)) throw new Error(`no <${PANEL_TAG}>`);
        const element = document.createElement(PANEL_TAG) as Panel;
        element.id = "panel";
        element.options = options;
        root.append(element);
        launcher.setAttribute("aria-controls", element.id);
        panel = element;
        for (const command of waiting.splice(0)) run(...command);
      })
      .catch((error: Error) => {
        loading = undefined; // the next hover or click tries again
        report(`no panel: ${error.message}`);
      }));
  }

  function run(...command: WidgetCommand): void {
    switch (command[0]) {
      case "on": {
        const listener = (event: Event) => command[2]((event as CustomEvent).detail);
        subscriptions.push([command[1], command[2], listener]);
        return host.addEventListener(`parley-${command[1]}`, listener);
      }
      case "off": {
        const index = subscriptions.findIndex(([name, callback]) => name === command[1] && callback === command[2]);
        if (index >= 0) host.removeEventListener(`parley-${command[1]}`, subscriptions.splice(index, 1)[0]![2]);
        return;
      }
      case "show":
      case "hide":
        host.hidden = command[0] === "hide";
        return;
    }
    if (!panel) {
      waiting.push(command);
      if (command[0] === "open" || command[0] === "toggle") void load();
      return;
    }
    switch (command[0]) {
      case "open":
        return panel.open();
      case "close":
        return panel.close();
      case "toggle":
        return panel.isOpen ? panel.close() : panel.open();
      case "setLocale":
        return panel.setLocale(command[1]);
      case "identify":
        return settle("identify", panel.identify(command[1]));
      case "reset":
        return settle("reset", panel.reset());
      default:
        report(`unknown command ${(command as unknown[])[0]}`);
    }
  }

  const settle = (what: string, done: Promise<void>) => void done.catch((error: Error) => report(`${what} failed: ${error.message}`));
  const setOpen = (open: boolean) => {
    host.toggleAttribute("open", open);
    launcher.setAttribute("aria-expanded", String(open));
  };
  host.addEventListener("parley-open", () => setOpen(true));
  host.addEventListener("parley-close", () => {
    // Focus inside the panel goes back to the launcher, never anywhere else on the page.
    const hadFocus = root.activeElement;
    setOpen(false);
    if (hadFocus) launcher.focus();
  });
  host.addEventListener("parley-unread", (event) => {
    unread = event.detail.count;
    badge!.hidden = !unread;
    badge!.textContent = unread > 99 ? "99+" : String(unread);
    label();
  });

  launcher.addEventListener("click", () => run("toggle"));
  launcher.addEventListener("pointerenter", load);
  launcher.addEventListener("focus", load);
  // Fetch the panel anyway once the page has settled, unless the visitor asked to save data.
  if (!(navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData) {
    const idle = () => setTimeout(() => ("requestIdleCallback" in window ? requestIdleCallback(load, { timeout: 2000 }) : load()), IDLE_DELAY_MS);
    if (document.readyState === "complete") idle();
    else addEventListener("load", idle, { once: true });
  }

  return { host, run };
}

/**
 * A constructable stylesheet where the browser has them (every current one); otherwise a
 * <style> carrying the nonce the page gave us, so a nonce-based CSP still accepts it.
 */
function adoptStyles(root: ShadowRoot, nonce: string | undefined): CSSStyleSheet {
  if (root.adoptedStyleSheets && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(launcherCss);
    root.adoptedStyleSheets = [sheet];
    return sheet;
  }
  const style = document.createElement("style");
  if (nonce) style.nonce = nonce;
  style.textContent = launcherCss;
  root.append(style);
  return style.sheet!;
}

/** Writes the site's brand colour (`#rrggbb`, as protocol/ allows) and a foreground that reads on it (YIQ). */
function brand(sheet: CSSStyleSheet, color: string) {
  if (!/^#[\da-f]{6}$/i.test(color)) return;
  const [r, g, b] = color.slice(1).match(/../g)!.map((pair) => parseInt(pair, 16)) as [number, number, number];
  const foreground = r * 0.299 + g * 0.587 + b * 0.114 > 160 ? "#111827" : "#fff";
  sheet.insertRule(`:host{--_b:${color};--_f:${foreground}}`, sheet.cssRules.length);
}
