import { html } from "lit";
import type { ContactReceipt } from "../../../protocol/index.js";
import { field, formText } from "../fields.js";
import { ScreenElement } from "../screen-element.js";

/**
 * The contact form, for when nobody can chat (outside business hours or no agent online):
 * it becomes a ticket, and the visitor gets its number to quote.
 *
 * @csspart form - The form.
 */
export class ParleyContact extends ScreenElement {
  static override properties = { busy: { state: true }, receipt: { state: true } };
  declare busy: boolean;
  declare receipt: (ContactReceipt & { email: string }) | null;

  constructor() {
    super();
    this.busy = false;
    this.receipt = null;
  }

  async #submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const form = { name: formText(data, "name"), email: formText(data, "email"), subject: formText(data, "subject"), message: formText(data, "message") };
    this.busy = true;
    try {
      const receipt = await this.ctx.client.contact(form);
      this.receipt = { ...receipt, email: form.email };
      await this.updateComplete;
      this.querySelector<HTMLElement>("#contact-sent")?.focus();
    } catch (error) {
      this.ctx.fail(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const { t, navigate } = this.ctx;
    if (this.receipt) {
      return html`<div class="stack">
        <div class="card sent" role="status">
          <h3 id="contact-sent" tabindex="-1">${t("contactSent")}</h3>
          <p>${t("contactNumber")}</p>
          <p class="ticket-number" dir="ltr">${this.receipt.number}</p>
          <p>${t("contactReply", { email: this.receipt.email })}</p>
        </div>
        <button class="button secondary wide" type="button" @click=${() => navigate({ name: "home" })}>${t("backHome")}</button>
      </div>`;
    }
    return html`<form class="stack" part="form" @submit=${this.#submit}>
      <p class="muted">${t("contactIntro")}</p>
      ${field(t, "contact-name", t("name"), html`<input id="contact-name" name="name" autocomplete="name" required maxlength="120" data-autofocus />`)}
      ${field(t, "contact-email", t("email"), html`<input id="contact-email" name="email" type="email" autocomplete="email" required maxlength="254" />`)}
      ${field(t, "contact-subject", t("subject"), html`<input id="contact-subject" name="subject" required minlength="3" maxlength="200" />`)}
      ${field(t, "contact-message", t("message"), html`<textarea id="contact-message" name="message" required maxlength="10000"></textarea>`)}
      <button class="button wide" type="submit" ?disabled=${this.busy}>${this.busy ? t("sending") : t("send")}</button>
    </form>`;
  }
}
