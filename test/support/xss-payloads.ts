/**
 * Strings that run script if a UI ever puts user text into HTML. Each one, if it ran, would
 * bump `window.__xss`; under a strict CSP an attempt shows up as a violation instead. Browser
 * tests render them wherever user text appears and expect neither.
 */
export const XSS_PAYLOADS = [
  `<img src=x onerror="window.__xss=(window.__xss||0)+1">`,
  `<script>window.__xss=(window.__xss||0)+1</script>`,
  `"><svg onload="window.__xss=(window.__xss||0)+1">`,
  `[click me](javascript:window.__xss=(window.__xss||0)+1)`,
  `<a href="javascript:window.__xss=(window.__xss||0)+1">link</a>`,
  `<iframe srcdoc="<script>parent.__xss=(parent.__xss||0)+1</script>"></iframe>`,
  `<details open ontoggle="window.__xss=(window.__xss||0)+1">x</details>`,
  `<style>*{display:none}</style>`,
  `'; window.__xss=(window.__xss||0)+1; '`,
  "**bold** <b onmouseover=\"window.__xss=(window.__xss||0)+1\">hover</b>",
] as const;

/** Markup that must never appear in the DOM as elements after rendering the payloads. */
export const INJECTED_SELECTOR = 'img[src="x"], svg[onload], iframe, details[ontoggle], b[onmouseover], a[href^="javascript:"], script:not([src]), style:not([data-vite-dev-id])';
