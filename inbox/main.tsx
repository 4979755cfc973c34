import { render } from "preact";
import { App } from "./App.js";
import { AppContext, type AppStores } from "./context.js";
import { createDraftStore } from "./stores/drafts.js";
import { createPrefsStore } from "./stores/prefs.js";
import { createRouterStore } from "./stores/router.js";
import { createSessionStore } from "./stores/session.js";
import { createSettingsStore } from "./stores/settings.js";
import { createUiStore } from "./stores/ui.js";

// The inbox is served by the API it talks to, so the API is this origin.
const stores: AppStores = {
  session: createSessionStore(location.origin),
  prefs: createPrefsStore(),
  drafts: createDraftStore(),
  router: createRouterStore(),
  ui: createUiStore(),
  settings: createSettingsStore(),
};
void stores.session.restore();
// Without them attachments stay links: nothing the agent does waits on this.
stores.settings.load().catch((error: unknown) => console.warn(error));

render(
  <AppContext.Provider value={stores}>
    <App />
  </AppContext.Provider>,
  document.getElementById("app")!,
);
