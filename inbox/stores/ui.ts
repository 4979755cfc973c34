import { signal } from "@preact/signals";
import type { ComposerMode } from "./drafts.js";

export type TicketDialog = "resolve" | "escalate" | "close" | null;

/** What the keyboard and the command palette ask of the screens: dialogs, the composer's mode and focus. */
export function createUiStore() {
  return {
    palette: signal(false),
    help: signal(false),
    dialog: signal<TicketDialog>(null),
    composerMode: signal<ComposerMode>("reply"),
    /** Bumped to move focus into the composer. */
    composerFocus: signal(0),
    /** Bumped to open the canned responses picker. */
    cannedOpen: signal(0),
    /** A short message for everyone (screen readers too): the live region. */
    announcement: signal(""),
    notify: signal(typeof Notification !== "undefined" && Notification.permission === "granted"),
  };
}

export type UiStore = ReturnType<typeof createUiStore>;
