import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Signal } from "@preact/signals";
import type { DraftStore } from "./stores/drafts.js";
import type { PrefsStore } from "./stores/prefs.js";
import type { QueueStore } from "./stores/queue.js";
import type { RouterStore } from "./stores/router.js";
import type { SettingsStore } from "./stores/settings.js";
import type { AgentClient, SessionStore } from "./stores/session.js";
import type { TicketStore } from "./stores/ticket.js";
import type { UiStore } from "./stores/ui.js";

/** The stores that outlive a sign-in, made once in main.tsx and handed down by context. */
export interface AppStores {
  session: SessionStore;
  prefs: PrefsStore;
  drafts: DraftStore;
  router: RouterStore;
  ui: UiStore;
  settings: SettingsStore;
}

/** The stores of one signed-in agent. */
export interface Workspace {
  client: AgentClient;
  queue: QueueStore;
  /** The ticket open on screen, if any. */
  ticket: Signal<TicketStore | null>;
}

export const AppContext = createContext<AppStores | null>(null);
export const WorkspaceContext = createContext<Workspace | null>(null);

export function useApp(): AppStores {
  const stores = useContext(AppContext);
  if (!stores) throw new Error("useApp() outside <AppContext.Provider>");
  return stores;
}

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace() outside a signed-in workspace");
  return workspace;
}

/** The current translator (re-renders when the language changes). */
export const useT = () => useApp().prefs.t.value;
