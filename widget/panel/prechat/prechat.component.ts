import { html, nothing } from "lit";
import type { PrechatField } from "../context.js";
import { field, formText } from "../fields.js";
import { ScreenElement } from "../screen-element.js";

const SUBJECT_MAX = 120;

/**
 * The new-conversation form: the first message, plus the pre-chat fields the site asks for
 * (name, email, topic). Submitting opens a chat ticket and shows the conversation.
 *
 * @csspart form - The form.
 */
export class ParleyPrechat extends ScreenElement {
  static override properties = { busy: { state: true } };
  declare busy: boolean;

  constructor() {
    super();
    this.busy = false;
  }

  async #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const { t, client, ticketCreated, fail } = this.ctx;
    const data = new FormData(form);
    const message = formText(data, "message");
    const name = formText(data, "name");
    const email = formText(data, "email");
    const category = formText(data, "category");
    const firstLine = message.split("\n")[0]!.trim();
    this.busy = true;
    try {
      const ticket = await client.tickets.create({
        subject: firstLine.length >= 3 ? firstLine.slice(0, SUBJECT_MAX) : t("chatSubject"),
        description: message,
        source: "chat",
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
        ...(category ? { category } : {}),
        ...visitorContext(),
      });
      form.reset();
      ticketCreated(ticket);
    } catch (error) {
      fail(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const { t, prechat, config } = this.ctx;
    const asks = (name: PrechatField) => prechat.fields.includes(name);
    const required = (name: PrechatField) => prechat.required.includes(name);
    const first = prechat.fields[0];
    return html`<form class="stack" part="form" @submit=${this.#submit}>
      <p class="muted">${t("prechatIntro")}</p>
      ${asks("name")
        ? field(t, "prechat-name", t("name"), html`<input id="prechat-name" name="name" autocomplete="name" maxlength="120" ?required=${required("name")} ?data-autofocus=${first === "name"} />`, required("name"))
        : nothing}
      ${asks("email")
        ? field(t, "prechat-email", t("email"), html`<input id="prechat-email" name="email" type="email" autocomplete="email" maxlength="254" ?required=${required("email")} ?data-autofocus=${first === "email"} />`, required("email"))
        : nothing}
      ${asks("category") && config.categories.length
        ? field(
            t,
            "prechat-category",
            t("category"),
            html`<select id="prechat-category" name="category" ?required=${required("category")} ?data-autofocus=${first === "category"}>
              <option value="">${t("chooseCategory")}</option>
              ${config.categories.map((category) => html`<option value=${category.slug}>${category.name}</option>`)}
            </select>`,
            required("category"),
          )
        : nothing}
      ${field(t, "prechat-message", t("message"), html`<textarea id="prechat-message" name="message" required maxlength="10000" ?data-autofocus=${!first}></textarea>`)}
      <button class="button wide" type="submit" ?disabled=${this.busy}>${this.busy ? t("sending") : t("startConversation")}</button>
    </form>`;
  }
}

/**
 * Where the visitor is and their language, for the agent's customer panel: the page's origin
 * and path only (a query may hold a token), and the browser's language tag. Left out when the
 * server would refuse it, so an odd page never blocks the conversation.
 */
function visitorContext(): { pageUrl?: string; locale?: string } {
  const page = `${location.origin}${location.pathname}`;
  const language = navigator.language;
  return {
    ...(/^https?:$/.test(location.protocol) && page.length <= 2048 ? { pageUrl: page } : {}),
    ...(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/.test(language) ? { locale: language } : {}),
  };
}
