/**
 * The contract between the loader (`parley.js`, plain DOM, always loaded) and the panel
 * (`<parley-panel>`, lit, loaded lazily). Types only: importing this file costs no bytes.
 */
import type { Message, Ticket, VisitorIdentity, VisitorJwtIdentity } from "../protocol/index.js";

export type WidgetTheme = "light" | "dark" | "auto";
export type WidgetPosition = "bottom-right" | "bottom-left";

/** How a site configures its widget: `data-*` on the script tag, or `window.parleySettings`. */
export interface WidgetOptions {
  /** The site key, `pk_…` (data-site). */
  site: string;
  /** Where the Parley API answers (data-api); defaults to the origin the script came from. */
  apiUrl: string;
  /** Where the panel module and assets live; defaults to the script's own directory. */
  assetsUrl: string;
  locale?: string;
  theme?: WidgetTheme;
  position?: WidgetPosition;
  launcherText?: string;
  /** Nonce for any <style>/<script> the widget must insert under a nonce-based CSP. */
  nonce?: string;
  /** A verified identity from the host site. */
  identity?: VisitorIdentity | VisitorJwtIdentity;
  /** Extra pre-chat fields beyond name, email and category. */
  prechat?: { fields: Array<"name" | "email" | "category">; required?: Array<"name" | "email" | "category"> };
}

/** Events the widget dispatches on its host element (bubbling, composed) and through `Parley('on', …)`. */
export interface WidgetEventMap {
  "parley-ready": { site: string };
  "parley-open": { site: string };
  "parley-close": { site: string };
  "parley-message": { site: string; message: Message };
  "parley-unread": { site: string; count: number };
  "parley-ticket-created": { site: string; ticket: Ticket };
  "parley-error": { site: string; message: string };
}
export type WidgetEventName = keyof WidgetEventMap extends `parley-${infer Name}` ? Name : never;

/** The commands of the queue API: `Parley('open')`, `Parley('identify', {...})`, … */
export type WidgetCommand =
  | ["open"]
  | ["close"]
  | ["toggle"]
  | ["show"]
  | ["hide"]
  | ["reset"]
  | ["identify", VisitorIdentity | VisitorJwtIdentity]
  | ["setLocale", string]
  | ["on", WidgetEventName, (detail: unknown) => void]
  | ["off", WidgetEventName, (detail: unknown) => void];

/** What the loader calls on the panel element once it has loaded. */
export interface PanelApi {
  /** Set once, before the element is connected. */
  options: WidgetOptions;
  open(): void;
  close(): void;
  readonly isOpen: boolean;
  identify(identity: VisitorIdentity | VisitorJwtIdentity): Promise<void>;
  reset(): Promise<void>;
  setLocale(locale: string): void;
}

declare global {
  interface HTMLElementEventMap {
    "parley-ready": CustomEvent<WidgetEventMap["parley-ready"]>;
    "parley-open": CustomEvent<WidgetEventMap["parley-open"]>;
    "parley-close": CustomEvent<WidgetEventMap["parley-close"]>;
    "parley-message": CustomEvent<WidgetEventMap["parley-message"]>;
    "parley-unread": CustomEvent<WidgetEventMap["parley-unread"]>;
    "parley-ticket-created": CustomEvent<WidgetEventMap["parley-ticket-created"]>;
    "parley-error": CustomEvent<WidgetEventMap["parley-error"]>;
  }
}
