import { LitElement, type PropertyDeclarations } from "lit";
import type { PanelContext } from "./context.js";

/**
 * A screen of the panel. Screens render into the panel's shadow root (no shadow root of their
 * own), so the panel's styles, ::part names and id references (label for, aria-labelledby)
 * all work across them, and a focus trap sees every control.
 */
export class ScreenElement extends LitElement {
  static override properties: PropertyDeclarations = { ctx: { attribute: false } };
  declare ctx: PanelContext;

  protected override createRenderRoot() {
    return this;
  }
}
