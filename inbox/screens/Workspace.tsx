import { signal, useSignalEffect } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import type { AgentStatus } from "../../protocol/index.js";
import { useApp, useT, WorkspaceContext, type Workspace } from "../context.js";
import { CommandPalette } from "../components/CommandPalette.js";
import { HelpDialog } from "../components/HelpDialog.js";
import { LocaleAndTheme } from "../components/LocaleAndTheme.js";
import { lazyScreen } from "../components/lazy.js";
import { useShortcuts } from "../components/shortcuts.js";
import { createQueueStore } from "../stores/queue.js";
import type { AgentClient } from "../stores/session.js";
import { createTicketStore, type TicketStore } from "../stores/ticket.js";
import { QueuePane } from "./Queue.js";
import { TicketPane } from "./Ticket.js";

// Loaded on demand: neither is part of the first screen's JavaScript.
const Dashboard = lazyScreen(() => import("./Dashboard.js").then((module) => module.Dashboard));
const AdminScreen = lazyScreen(() => import("../admin/AdminScreen.js").then((module) => module.AdminScreen));

const STATUSES: AgentStatus[] = ["available", "busy", "away"];

let audio: AudioContext | null = null;
/** A short two-note chime, synthesised (no sound file to fetch), for opted-in notifications. */
function chime() {
  audio ??= new AudioContext();
  const at = audio.currentTime;
  for (const [offset, frequency] of [[0, 880], [0.12, 1320]] as const) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.08, at + offset);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + offset + 0.25);
    tone.connect(gain).connect(audio.destination);
    tone.start(at + offset);
    tone.stop(at + offset + 0.3);
  }
}

/** Everything a signed-in agent sees: header, queue and ticket (or dashboard, admin), palette and help. */
export function WorkspaceScreen({ client }: { client: AgentClient }) {
  const app = useApp();
  const { session, router, ui, drafts } = app;
  const t = useT();
  const workspace = useMemo<Workspace>(() => {
    const ticket = signal<TicketStore | null>(null);
    const notify = (title: string) => {
      if (!ui.notify.value) return;
      if (typeof Notification !== "undefined" && Notification.permission === "granted") new Notification(title);
      chime();
    };
    const queue = createQueueStore(client, {
      created: (created) => {
        ui.announcement.value = t("newTicket", { number: created.number, subject: created.subject });
        notify(ui.announcement.value);
      },
      replied: (replied) => notify(t("newReply", { number: replied.number })),
    });
    return { client, queue, ticket };
  }, [client]);
  const { queue, ticket } = workspace;

  useEffect(() => {
    void queue.load();
    void queue.connect();
    return () => {
      queue.disconnect();
      ticket.value?.dispose();
    };
  }, [queue]);

  // The open ticket follows the URL.
  useSignalEffect(() => {
    const route = router.route.value;
    const number = route.screen === "queue" ? route.number : null;
    const current = ticket.peek();
    if (current?.number === number) return;
    current?.dispose();
    if (!number) {
      ticket.value = null;
      return;
    }
    const next = createTicketStore(client, number, (changed) => queue.apply(changed));
    ticket.value = next;
    void next.open();
  });

  useShortcuts(app, workspace);

  const route = router.route.value;
  const agent = session.agent.value!;
  const counts = queue.counts.value;
  const link = (event: MouseEvent, to: Parameters<typeof router.go>[0]) => {
    event.preventDefault();
    router.go(to);
  };
  return (
    <WorkspaceContext.Provider value={workspace}>
      <div class="app" data-view={route.screen === "queue" && route.number ? "ticket" : "list"}>
        <header class="topbar">
          <a class="brand" href="/inbox" onClick={(event) => link(event, { screen: "queue", number: null })}>
            Parley
          </a>
          <nav aria-label={t("appName")}>
            <a href="/inbox" aria-current={route.screen === "queue" ? "page" : undefined} onClick={(event) => link(event, { screen: "queue", number: null })}>
              {t("queue")}
              {counts && (
                <span class="badge" title={t("openCount", { count: counts.open })}>
                  <span class="visually-hidden">{t("openCount", { count: counts.open })}</span>
                  <span aria-hidden="true">{counts.open}</span>
                </span>
              )}
              {counts && counts.myUnread > 0 && (
                <span class="badge unread" data-testid="my-unread">
                  <span class="visually-hidden">{t("unreadCount", { count: counts.myUnread })}</span>
                  <span aria-hidden="true">{counts.myUnread}</span>
                </span>
              )}
            </a>
            <a href="/inbox/dashboard" aria-current={route.screen === "dashboard" ? "page" : undefined} onClick={(event) => link(event, { screen: "dashboard" })}>
              {t("dashboard")}
            </a>
            {session.isAdmin.value && (
              <a href="/inbox/admin/agents" aria-current={route.screen === "admin" ? "page" : undefined} onClick={(event) => link(event, { screen: "admin", section: "agents" })}>
                {t("admin")}
              </a>
            )}
          </nav>
          <span class={`connection ${queue.connection.value}`} role="status" data-connection={queue.connection.value}>
            {queue.connection.value === "live" ? t("live") : queue.connection.value === "reconnecting" ? t("reconnecting") : t("loading")}
          </span>
          <div class="me">
            <label>
              <span class="visually-hidden">{t("status")}</span>
              <select aria-label={t("status")} value={agent.status} class={`status-${agent.status}`} onChange={(event) => void session.setStatus((event.currentTarget as HTMLSelectElement).value as AgentStatus)}>
                {STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {t(status)}
                  </option>
                ))}
              </select>
            </label>
            <label class="check" title={t("notificationsOn")}>
              <input
                type="checkbox"
                checked={ui.notify.value}
                onChange={async (event) => {
                  const on = (event.currentTarget as HTMLInputElement).checked;
                  ui.notify.value = on && typeof Notification !== "undefined" && (await Notification.requestPermission()) === "granted";
                }}
              />
              {t("notifications")}
            </label>
            <LocaleAndTheme />
            <span class="who">{agent.name}</span>
            <button
              type="button"
              class="ghost"
              onClick={() => {
                drafts.clearAll();
                session.signOut();
              }}
            >
              {t("signOut")}
            </button>
          </div>
        </header>
        <div class="live-region visually-hidden" role="status" aria-live="polite">
          {ui.announcement.value}
        </div>
        {route.screen === "queue" && (
          <main class="split">
            <QueuePane />
            <TicketPane />
          </main>
        )}
        {route.screen !== "queue" && (
          <main class="page" tabIndex={0} aria-label={route.screen === "dashboard" ? t("dashboard") : t("admin")}>
            {route.screen === "dashboard" ? <Dashboard /> : session.isAdmin.value ? <AdminScreen section={route.section} /> : <p>{t("notFound")}</p>}
          </main>
        )}
        <CommandPalette />
        <HelpDialog />
      </div>
    </WorkspaceContext.Provider>
  );
}
