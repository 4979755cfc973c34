import { css } from "lit";

export const homeStyles = css`
  parley-home .hero {
    padding: 4px 20px 40px;
    background: var(--_primary);
    color: var(--_on-primary);
  }
  /* Site text keeps its own direction (dir=auto) but lines up with the panel's. */
  parley-home .greeting,
  parley-home .result {
    text-align: left;
  }
  [dir="rtl"] parley-home .greeting,
  [dir="rtl"] parley-home .result {
    text-align: right;
  }
  parley-home .greeting {
    margin: 0 0 8px;
    /* A site's greeting may hold a long unbroken word or link: wrap it rather than overflow. */
    overflow-wrap: anywhere;
    font-size: 22px;
    font-weight: 700;
    line-height: 1.25;
  }
  parley-home .presence {
    display: flex;
    align-items: baseline;
    gap: 8px;
    margin: 0;
    font-size: 14px;
  }
  parley-home .dot {
    flex: none;
    width: 10px;
    height: 10px;
    border-radius: 50%;
    border: 2px solid var(--_on-primary);
  }
  parley-home .dot.online {
    background: #22c55e;
  }
  parley-home .dot.away {
    background: #9ca3af;
  }
  parley-home .cards {
    display: grid;
    gap: 12px;
    margin-top: -24px;
    padding: 0 16px 16px;
  }
  parley-home .actions {
    display: grid;
    gap: 8px;
    justify-items: center;
  }
  parley-home [part="faq-search"] label {
    display: block;
    margin-bottom: 6px;
  }
  parley-home [part="faq-search"] h3 {
    margin-top: 16px;
    font-size: 13px;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--_text-muted);
  }
  parley-home .results {
    display: grid;
    margin: 0 -8px;
    padding: 0;
    list-style: none;
  }
  parley-home .result {
    display: grid;
    gap: 2px;
    width: 100%;
    padding: 10px 8px;
    border: 0;
    border-radius: 8px;
    background: none;
    cursor: pointer;
  }
  parley-home .result:hover {
    background: var(--_muted-surface);
  }
  parley-home .result-title {
    font-weight: 600;
    color: var(--_link);
  }
  parley-home .excerpt {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
    font-size: 14px;
    color: var(--_text-muted);
  }
  parley-home .excerpt strong {
    color: var(--_text);
  }
`;
