import { html, nothing } from "lit";
import { reportUnlessLimited } from "../article/article.component.js";
import type { FaqSummary } from "../../../protocol/index.js";
import { renderInlineMarkdown } from "../markdown.js";
import { ScreenElement } from "../screen-element.js";

const SEARCH_DELAY_MS = 150;

/**
 * The first screen: the site's greeting, whether anyone is online, the way into a
 * conversation (or the contact form when offline), and help-centre search with instant results.
 *
 * @csspart faq-search - The search box and its results.
 */
export class ParleyHome extends ScreenElement {
  static override properties = { query: { state: true }, results: { state: true } };
  declare query: string;
  declare results: FaqSummary[] | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #latest = 0;

  constructor() {
    super();
    this.query = "";
    this.results = null;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.results === null) void this.#search("");
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  #onInput(event: InputEvent) {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#search(this.query.trim()), SEARCH_DELAY_MS);
  }

  async #search(q: string) {
    const request = ++this.#latest;
    try {
      const page = await this.ctx.client.faqs.search(q ? { q, limit: 6 } : { limit: 5 });
      // Answers can arrive out of order; only the newest search may show.
      if (request === this.#latest) this.results = page.items;
      if (q) this.ctx.client.helpEvent({ kind: "searched" }).catch((error: unknown) => reportUnlessLimited(this.ctx, error));
    } catch (error) {
      this.ctx.fail(error);
    }
  }

  override render() {
    const { t, config, offline, conversation, hasSession, navigate } = this.ctx;
    const ongoing = conversation?.ticket && conversation.ticket.status !== "closed";
    const searching = this.query.trim() !== "";
    const results = this.results;
    return html`<div class="hero">
        <p class="greeting" dir="auto">${config.branding.greeting}</p>
        <p class="presence"><span class="dot ${offline ? "away" : "online"}"></span>${offline ? t("offline") : t("online")}</p>
      </div>
      <div class="cards">
        <div class="card actions">
          ${ongoing ? html`<button class="button wide" type="button" @click=${() => navigate({ name: "conversation" })}>${t("continueConversation")}</button>` : nothing}
          <button class="button wide ${ongoing ? "secondary" : ""}" type="button" @click=${() => navigate({ name: offline ? "contact" : "prechat" })}>
            ${offline ? t("leaveMessage") : t("startConversation")}
          </button>
          ${hasSession ? html`<button class="link-button" type="button" @click=${() => navigate({ name: "tickets" })}>${t("myTickets")}</button>` : nothing}
        </div>
        <section class="card" part="faq-search" aria-labelledby="faq-heading">
          <form role="search" @submit=${(event: Event) => event.preventDefault()}>
            <label for="faq-query">${t("searchLabel")}</label>
            <input
              id="faq-query"
              type="search"
              autocomplete="off"
              data-autofocus
              placeholder=${t("searchPlaceholder")}
              @input=${this.#onInput}
            />
          </form>
          <h3 id="faq-heading">${searching ? t("searchResults") : t("popularArticles")}</h3>
          <p class="visually-hidden" role="status">${searching && results ? t("resultsCount", { count: results.length }) : ""}</p>
          ${results === null ? html`<p class="muted">${t("loading")}</p>` : nothing}
          ${searching && results?.length === 0 ? html`<p class="muted">${t("noResults", { query: this.query.trim() })}</p>` : nothing}
          <ul class="results">
            ${(results ?? []).map(
              (faq) => html`<li>
                <button class="result" type="button" @click=${() => navigate({ name: "article", slug: faq.slug })}>
                  <span class="result-title" dir="auto">${faq.title}</span>
                  <span class="excerpt" dir="auto">${renderInlineMarkdown(faq.excerpt)}</span>
                </button>
              </li>`,
            )}
          </ul>
        </section>
      </div>`;
  }
}
