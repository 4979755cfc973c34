import { html, svg } from "lit";

// Decorative icons: the buttons that hold them carry the accessible name.
const icon = (path: ReturnType<typeof svg>) =>
  html`<svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${path}</svg>`;

export const closeIcon = icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`);
export const backIcon = icon(svg`<path d="M15 5l-7 7 7 7"/>`);
export const sendIcon = icon(svg`<path d="M4 12l16-8-6 16-2-7z"/>`);
export const fileIcon = icon(svg`<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5"/>`);
export const chatIcon = icon(svg`<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>`);
export const searchIcon = icon(svg`<circle cx="11" cy="11" r="7"/><path d="M20 20l-3.5-3.5"/>`);
