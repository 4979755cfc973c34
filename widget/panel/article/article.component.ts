import { html, type PropertyValues } from "lit";
import type { Faq } from "../../../protocol/index.js";
import { isParleyError } from "../../../sdk/errors.js";
import { renderMarkdown } from "../markdown.js";
import { ScreenElement } from "../screen-element.js";

/**
 * One help-centre article, rendered from markdown, with a helpful / not helpful vote and a
 * way on to a conversation.
 *
 * @csspart article - The article.
 */
export class ParleyArticle extends ScreenElement {
  static override properties = { slug: {}, article: { state: true }, voted: { state: true } };
  declare slug: string;
  declare article: Faq | null;
  declare voted: boolean;

  constructor() {
    super();
    this.article = null;
    this.voted = false;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("slug")) void this.#load(this.slug);
  }

  async #load(slug: string) {
    this.article = null;
    this.voted = false;
    try {
      const article = await this.ctx.client.faqs.get(slug);
      if (slug === this.slug) this.article = article;
    } catch (error) {
      this.ctx.fail(error);
      return;
    }
    // Counted for the help centre's deflection figures; the article is already on screen.
    this.ctx.client.helpEvent({ kind: "opened", slug }).catch((error: unknown) => reportUnlessLimited(this.ctx, error));
  }

  async #vote(helpful: boolean) {
    const slug = this.slug;
    this.voted = true;
    try {
      await this.ctx.client.faqs.vote(slug, helpful);
    } catch (error) {
      // 409: a vote on this article already came from the visitor's network today. Their
      // feedback is as good as counted, and an error would blame them for a neighbour's click.
      if (isParleyError(error) && error.status === 409) return;
      this.voted = false;
      this.ctx.fail(error);
    }
  }

  override render() {
    const { t, offline, navigate } = this.ctx;
    const article = this.article;
    if (!article) return html`<p class="stack muted" role="status">${t("loading")}</p>`;
    return html`<div class="stack">
      <article part="article" class="card prose" dir="auto" aria-labelledby="article-title">
        <h3 id="article-title">${article.title}</h3>
        ${renderMarkdown(article.body, { headings: true })}
      </article>
      <div class="card vote">
        ${this.voted
          ? html`<p role="status">${t("thanksFeedback")}</p>`
          : html`<p id="vote-question">${t("helpfulQuestion")}</p>
              <div class="vote-buttons" role="group" aria-labelledby="vote-question">
                <button class="button secondary" type="button" @click=${() => void this.#vote(true)}>${t("yes")}</button>
                <button class="button secondary" type="button" @click=${() => void this.#vote(false)}>${t("no")}</button>
              </div>`}
      </div>
      <div class="card">
        <p>${t("stillNeedHelp")}</p>
        <button class="button wide" type="button" @click=${() => navigate({ name: offline ? "contact" : "prechat" })}>
          ${offline ? t("leaveMessage") : t("startConversation")}
        </button>
      </div>
    </div>`;
  }
}

/** A help-centre count refused for rate is not the visitor's problem; anything else is shown. */
export function reportUnlessLimited(ctx: { fail(error: unknown): void }, error: unknown) {
  if (isParleyError(error) && error.status === 429) return;
  ctx.fail(error);
}
