import { html, nothing } from "lit";
import type { Attachment, Message } from "../../../protocol/index.js";
import { unreachable } from "../context.js";
import { formatSize, formatTime } from "../format.js";
import type { MessageKey, Translate } from "../i18n/index.js";
import { fileIcon } from "../icons.js";
import { renderMarkdown, safeHref } from "../markdown.js";
import type { Delivery } from "./conversation-store.js";

/** What one bubble shows: a committed message, or one still on its way. */
export interface BubbleModel {
  key: string;
  mine: boolean;
  sender: string;
  body: string;
  at: string | number;
  attachments: readonly Attachment[];
  /** Only for the visitor's own messages, and only where it is worth saying. */
  delivery?: Delivery | undefined;
}

const DELIVERY_LABEL: Record<Delivery, MessageKey> = {
  sending: "deliverySending",
  sent: "deliverySent",
  read: "deliveryRead",
  failed: "deliveryFailed",
};

/** The name to show for who wrote a message. */
export function senderOf(t: Translate, message: Message): string {
  switch (message.senderType) {
    case "customer":
      return t("you");
    case "agent":
      return message.senderName ?? t("agent");
    case "bot":
      return message.senderName ?? t("bot");
    case "system":
      return t("system");
    default:
      return unreachable(message.senderType);
  }
}

function attachmentLink(t: Translate, locale: string, attachment: Attachment) {
  const href = safeHref(attachment.url);
  const size = formatSize(locale, attachment.size);
  // The hidden word makes the link's name say what it is, and still contains the visible text.
  const label = html`${fileIcon}<span class="visually-hidden">${t("attachment")} </span><span class="file-name" dir="auto">${attachment.name}</span>
    <span class="file-size">${size}</span>`;
  return html`<li>${href ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">${label}</a>` : html`<span>${label}</span>`}</li>`;
}

export function renderBubble(t: Translate, locale: string, bubble: BubbleModel) {
  const side = bubble.mine ? "mine" : "theirs";
  return html`<li class="message ${side}" part="message message-${side}">
    <p class="meta"><span class="sender">${bubble.sender}</span> <time datetime=${new Date(bubble.at).toISOString()}>${formatTime(locale, bubble.at)}</time></p>
    <div class="bubble prose" dir="auto">
      ${renderMarkdown(bubble.body)}
      ${bubble.attachments.length ? html`<ul class="attachments">${bubble.attachments.map((a) => attachmentLink(t, locale, a))}</ul>` : nothing}
    </div>
    ${bubble.delivery ? html`<p class="delivery ${bubble.delivery}">${t(DELIVERY_LABEL[bubble.delivery])}</p>` : nothing}
  </li>`;
}
