import { html } from "lit";
import type { WidgetConfig } from "../../../protocol/index.js";
import { unreachable, type PanelContext, type Screen } from "../context.js";
import type { ConversationStore } from "../conversation/conversation-store.js";
import type { Translate } from "../i18n/index.js";

/** The panel's title for a screen; a conversation's also says whether an agent is there. */
export function screenTitle(screen: Screen, t: Translate, config: WidgetConfig | null, conversation: ConversationStore | null) {
  switch (screen.name) {
    case "home":
      return html`<bdi>${config?.branding.name ?? config?.site.name ?? ""}</bdi>`;
    case "article":
      return t("article");
    case "prechat":
      return t("newConversation");
    case "conversation": {
      const agent = conversation?.agentsPresent[0];
      const status = agent ? t("agentHere", { name: agent.name ?? t("agent") }) : t("awaitingAgent");
      return html`<bdi>${conversation?.ticket?.subject ?? t("conversation")}</bdi><span class="subtitle">${status}</span>`;
    }
    case "tickets":
      return t("myTickets");
    case "contact":
      return t("contactUs");
    default:
      return unreachable(screen);
  }
}

/** The element for a screen; `data-screen` marks it for layout and focus. */
export function renderScreen(screen: Screen, ctx: PanelContext) {
  switch (screen.name) {
    case "home":
      return html`<parley-home data-screen .ctx=${ctx}></parley-home>`;
    case "article":
      return html`<parley-article data-screen .ctx=${ctx} .slug=${screen.slug}></parley-article>`;
    case "prechat":
      return html`<parley-prechat data-screen .ctx=${ctx}></parley-prechat>`;
    case "conversation":
      return html`<parley-conversation data-screen .ctx=${ctx}></parley-conversation>`;
    case "tickets":
      return html`<parley-tickets data-screen .ctx=${ctx}></parley-tickets>`;
    case "contact":
      return html`<parley-contact data-screen .ctx=${ctx}></parley-contact>`;
    default:
      return unreachable(screen);
  }
}
