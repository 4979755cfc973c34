import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Ticket, WidgetConfig } from "../../protocol/index.js";
import type { createClient } from "../../sdk/realtime.js";
import type { WidgetOptions } from "../contract.js";
import type { ConversationStore } from "./conversation/conversation-store.js";
import type { Translate } from "./i18n/index.js";

export type PanelClient = ReturnType<typeof createClient>;

/** Where the visitor is in the panel. */
export type Screen =
  | { name: "home" }
  | { name: "article"; slug: string }
  | { name: "prechat" }
  | { name: "conversation" }
  | { name: "tickets" }
  | { name: "contact" };

export type PrechatField = "name" | "email" | "category";

/**
 * What every screen gets from the panel, rebuilt on each panel render (so a new locale or
 * config reaches the screens) and handed down as the `ctx` property.
 */
export interface PanelContext {
  readonly options: WidgetOptions;
  readonly client: PanelClient;
  readonly config: WidgetConfig;
  readonly locale: string;
  readonly t: Translate;
  /** Outside business hours or nobody online: conversations become contact-form tickets. */
  readonly offline: boolean;
  readonly prechat: { fields: PrechatField[]; required: PrechatField[] };
  /** True once the visitor has a session (so "My tickets" has something to show). */
  readonly hasSession: boolean;
  /** The live conversation, if the visitor has one. */
  readonly conversation: ConversationStore | null;
  /** True while the panel is open. */
  readonly visible: boolean;
  navigate(screen: Screen): void;
  /** Reports a failure (parley-error) and answers the message to show. */
  fail(error: unknown): string;
  /** A ticket was just opened from the panel: remember it, announce it, show it. */
  ticketCreated(ticket: Ticket): void;
  /** Shows one of the visitor's tickets as the current conversation. */
  openTicket(number: string): void;
}

/** Something that tells listeners it changed. */
export class Observable {
  readonly #listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  protected changed() {
    for (const listener of this.#listeners) listener();
  }
}

/** Re-renders a component whenever an observable store changes, while it is connected. */
export class StoreController implements ReactiveController {
  #unsubscribe: (() => void) | null = null;
  #store: Observable | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Follows `store` (or nothing); call on every render, it only resubscribes on change. */
  follow(store: Observable | null) {
    if (store === this.#store) return;
    this.#unsubscribe?.();
    this.#store = store;
    this.#unsubscribe = store?.subscribe(() => this.host.requestUpdate()) ?? null;
  }

  hostConnected() {
    const store = this.#store;
    this.#store = null;
    this.follow(store);
  }

  hostDisconnected() {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}

export const unreachable = (value: never): never => {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
};
