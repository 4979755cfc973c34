import { css } from "lit";

export const ticketsStyles = css`
  parley-tickets .tickets {
    margin: 0;
    list-style: none;
  }
  parley-tickets .ticket {
    display: grid;
    gap: 4px;
    width: 100%;
    text-align: start;
    cursor: pointer;
  }
  parley-tickets .ticket:hover {
    border-color: var(--_link);
  }
  parley-tickets .ticket-head {
    display: flex;
    align-items: flex-start;
    gap: 8px;
  }
  parley-tickets .ticket-subject {
    flex: 1;
    min-width: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
    text-align: left;
  }
  [dir="rtl"] parley-tickets .ticket-subject {
    text-align: right;
  }
  parley-tickets .status {
    flex: none;
    padding: 2px 8px;
    border-radius: 999px;
    border: 1px solid currentColor;
    font-size: 12px;
    font-weight: 600;
    color: var(--_link);
  }
  parley-tickets .status.resolved,
  parley-tickets .status.closed {
    color: var(--_text-muted);
  }
  parley-tickets .status.pending_customer {
    color: var(--_danger);
  }
  parley-tickets .unread {
    justify-self: start;
    padding: 2px 8px;
    border-radius: 999px;
    background: var(--_primary);
    color: var(--_on-primary);
    font-size: 12px;
    font-weight: 600;
  }
`;
