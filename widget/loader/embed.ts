/**
 * The widget for bundled apps (the npm embed): the same launcher as parley.js, mounted from
 * code instead of a script tag, with the panel code-split by the app's own bundler.
 *
 * @example
 * import { createWidget } from "@parley/widget";
 * const parley = createWidget({ site: "pk_…", apiUrl: "https://support.example.com" });
 * parley.run("on", "unread", (detail) => console.log(detail));
 * parley.run("open");
 */
import type { WidgetOptions } from "../contract.js";
import { mountWidget, type MountedWidget, type PanelLoader } from "./widget.js";

export type { MountedWidget, PanelLoader } from "./widget.js";
export type * from "../contract.js";

/** Mounts one site's widget; `loadPanel` defaults to importing the panel from this package. */
export function createWidget(options: Omit<WidgetOptions, "assetsUrl">, loadPanel: PanelLoader = () => import("../panel/index.js")): MountedWidget {
  return mountWidget({ ...options, apiUrl: options.apiUrl.replace(/\/+$/, ""), assetsUrl: "" }, loadPanel);
}
