/**
 * The panel bundle: importing it defines `<parley-panel>` and its screens (once, even if a
 * page loads it twice). The loader imports it lazily and drives it through PanelApi.
 */
import { ParleyArticle } from "./article/article.component.js";
import { ParleyContact } from "./contact/contact.component.js";
import { ParleyConversation } from "./conversation/conversation.component.js";
import { ParleyHome } from "./home/home.component.js";
import { ParleyPanel } from "./panel/panel.component.js";
import { ParleyPrechat } from "./prechat/prechat.component.js";
import { ParleyRating } from "./rating/rating.component.js";
import { ParleyTickets } from "./tickets/tickets.component.js";

const elements: Record<string, CustomElementConstructor> = {
  "parley-panel": ParleyPanel,
  "parley-home": ParleyHome,
  "parley-article": ParleyArticle,
  "parley-prechat": ParleyPrechat,
  "parley-conversation": ParleyConversation,
  "parley-rating": ParleyRating,
  "parley-tickets": ParleyTickets,
  "parley-contact": ParleyContact,
};
for (const [name, element] of Object.entries(elements)) {
  if (!customElements.get(name)) customElements.define(name, element);
}

declare global {
  interface HTMLElementTagNameMap {
    "parley-panel": ParleyPanel;
  }
}
