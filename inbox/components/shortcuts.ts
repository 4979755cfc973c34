import { useEffect } from "preact/hooks";
import type { AppStores, Workspace } from "../context.js";

/** Where typing goes into a field, single-letter shortcuts stay letters. */
const typingInto = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** The keyboard: j/k, r, n, a, e, `/`, Ctrl-K and `?` (listed in HelpDialog and the palette). */
export function useShortcuts(app: AppStores, workspace: Workspace) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        app.ui.palette.value = !app.ui.palette.value;
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target) || document.querySelector("dialog[open]")) return;
      const run = shortcutAction(event.key, app, workspace);
      if (run) {
        event.preventDefault();
        run();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [workspace]);
}

/** Moves the open ticket by `step` places in the queue (j: +1, k: -1). */
export function stepTicket(app: AppStores, workspace: Workspace, step: number) {
  const list = workspace.queue.tickets.value;
  if (!list.length) return;
  const route = app.router.route.value;
  const current = route.screen === "queue" && route.number ? list.findIndex((ticket) => ticket.number === route.number) : -1;
  const next = current < 0 ? 0 : Math.min(list.length - 1, Math.max(0, current + step));
  app.router.go({ screen: "queue", number: list[next]!.number });
  if (next >= list.length - 5) void workspace.queue.loadMore();
}

export function shortcutAction(key: string, app: AppStores, workspace: Workspace): (() => void) | null {
  const { ui } = app;
  const ticket = workspace.ticket.value;
  switch (key) {
    case "j":
      return () => stepTicket(app, workspace, 1);
    case "k":
      return () => stepTicket(app, workspace, -1);
    case "r":
    case "n":
      return ticket
        ? () => {
            ui.composerMode.value = key === "r" ? "reply" : "note";
            ui.composerFocus.value++;
          }
        : null;
    case "a":
      return ticket ? () => void (ticket.ticket.value?.assigneeId ? ticket.assign(workspace.client.agent.id) : ticket.claim()) : null;
    case "e":
      return ticket ? () => (ui.dialog.value = "resolve") : null;
    case "/":
      return ticket ? () => ui.cannedOpen.value++ : null;
    case "?":
      return () => (ui.help.value = true);
    default:
      return null;
  }
}
