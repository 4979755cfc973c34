import { html } from "lit";
import type { ConversationStore } from "../conversation/conversation-store.js";
import { field, formText } from "../fields.js";
import { ScreenElement } from "../screen-element.js";

const SCORES = [1, 2, 3, 4, 5] as const;

/**
 * The satisfaction rating offered once a ticket is resolved: 1–5 stars and an optional comment.
 *
 * @csspart form - The rating form.
 */
export class ParleyRating extends ScreenElement {
  static override properties = { store: { attribute: false }, score: { state: true }, busy: { state: true } };
  declare store: ConversationStore;
  declare score: number;
  declare busy: boolean;

  constructor() {
    super();
    this.score = 0;
    this.busy = false;
  }

  async #submit(event: SubmitEvent) {
    event.preventDefault();
    const comment = formText(new FormData(event.target as HTMLFormElement), "comment");
    this.busy = true;
    try {
      await this.store.rate({ score: this.score, ...(comment ? { comment } : {}) });
    } catch (error) {
      this.ctx.fail(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const { t } = this.ctx;
    return html`<form class="card rating" part="form" @submit=${this.#submit}>
      <fieldset>
        <legend>${t("rateTitle")}</legend>
        <div class="stars">
          ${SCORES.map(
            (score) => html`<input
                class="star-input"
                type="radio"
                id="rating-${score}"
                name="score"
                value=${score}
                required
                .checked=${this.score === score}
                @change=${() => (this.score = score)}
              /><label class="star ${score <= this.score ? "filled" : ""}" for="rating-${score}"
                ><span aria-hidden="true">★</span><span class="visually-hidden">${t("rateScore", { score })}</span></label
              >`,
          )}
        </div>
      </fieldset>
      ${field(t, "rating-comment", t("ratingComment"), html`<textarea id="rating-comment" name="comment" maxlength="2000"></textarea>`, false)}
      <button class="button wide" type="submit" ?disabled=${this.busy}>${this.busy ? t("sending") : t("submitRating")}</button>
    </form>`;
  }
}
