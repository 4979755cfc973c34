/**
 * The site's brand colour as CSS custom properties, with the companions derived from it that
 * keep text readable: the text colour to put on it, and link colours for light and dark
 * surfaces. Applied as a constructed stylesheet (CSSOM), so a strict style-src allows it.
 */
const HEX = /^#([0-9a-f]{6})$/i;

type Rgb = [number, number, number];

const toRgb = (hex: string): Rgb => {
  const value = parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
};
const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** WCAG relative luminance. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: Rgb, b: Rgb): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** Mixes the colour toward `target` until it reaches 4.5:1 against `surface`. */
function readableOn(colour: Rgb, surface: Rgb, target: Rgb): Rgb {
  for (let step = 0; step <= 20; step++) {
    const mixed = colour.map((c, i) => c + ((target[i]! - c) * step) / 20) as Rgb;
    if (contrast(mixed, surface) >= 4.5) return mixed;
  }
  return target;
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
/** The panel's default surfaces (panel.styles.ts) that links must stay readable on. */
const LIGHT_SURFACE: Rgb = [244, 244, 246];
const DARK_SURFACE: Rgb = [35, 37, 43];

/** Adopts the brand rules into a shadow root (replacing earlier ones, e.g. on a config reload). */
const adopted = new WeakMap<ShadowRoot, CSSStyleSheet>();
export function adoptBrand(root: ShadowRoot, primary: string) {
  const rules = brandRules(primary);
  if (!rules) return;
  let sheet = adopted.get(root);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    adopted.set(root, sheet);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(rules);
}

/** `:host` rules for a brand colour; null when the value is not a #rrggbb colour. */
export function brandRules(primary: string): string | null {
  if (!HEX.test(primary)) return null;
  const brand = toRgb(primary);
  const onBrand = contrast(brand, WHITE) >= contrast(brand, BLACK) ? "#ffffff" : "#000000";
  return `:host{--_brand:${toHex(brand)};--_on-brand:${onBrand};--_brand-ink:${toHex(readableOn(brand, LIGHT_SURFACE, BLACK))};--_brand-ink-dark:${toHex(readableOn(brand, DARK_SURFACE, WHITE))}}`;
}
