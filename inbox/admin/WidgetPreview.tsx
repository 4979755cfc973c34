import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { Branding } from "../../protocol/index.js";
import { useT } from "../context.js";
import { messageOf } from "./use-list.js";

/** What the preview uses of the widget's `<parley-panel>` (widget/contract.ts, PanelApi). */
interface PanelElement extends HTMLElement {
  options: { site: string; apiUrl: string; assetsUrl: string; locale?: string; theme?: "light" | "dark" };
  open(): void;
  setLocale(locale: string): void;
  showBranding(branding: Branding): void;
}

/** The widget's panel as this server built it (served at /widget/panel, which names the current build). */
const PANEL_URL: string = "/widget/panel";
let panelModule: Promise<unknown> | null = null;
const loadPanel = () => (panelModule ??= import(/* @vite-ignore */ PANEL_URL).catch((error: unknown) => ((panelModule = null), Promise.reject(error))));

/** Black or white, whichever reads better on the brand colour (WCAG relative luminance). */
function inkOn(hex: string): string {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? "#000000" : "#ffffff";
}

/**
 * The real widget panel of a site, rendered in the page with the branding being edited: every
 * change shows at once, nothing is saved. The panel reads the site's public widget config and
 * articles like any visitor's would; it is inert (no focus, no clicks), so a preview cannot
 * start a conversation, and it lives in its own shadow root, so it shares no styles with the inbox.
 */
export function WidgetPreview({ siteKey, branding, locale, theme }: { siteKey: string; branding: Branding; locale: string; theme: "light" | "dark" }) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const panel = useRef<PanelElement | null>(null);
  const failure = useSignal<string | null>(null);
  const ready = useSignal(false);

  useEffect(() => {
    let current = true;
    loadPanel().then(
      () => {
        if (!current || !host.current) return;
        const element = document.createElement("parley-panel") as PanelElement;
        element.options = { site: siteKey, apiUrl: location.origin, assetsUrl: `${location.origin}/widget/`, locale, theme };
        element.showBranding(branding);
        element.addEventListener("parley-ready", () => (ready.value = true));
        host.current.append(element);
        element.open();
        panel.current = element;
      },
      (error: unknown) => (failure.value = messageOf(error)),
    );
    return () => {
      current = false;
      panel.current?.remove();
      panel.current = null;
      ready.value = false;
    };
  }, [siteKey, theme]);

  useEffect(() => panel.current?.showBranding(branding), [branding]);
  useEffect(() => panel.current?.setLocale(locale), [locale]);

  return (
    <figure class="widget-preview-frame">
      <figcaption>
        {t("livePreview")} <small class="muted">{t("previewNote")}</small>
      </figcaption>
      {failure.value && <p class="notice error" role="alert">{t("error", { message: failure.value })}</p>}
      <div class="widget-preview" data-position={branding.position} data-ready={ready.value ? "true" : undefined} aria-hidden="true" inert ref={host}>
        <span class="preview-launcher" style={{ background: branding.primaryColor, color: inkOn(branding.primaryColor) }}>
          {branding.launcherText ?? "?"}
        </span>
      </div>
    </figure>
  );
}
