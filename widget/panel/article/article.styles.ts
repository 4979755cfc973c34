import { css } from "lit";

/** Markdown output, shared by articles and chat bubbles. */
export const articleStyles = css`
  .prose h3 {
    font-size: 19px;
    line-height: 1.3;
  }
  .prose h4 {
    margin: 16px 0 6px;
    font-size: 16px;
  }
  .prose p,
  .prose ul,
  .prose ol {
    margin: 0 0 10px;
  }
  .prose ul,
  .prose ol {
    padding-inline-start: 22px;
  }
  .prose li + li {
    margin-top: 4px;
  }
  .prose > :last-child {
    margin-bottom: 0;
  }
  .prose code {
    padding: 1px 5px;
    border-radius: 5px;
    background: var(--_muted-surface);
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
    overflow-wrap: anywhere;
  }
  .prose a {
    overflow-wrap: anywhere;
  }
  parley-article .vote-buttons {
    display: flex;
    gap: 8px;
  }
  parley-article .vote-buttons .button {
    flex: 1;
  }
`;
