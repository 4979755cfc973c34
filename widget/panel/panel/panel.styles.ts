import { css } from "lit";

/** Dark tokens, used both by theme="dark" and by theme="auto" under a dark system setting. */
const dark = css`
  --_surface: var(--parley-surface, #1b1d22);
  --_muted-surface: var(--parley-surface-muted, #23252b);
  --_text: var(--parley-text, #eceef3);
  --_text-muted: var(--parley-text-muted, #aeb3bf);
  --_border: var(--parley-border, #464a55);
  --_link: var(--parley-link, var(--_brand-ink-dark, #a5b4fc));
  --_danger: var(--parley-danger, #ffa294);
  --_success: var(--parley-success, #75e0a7);
  color-scheme: dark;
`;

/**
 * The panel window: tokens, placement, header, and the area the screens fill. Host pages theme
 * it with custom properties (on `:root` or the widget; they cross shadow boundaries):
 *
 * @cssproperty --parley-primary - Brand colour. Default: the site's configured colour.
 * @cssproperty --parley-on-primary - Text on the brand colour. Default: white or black, whichever reads.
 * @cssproperty --parley-surface - Panel and card background.
 * @cssproperty --parley-surface-muted - The area behind cards and messages.
 * @cssproperty --parley-text - Text. @cssproperty --parley-text-muted - Secondary text.
 * @cssproperty --parley-link - Links and focus rings. Default: the brand colour, darkened (lightened in dark mode) to read.
 * @cssproperty --parley-border - Borders. @cssproperty --parley-danger - Errors. @cssproperty --parley-success - Confirmations.
 * @cssproperty --parley-radius - Window corner radius. @cssproperty --parley-font - Font family.
 * @cssproperty --parley-shadow - Window shadow. @cssproperty --parley-z-index - Stacking order.
 * @cssproperty --parley-offset, --parley-launcher-size - The loader's launcher placement, which the panel sits above.
 */
export const panelStyles = css`
  :host {
    --_primary: var(--parley-primary, var(--_brand, #4f46e5));
    --_on-primary: var(--parley-on-primary, var(--_on-brand, #ffffff));
    --_link: var(--parley-link, var(--_brand-ink, #4338ca));
    --_surface: var(--parley-surface, #ffffff);
    --_muted-surface: var(--parley-surface-muted, #f4f4f6);
    --_text: var(--parley-text, #1c1f26);
    --_text-muted: var(--parley-text-muted, #555a68);
    --_border: var(--parley-border, #c9ccd4);
    --_danger: var(--parley-danger, #b42318);
    --_success: var(--parley-success, #067647);
    --_radius: var(--parley-radius, 16px);
    --_font: var(--parley-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
    --_shadow: var(--parley-shadow, 0 16px 48px rgb(15 18 30 / 0.24));
    /* Nothing inherited from the page (or the loader's host) leaks in; custom properties still do. */
    all: initial;
    color-scheme: light;
    position: fixed;
    z-index: var(--parley-z-index, 2147483000);
    bottom: calc(2 * var(--parley-offset, 20px) + var(--parley-launcher-size, 56px));
    right: var(--parley-offset, 20px);
    width: min(380px, calc(100vw - 32px));
    height: min(660px, calc(100dvh - 3 * var(--parley-offset, 20px) - var(--parley-launcher-size, 56px)));
    display: block;
    font-family: var(--_font);
  }
  :host([theme="dark"]) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme="light"])) {
      ${dark}
    }
  }
  :host([position="bottom-left"]) {
    right: auto;
    left: var(--parley-offset, 20px);
  }
  :host(:not([open])) {
    display: none;
  }
  .panel {
    box-sizing: border-box;
    display: flex;
    flex-direction: column;
    height: 100%;
    overflow: hidden;
    background: var(--_surface);
    color: var(--_text);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    font: 400 15px/1.45 var(--_font);
    text-align: start;
  }
  .header {
    display: flex;
    align-items: center;
    gap: 4px;
    min-height: 60px;
    padding-block: 8px;
    padding-inline: 16px 8px;
    background: var(--_primary);
    color: var(--_on-primary);
    flex: none;
  }
  .header .back {
    margin-inline: -8px 0;
  }
  .header h2 {
    flex: 1;
    min-width: 0;
    margin: 0;
    font-size: 17px;
    font-weight: 650;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .header h2:focus {
    outline: none;
  }
  .subtitle {
    display: block;
    overflow: hidden;
    text-overflow: ellipsis;
    font-size: 13px;
    font-weight: 400;
    opacity: 0.92;
  }
  .header .icon-button:focus-visible {
    outline: 2px solid currentColor;
    outline-offset: -3px;
  }
  .header .icon-button:hover {
    background: rgb(127 127 127 / 0.25);
  }
  [dir="rtl"] .back .icon {
    transform: scaleX(-1);
  }
  .content {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
    background: var(--_muted-surface);
  }
  .content > [data-screen] {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
  }
  .banner {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 12px 12px 0;
    padding: 8px 8px 8px 12px;
    border-radius: 10px;
    border: 1px solid var(--_danger);
    background: var(--_surface);
    color: var(--_danger);
    font-size: 14px;
  }
  .banner p {
    flex: 1;
    margin: 0;
  }
  .centered {
    display: grid;
    place-content: center;
    gap: 12px;
    padding: 24px;
    text-align: center;
  }
  /* Last, so that it wins over the rules above: on phones the panel is the whole screen. */
  @media (max-width: 480px) {
    :host,
    :host([position]) {
      inset: 0;
      width: auto;
      height: auto;
    }
    .panel {
      border-radius: 0;
    }
  }
`;
