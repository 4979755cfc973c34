import { useSignal } from "@preact/signals";
import { useApp, useT, useWorkspace } from "../context.js";
import type { MessageKey } from "../i18n.js";
import { LOCALE_NAMES, LOCALES } from "../i18n.js";
import { ADMIN_SECTIONS } from "../admin/sections.js";
import { Dialog } from "./Dialog.js";
import { shortcutAction } from "./shortcuts.js";

interface Command {
  id: string;
  label: string;
  hint?: string;
  run(): void;
}

/** Ctrl-K: every screen and action by name. */
export function CommandPalette() {
  const app = useApp();
  const workspace = useWorkspace();
  const { ui, router, session, prefs } = app;
  const t = useT();
  const query = useSignal("");
  const active = useSignal(0);
  const close = () => {
    ui.palette.value = false;
    query.value = "";
    active.value = 0;
  };

  const commands: Command[] = [
    { id: "queue", label: t("queue"), run: () => router.go({ screen: "queue", number: null }) },
    { id: "dashboard", label: t("dashboard"), run: () => router.go({ screen: "dashboard" }) },
    ...(session.isAdmin.value ? ADMIN_SECTIONS.map((section) => ({ id: `admin-${section.id}`, label: `${t("admin")}: ${t(section.label)}`, run: () => router.go({ screen: "admin", section: section.id }) })) : []),
    { id: "mine", label: `${t("queue")}: ${t("mine")}`, run: () => workspace.queue.setFilters({ assignee: "me" }) },
    { id: "unassigned", label: `${t("queue")}: ${t("unassigned")}`, run: () => workspace.queue.setFilters({ assignee: "none" }) },
    { id: "breached", label: `${t("queue")}: ${t("breached")}`, run: () => workspace.queue.setFilters({ sla: "breached" }) },
    ...([
      ["j", "keyNext"],
      ["k", "keyPrev"],
      ["r", "keyReply"],
      ["n", "keyNote"],
      ["a", "keyAssign"],
      ["e", "keyResolve"],
      ["/", "keyCanned"],
    ] as Array<[string, MessageKey]>).flatMap(([key, label]) => {
      const run = shortcutAction(key, app, workspace);
      return run ? [{ id: `key-${key}`, label: t(label), hint: key, run }] : [];
    }),
    ...(workspace.ticket.value
      ? [
          { id: "escalate", label: t("escalate"), run: () => (ui.dialog.value = "escalate") },
          { id: "close-ticket", label: t("close"), run: () => (ui.dialog.value = "close") },
        ]
      : []),
    { id: "help", label: t("help"), hint: "?", run: () => (ui.help.value = true) },
    { id: "theme", label: `${t("theme")}: ${prefs.theme.value === "dark" ? t("light") : t("dark")}`, run: () => prefs.setTheme(prefs.theme.value === "dark" ? "light" : "dark") },
    ...LOCALES.map((locale) => ({ id: `locale-${locale}`, label: `${t("language")}: ${LOCALE_NAMES[locale]}`, run: () => prefs.setLocale(locale) })),
    { id: "sign-out", label: t("signOut"), run: () => { app.drafts.clearAll(); session.signOut(); } },
  ];
  const needle = query.value.trim().toLowerCase();
  const shown = needle ? commands.filter((command) => command.label.toLowerCase().includes(needle)) : commands;
  const current = Math.min(active.value, Math.max(0, shown.length - 1));
  const choose = (command: Command | undefined) => {
    if (!command) return;
    close();
    command.run();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown") active.value = (current + 1) % Math.max(1, shown.length);
    else if (event.key === "ArrowUp") active.value = (current - 1 + shown.length) % Math.max(1, shown.length);
    else if (event.key === "Enter") choose(shown[current]);
    else return;
    event.preventDefault();
  };
  return (
    <Dialog open={ui.palette.value} onClose={close} label={t("palette")} class="palette">
      <input
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[current] ? `command-${shown[current]!.id}` : undefined}
        aria-label={t("palette")}
        placeholder={t("paletteHint")}
        value={query.value}
        onInput={(event) => {
          query.value = (event.currentTarget as HTMLInputElement).value;
          active.value = 0;
        }}
        onKeyDown={onKey}
        autofocus
      />
      <ul id="palette-list" role="listbox" aria-label={t("palette")}>
        {shown.map((command, index) => (
          <li key={command.id} id={`command-${command.id}`} role="option" aria-selected={index === current} class={index === current ? "active" : ""} onClick={() => choose(command)}>
            {command.label}
            {command.hint && <kbd>{command.hint}</kbd>}
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
