import { css } from "lit";

/** Buttons, fields and cards shared by every screen. Inputs stay at 16px so iOS never zooms. */
export const controlStyles = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 16px;
    font-weight: 650;
  }
  p {
    margin: 0 0 8px;
  }
  a {
    color: var(--_link);
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    min-height: 44px;
    padding: 10px 16px;
    border: 1px solid transparent;
    border-radius: 10px;
    background: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }
  .button.secondary {
    background: var(--_surface);
    color: var(--_text);
    border-color: var(--_border);
  }
  .button.wide {
    width: 100%;
  }
  .button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  .link-button {
    padding: 4px 0;
    border: 0;
    background: none;
    color: var(--_link);
    font-weight: 600;
    text-decoration: underline;
    cursor: pointer;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    flex: none;
    width: 44px;
    height: 44px;
    padding: 0;
    border: 0;
    border-radius: 10px;
    background: transparent;
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--_link);
    outline-offset: 2px;
  }
  .card {
    padding: 16px;
    border-radius: 12px;
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  .stack {
    display: grid;
    gap: 12px;
    padding: 16px;
  }
  .field {
    display: grid;
    gap: 4px;
  }
  label,
  legend {
    font-size: 14px;
    font-weight: 600;
  }
  .hint {
    font-weight: 400;
    color: var(--_text-muted);
  }
  input,
  select,
  textarea {
    width: 100%;
    min-height: 44px;
    padding: 10px 12px;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_surface);
    font-size: 16px;
  }
  textarea {
    resize: vertical;
    min-height: 96px;
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--_link);
    outline-offset: 0;
    border-color: var(--_link);
  }
  .muted {
    color: var(--_text-muted);
    font-size: 14px;
  }
  .error-text {
    color: var(--_danger);
    font-size: 14px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
