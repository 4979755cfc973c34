import { html, nothing } from "lit";
import type { Message } from "../../../protocol/index.js";
import { describeError } from "../format.js";
import { sendIcon } from "../icons.js";
import { ScreenElement } from "../screen-element.js";
import type { ConversationStore } from "./conversation-store.js";
import { renderBubble, senderOf, type BubbleModel } from "./message.js";

/** How close to the end of the log still counts as "at the latest message", in px. */
const BOTTOM_SLACK = 32;

/**
 * The live conversation: messages with sender, time and delivery state, the other side's
 * typing, the composer, and the rating once the ticket is resolved.
 *
 * @csspart messages - The message log. @csspart message - One message (also message-mine,
 * message-theirs). @csspart composer - The message form. @csspart input - Its field.
 * @csspart send - Its button. @csspart handoff - "Talk to a person", while the assistant answers.
 */
export class ParleyConversation extends ScreenElement {
  #atBottom = true;

  get #log() {
    return this.querySelector<HTMLElement>(".log");
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.ctx.conversation?.setSeen(false);
  }

  override updated() {
    const log = this.#log;
    if (log && this.#atBottom) log.scrollTop = log.scrollHeight;
    this.ctx.conversation?.setSeen(this.ctx.visible && this.#atBottom);
  }

  #onScroll() {
    const log = this.#log!;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK;
    if (atBottom === this.#atBottom) return;
    this.#atBottom = atBottom;
    this.requestUpdate();
  }

  #jumpToLatest() {
    this.#atBottom = true;
    this.requestUpdate();
  }

  #onKeydown(event: KeyboardEvent) {
    // Enter sends, Shift+Enter starts a new line (and IME composition is left alone).
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    (event.target as HTMLTextAreaElement).form?.requestSubmit();
  }

  /** A link to one of this site's help-centre pages (an assistant's citation) opens the article here. */
  #openArticle(event: MouseEvent) {
    const link = (event.target as Element).closest("a");
    const [, help, site, slug, ...rest] = link ? new URL(link.href).pathname.split("/") : [];
    if (help !== "help" || site !== this.ctx.options.site || !slug || rest.length > 0) return;
    event.preventDefault();
    this.ctx.navigate({ name: "article", slug });
  }

  #submit(event: SubmitEvent, store: ConversationStore) {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem("body") as HTMLTextAreaElement;
    const body = input.value.trim();
    if (!body) return;
    input.value = "";
    this.#atBottom = true;
    void store.send(body);
  }

  /** Every bubble in order: the ticket's opening text, committed messages, then unsent ones. */
  #bubbles(store: ConversationStore): BubbleModel[] {
    const { t } = this.ctx;
    const bubbles: BubbleModel[] = [];
    const ticket = store.ticket;
    if (ticket) bubbles.push({ key: "opening", mine: true, sender: t("you"), body: ticket.description, at: ticket.createdAt, attachments: [] });
    let lastMine: { bubble: BubbleModel; message: Message } | null = null;
    for (const message of store.messages) {
      const mine = message.senderType === "customer";
      const bubble: BubbleModel = { key: `m${message.seq}`, mine, sender: senderOf(t, message), body: message.body, at: message.createdAt, attachments: message.attachments };
      bubbles.push(bubble);
      if (mine) lastMine = { bubble, message };
    }
    // Delivery is said once, under the visitor's latest committed message.
    if (lastMine) lastMine.bubble.delivery = store.deliveryOf(lastMine.message);
    for (const entry of store.pending) {
      bubbles.push({ key: entry.clientId, mine: true, sender: t("you"), body: entry.body, at: entry.queuedAt, attachments: [], delivery: entry.delivery });
    }
    if (store.draft) bubbles.push({ key: "draft", mine: false, sender: t("bot"), body: store.draft, at: Date.now(), attachments: [] });
    return bubbles;
  }

  override render() {
    const { t, locale, conversation: store } = this.ctx;
    if (!store) return nothing;
    if (store.loading) return html`<p class="stack muted" role="status">${t("loading")}</p>`;
    if (!store.ticket) {
      // The banner says what failed; here, the way out.
      return html`<div class="centered">
        <p>${describeError(t, store.error)}</p>
        <button class="button secondary" type="button" @click=${() => this.ctx.navigate({ name: "home" })}>${t("backHome")}</button>
      </div>`;
    }
    const status = store.ticket?.status;
    const typing = store.botThinking ? { name: t("bot") } : store.typing[0];
    return html`<div class="log" part="messages" role="log" tabindex="0" aria-label=${t("conversation")} @scroll=${this.#onScroll} @click=${this.#openArticle}>
        <ol class="messages">
          ${this.#bubbles(store).map((bubble) => renderBubble(t, locale, bubble))}
        </ol>
        ${status === "resolved" || status === "closed"
          ? html`<div class="outcome">
              <p class="muted">${status === "closed" ? t("conversationClosed") : t("resolved")}</p>
              ${store.ticket?.rating === null
                ? html`<parley-rating .ctx=${this.ctx} .store=${store}></parley-rating>`
                : html`<p class="muted" role="status">${t("ratingThanks")}</p>`}
            </div>`
          : nothing}
      </div>
      ${!this.#atBottom && store.unread
        ? html`<button class="button jump" type="button" @click=${this.#jumpToLatest}>${t("jumpToLatest")} (${store.unread})</button>`
        : nothing}
      <p class="typing" role="status">${typing ? t("typing", { name: typing.name ?? t("agent") }) : ""}</p>
      ${store.withAssistant
        ? html`<button class="button secondary handoff" part="handoff" type="button" @click=${() => void store.handOff()}>${t("talkToPerson")}</button>`
        : nothing}
      ${status === "closed"
        ? nothing
        : html`<form class="composer" part="composer" @submit=${(event: SubmitEvent) => this.#submit(event, store)}>
            <label class="visually-hidden" for="composer-input">${t("composerLabel")}</label>
            <textarea
              id="composer-input"
              name="body"
              part="input"
              rows="1"
              maxlength="10000"
              data-autofocus
              placeholder=${t("composerPlaceholder")}
              @input=${(event: InputEvent) => store.setTyping((event.target as HTMLTextAreaElement).value !== "")}
              @keydown=${this.#onKeydown}
            ></textarea>
            <button class="icon-button send" part="send" type="submit" aria-label=${t("send")}>${sendIcon}</button>
          </form>`}`;
  }
}
