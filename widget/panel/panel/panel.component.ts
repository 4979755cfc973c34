import { LitElement, html, nothing, type PropertyValues } from "lit";
import { cache } from "lit/directives/cache.js";
import type { Branding, Ticket, VisitorIdentity, VisitorJwtIdentity, WidgetConfig } from "../../../protocol/index.js";
import { isParleyError } from "../../../sdk/errors.js";
import { createClient } from "../../../sdk/realtime.js";
import type { PanelApi, WidgetEventMap, WidgetOptions, WidgetTheme } from "../../contract.js";
import { articleStyles } from "../article/article.styles.js";
import { contactStyles } from "../contact/contact.styles.js";
import { StoreController, type PanelClient, type PanelContext, type Screen } from "../context.js";
import { controlStyles } from "../controls.styles.js";
import { ConversationStore } from "../conversation/conversation-store.js";
import { conversationStyles } from "../conversation/conversation.styles.js";
import { trapTab } from "../focus.js";
import { describeError } from "../format.js";
import { homeStyles } from "../home/home.styles.js";
import { directionOf, resolveLocale, translator, type Translate } from "../i18n/index.js";
import { backIcon, closeIcon } from "../icons.js";
import { ticketsStyles } from "../tickets/tickets.styles.js";
import { adoptBrand } from "../theme.js";
import { panelStyles } from "./panel.styles.js";
import { renderScreen, screenTitle } from "./screens.js";

/**
 * The support panel: help-centre search, conversations, tickets and the contact form for one
 * site, in its own shadow root. The loader creates it, sets `options`, and calls its
 * {@link PanelApi}; it never renders the launcher.
 *
 * @event parley-ready - The site's widget config has loaded.
 * @event parley-open - The panel opened.
 * @event parley-close - The panel closed; the loader returns focus to the launcher.
 * @event parley-message - A message from the support side arrived live.
 * @event parley-unread - The number of support messages the visitor has not seen changed.
 * @event parley-ticket-created - The visitor opened a ticket from the panel.
 * @event parley-error - Something failed; the panel also shows it.
 *
 * @csspart panel - The window. @csspart header - Its title bar. @csspart messages - The
 * conversation log. @csspart message - One message. @csspart composer - The message form.
 * @csspart input - The message field. @csspart send - The send button. @csspart faq-search -
 * The help search. @csspart article - A help article. @csspart form - Every form.
 *
 * Theming: the `--parley-*` custom properties listed in panel.styles.ts.
 */
export class ParleyPanel extends LitElement implements PanelApi {
  static override properties = {
    opened: { type: Boolean, reflect: true, attribute: "open" },
    theme: { reflect: true },
    position: { reflect: true },
    config: { state: true },
    history: { state: true },
    localeOverride: { state: true },
    loadError: { state: true },
    banner: { state: true },
    conversation: { state: true },
    hasSession: { state: true },
  };
  static override styles = [panelStyles, controlStyles, homeStyles, articleStyles, conversationStyles, ticketsStyles, contactStyles];

  declare options: WidgetOptions;
  declare opened: boolean;
  declare theme: WidgetTheme;
  declare position: WidgetOptions["position"];
  declare config: WidgetConfig | null;
  declare history: Screen[];
  declare localeOverride: string | null;
  declare loadError: string | null;
  declare banner: string | null;
  declare conversation: ConversationStore | null;
  declare hasSession: boolean;
  #client: PanelClient | null = null;
  /** Branding shown instead of the site's saved one (showBranding). */
  #branding: Branding | null = null;
  readonly #store = new StoreController(this);

  constructor() {
    super();
    this.opened = false;
    this.theme = "auto";
    this.config = null;
    this.history = [{ name: "home" }];
    this.localeOverride = null;
    this.loadError = null;
    this.banner = null;
    this.conversation = null;
    this.hasSession = false;
  }

  get isOpen() {
    return this.opened;
  }

  get #ticketKey() {
    return `parley:${this.options.site}:ticket`;
  }

  get #locale() {
    return resolveLocale(this.localeOverride, this.options.locale, this.config?.locale, navigator.language);
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.#client) return;
    this.theme = this.options.theme ?? "auto";
    this.#client = createClient({ baseUrl: this.options.apiUrl, siteKey: this.options.site, identity: this.options.identity });
    void this.#load();
  }

  open() {
    if (this.opened) return;
    this.opened = true;
    this.#emit("parley-open", {});
    void this.#focusScreen();
  }

  close() {
    if (!this.opened) return;
    this.opened = false;
    this.conversation?.setSeen(false);
    this.#emit("parley-close", {});
  }

  async identify(identity: VisitorIdentity | VisitorJwtIdentity) {
    await this.#client?.identify(identity);
    this.#forgetConversation();
    this.hasSession = true;
  }

  async reset() {
    await this.#client?.reset();
    this.#forgetConversation();
    this.hasSession = false;
  }

  setLocale(locale: string) {
    this.localeOverride = locale;
  }

  /**
   * Shows `branding` in place of the site's saved branding, now and after the config loads;
   * nothing is saved. The inbox's branding editor previews unsaved changes through it.
   */
  showBranding(branding: Branding) {
    this.#branding = branding;
    if (this.config) this.#applyConfig(this.config);
  }

  #applyConfig(fetched: WidgetConfig) {
    const config = this.#branding ? { ...fetched, branding: this.#branding } : fetched;
    adoptBrand(this.renderRoot as ShadowRoot, config.branding.primaryColor);
    this.position = this.options.position ?? config.branding.position;
    this.config = config;
  }

  async #load() {
    this.loadError = null;
    const client = this.#client!;
    try {
      const config = await client.widgetConfig();
      // A verified visitor has tickets to list even before this browser has a session.
      this.hasSession = Boolean(this.options.identity) || (await client.hasSession());
      const remembered = localStorage.getItem(this.#ticketKey);
      if (remembered && this.hasSession) this.#openConversation(remembered);
      this.#applyConfig(config);
      this.#emit("parley-ready", {});
      // Opened before the config arrived: focus is on the title, and belongs in the screen.
      const focused = (this.renderRoot as ShadowRoot).activeElement;
      if (this.opened && (!focused || focused.id === "parley-title")) void this.#focusScreen();
    } catch (error) {
      this.loadError = this.#fail(error);
    }
  }

  #emit<K extends keyof WidgetEventMap>(type: K, detail: Omit<WidgetEventMap[K], "site">) {
    const full = { site: this.options.site, ...detail } as WidgetEventMap[K];
    this.dispatchEvent(new CustomEvent(type, { detail: full, bubbles: true, composed: true }));
  }

  readonly #fail = (error: unknown): string => {
    const message = describeError(translator(this.#locale), error);
    this.banner = message;
    this.#emit("parley-error", { message: error instanceof Error ? error.message : String(error) });
    return message;
  };

  readonly #navigate = (screen: Screen) => {
    this.banner = null;
    this.history = screen.name === "home" ? [screen] : [...this.history, screen];
  };

  #back() {
    this.banner = null;
    this.history = this.history.length > 1 ? this.history.slice(0, -1) : [{ name: "home" }];
  }

  #openConversation(number: string) {
    if (this.conversation?.number === number) return;
    this.conversation?.close();
    localStorage.setItem(this.#ticketKey, number);
    const store: ConversationStore = new ConversationStore(this.#client!, number, {
      assistant: () => this.config?.assistant ?? false,
      incoming: (message) => this.#emit("parley-message", { message }),
      unread: (count) => this.#emit("parley-unread", { count }),
      error: (error) => {
        // A ticket this visitor can no longer open is forgotten, so a reload does not retry it.
        if (isParleyError(error) && [401, 403, 404].includes(error.status) && this.conversation === store) this.#forgetConversation();
        this.#fail(error);
      },
    });
    this.conversation = store;
  }

  #forgetConversation() {
    this.conversation?.close();
    this.conversation = null;
    localStorage.removeItem(this.#ticketKey);
    this.history = [{ name: "home" }];
  }

  readonly #ticketCreated = (ticket: Ticket) => {
    this.hasSession = true;
    this.#openConversation(ticket.number);
    this.#emit("parley-ticket-created", { ticket });
    this.history = [{ name: "home" }, { name: "conversation" }];
  };

  readonly #openTicket = (number: string) => {
    this.#openConversation(number);
    this.#navigate({ name: "conversation" });
  };

  override updated(changed: PropertyValues<this>) {
    if (changed.has("history") && changed.get("history") && this.opened) void this.#focusScreen();
  }

  /** Moves focus into the current screen: its marked field, or the panel title. */
  async #focusScreen() {
    await this.updateComplete;
    const screen = this.renderRoot.querySelector<LitElement>("[data-screen]");
    await screen?.updateComplete;
    const coarse = matchMedia("(pointer: coarse)").matches; // no keyboard popping up on phones
    const field = coarse ? null : screen?.querySelector<HTMLElement>("[data-autofocus]");
    (field ?? this.renderRoot.querySelector<HTMLElement>("h2"))?.focus();
  }

  #onKeydown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.stopPropagation();
      this.close();
    } else if (event.key === "Tab") {
      trapTab(event, this.renderRoot as ShadowRoot);
    }
  }

  override render() {
    const locale = this.#locale;
    const t = translator(locale);
    this.#store.follow(this.conversation);
    const screen = this.history.at(-1) ?? { name: "home" };
    return html`<section
      class="panel"
      part="panel"
      role="dialog"
      aria-modal="true"
      aria-labelledby="parley-title"
      lang=${locale}
      dir=${directionOf(locale)}
      @keydown=${this.#onKeydown}
    >
      <div class="header" part="header">
        ${screen.name === "home"
          ? nothing
          : html`<button class="icon-button back" type="button" aria-label=${t("back")} @click=${this.#back}>${backIcon}</button>`}
        <h2 id="parley-title" tabindex="-1">${screenTitle(screen, t, this.config, this.conversation)}</h2>
        <button class="icon-button close" type="button" aria-label=${t("close")} @click=${this.close}>${closeIcon}</button>
      </div>
      <div class="content">
        ${this.banner
          ? html`<div class="banner" role="alert">
              <p>${this.banner}</p><button class="link-button" type="button" @click=${() => (this.banner = null)}>${t("dismiss")}</button>
            </div>`
          : nothing}
        ${this.#body(screen, t, locale)}
      </div>
    </section>`;
  }

  #body(screen: Screen, t: Translate, locale: string) {
    const config = this.config;
    if (this.loadError) {
      return html`<div class="centered" data-screen>
        <p>${t("errorLoad")}</p>
        <button class="button" type="button" data-autofocus @click=${() => void this.#load()}>${t("retry")}</button>
      </div>`;
    }
    if (!config || !this.#client) return html`<div class="centered muted" role="status" data-screen>${t("loading")}</div>`;
    const ctx: PanelContext = {
      options: this.options,
      client: this.#client,
      config,
      locale,
      t,
      offline: !config.open || config.agentsOnline === 0,
      prechat: { fields: this.options.prechat?.fields ?? ["name", "email", "category"], required: this.options.prechat?.required ?? [] },
      conversation: this.conversation,
      hasSession: this.hasSession,
      visible: this.opened,
      navigate: this.#navigate,
      fail: this.#fail,
      ticketCreated: this.#ticketCreated,
      openTicket: this.#openTicket,
    };
    // cache keeps each screen's element (and its state: a search, a half-written form) while away.
    return cache(renderScreen(screen, ctx));
  }
}
