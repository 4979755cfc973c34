/**
 * parley.js — the one script a site embeds:
 *
 *   <script src="https://support.example.com/parley.js" data-site="pk_…" async></script>
 *
 * Plain DOM, no framework (it must stay under 3 KB gzip): it draws a launcher per site and
 * loads the panel (`parley-panel.js`, lit) only on hover, focus, click or idle.
 *
 * The queue API works before this script has run, with the usual stub:
 *
 *   window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments) };
 *   Parley("on", "unread", (detail) => …); Parley("identify", { id, name, email, hash }); Parley("open");
 *
 * Commands go to the first widget on the page; with several, name the site first:
 * `Parley("pk_docs", "open")`. Site keys start with `pk_`, command names never do.
 */
import type { WidgetCommand } from "../contract.js";
import { optionsFor, type ParleySettings } from "./options.js";
import { mountWidget, type MountedWidget } from "./widget.js";

/** The panel's file name, with its content hash as a cache key (set by widget/build.ts). */
declare const __PARLEY_PANEL_FILE__: string;

interface ParleyGlobal {
  (...args: unknown[]): void;
  /** Commands not yet delivered: the stub's queue, then those for sites not mounted yet. */
  q?: ArrayLike<unknown>[];
  /** The mounted widgets by site key, shared by every copy of this script on the page. */
  w?: Record<string, MountedWidget>;
}

declare global {
  interface Window {
    Parley?: ParleyGlobal;
    parleySettings?: ParleySettings;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const parley = window.Parley?.w ? window.Parley : install();
const widgets = parley.w!;
const queue = parley.q!;

function install(): ParleyGlobal {
  const api: ParleyGlobal = (...args) => deliver(args);
  api.q = [...(window.Parley?.q ?? [])];
  api.w = {};
  return (window.Parley = api);
}

function deliver(args: ArrayLike<unknown>) {
  const command = Array.from(args);
  const site = /^pk_/.test(String(command[0])) ? String(command.shift()) : undefined;
  const widget = site ? widgets[site] : Object.values(widgets)[0];
  if (widget) widget.run(...(command as WidgetCommand));
  else queue.push(args);
}

function mountAll() {
  const tags = document.querySelectorAll<HTMLScriptElement>("script[data-site]");
  // Page order, whichever copy of this script happens to run first: "the first widget" is the first tag.
  for (const tag of [...Array.from(tags).filter((tag) => /\/parley[\w.-]*\.js([?#]|$)/.test(tag.src)), script]) {
    const options = tag && optionsFor(tag, window.parleySettings);
    if (!options || widgets[options.site]) continue;
    widgets[options.site] = mountWidget(options, () => import(/* @vite-ignore */ options.assetsUrl + __PARLEY_PANEL_FILE__));
  }
  for (const args of queue.splice(0)) deliver(args);
}

if (document.body) mountAll();
else addEventListener("DOMContentLoaded", mountAll);
