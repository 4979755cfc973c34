import { css } from "lit";

export const conversationStyles = css`
  parley-conversation {
    display: flex;
    flex-direction: column;
    position: relative;
  }
  parley-conversation[data-screen] {
    overflow: hidden;
  }
  parley-conversation .log {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    padding: 16px 12px 4px;
  }
  parley-conversation .log:focus-visible {
    outline-offset: -2px;
  }
  parley-conversation .messages {
    display: grid;
    gap: 10px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  parley-conversation .message {
    display: grid;
    gap: 2px;
    max-width: 85%;
    justify-self: start;
  }
  parley-conversation .message.mine {
    justify-self: end;
    justify-items: end;
  }
  parley-conversation .meta,
  parley-conversation .delivery {
    margin: 0;
    padding-inline: 4px;
    font-size: 12px;
    color: var(--_text-muted);
  }
  parley-conversation .sender {
    font-weight: 600;
  }
  parley-conversation .delivery.failed {
    color: var(--_danger);
    font-weight: 600;
  }
  parley-conversation .bubble {
    padding: 8px 12px;
    border-radius: 16px;
    border-end-start-radius: 4px;
    background: var(--_surface);
    border: 1px solid var(--_border);
    overflow-wrap: anywhere;
  }
  parley-conversation .mine .bubble {
    border-radius: 16px;
    border-end-end-radius: 4px;
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
  }
  parley-conversation .mine .bubble a,
  parley-conversation .mine .bubble code {
    color: inherit;
  }
  parley-conversation .mine .bubble code {
    background: rgb(0 0 0 / 0.18);
  }
  parley-conversation .attachments {
    display: grid;
    gap: 4px;
    margin: 6px 0 0;
    padding: 0;
    list-style: none;
  }
  parley-conversation .attachments a,
  parley-conversation .attachments span {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  parley-conversation .file-size {
    font-size: 12px;
    opacity: 0.85;
  }
  parley-conversation .outcome {
    display: grid;
    gap: 8px;
    margin-top: 16px;
    text-align: center;
  }
  parley-conversation .typing {
    min-height: 20px;
    margin: 0;
    padding: 0 16px 4px;
    font-size: 13px;
    font-style: italic;
    color: var(--_text-muted);
  }
  parley-conversation .handoff {
    margin: 0 12px 8px;
    min-height: 36px;
  }
  parley-conversation .jump {
    position: absolute;
    inset-inline-start: 50%;
    bottom: 100px;
    translate: -50% 0;
    min-height: 36px;
    padding: 6px 14px;
    border-radius: 18px;
    box-shadow: var(--_shadow);
  }
  [dir="rtl"] parley-conversation .jump {
    translate: 50% 0;
  }
  parley-conversation .composer {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 12px;
    border-top: 1px solid var(--_border);
    background: var(--_surface);
  }
  parley-conversation .composer textarea {
    flex: 1;
    min-height: 44px;
    max-height: 140px;
    resize: none;
    field-sizing: content;
  }
  parley-conversation .send {
    background: var(--_primary);
    color: var(--_on-primary);
  }
  [dir="rtl"] parley-conversation .send .icon {
    transform: scaleX(-1);
  }
  parley-rating .rating {
    text-align: start;
  }
  parley-rating fieldset {
    margin: 0 0 12px;
    padding: 0;
    border: 0;
  }
  parley-rating .stars {
    display: flex;
    gap: 4px;
    margin-top: 6px;
  }
  parley-rating .star-input {
    position: absolute;
    opacity: 0;
    width: 1px;
    height: 1px;
  }
  parley-rating .star {
    display: grid;
    place-items: center;
    width: 44px;
    height: 44px;
    border-radius: 10px;
    font-size: 28px;
    line-height: 1;
    color: var(--_text-muted);
    cursor: pointer;
  }
  parley-rating .star.filled {
    color: #d97706;
  }
  parley-rating .star-input:focus-visible + .star {
    outline: 2px solid var(--_link);
  }
  parley-rating .field {
    margin-bottom: 12px;
  }
`;
