import { css } from "lit";

export const contactStyles = css`
  parley-contact .sent {
    border-color: var(--_success);
  }
  parley-contact .sent h3 {
    color: var(--_success);
  }
  parley-contact .ticket-number {
    font-size: 20px;
    font-weight: 700;
    white-space: nowrap;
  }
  parley-contact .sent h3:focus {
    outline: none;
  }
`;
