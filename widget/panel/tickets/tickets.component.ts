import { html } from "lit";
import type { Ticket } from "../../../protocol/index.js";
import { formatDate } from "../format.js";
import { ScreenElement } from "../screen-element.js";

/** The visitor's tickets, newest first, with their status; one opens as the conversation. */
export class ParleyTickets extends ScreenElement {
  static override properties = { tickets: { state: true } };
  declare tickets: Ticket[] | null;

  constructor() {
    super();
    this.tickets = null;
  }

  override connectedCallback() {
    super.connectedCallback();
    // Shown again after a while away: statuses may have moved on.
    void this.#load();
  }

  async #load() {
    try {
      this.tickets = (await this.ctx.client.tickets.list({ limit: 25 })).items;
    } catch (error) {
      this.tickets = [];
      this.ctx.fail(error);
    }
  }

  override render() {
    const { t, locale, openTicket } = this.ctx;
    const tickets = this.tickets;
    if (!tickets) return html`<p class="stack muted" role="status">${t("loading")}</p>`;
    if (!tickets.length) return html`<p class="stack muted">${t("noTickets")}</p>`;
    return html`<ul class="stack tickets">
      ${tickets.map(
        (ticket) => html`<li>
          <button class="card ticket" type="button" @click=${() => openTicket(ticket.number)}>
            <span class="ticket-head">
              <span class="ticket-subject" dir="auto">${ticket.subject}</span>
              <span class="status ${ticket.status}">${t(`status_${ticket.status}`)}</span>
            </span>
            <span class="muted">${ticket.number} · ${t("ticketUpdated", { date: formatDate(locale, ticket.updatedAt) })}</span>
            ${ticket.unreadCount ? html`<span class="unread">${t("unreadCount", { count: ticket.unreadCount })}</span>` : ""}
          </button>
        </li>`,
      )}
    </ul>`;
  }
}
