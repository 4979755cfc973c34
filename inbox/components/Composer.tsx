import { useSignal, useSignalEffect } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { CannedResponse } from "../../protocol/index.js";
import { useApp, useT, useWorkspace } from "../context.js";
import type { ComposerMode } from "../stores/drafts.js";
import type { TicketStore } from "../stores/ticket.js";
import { Markdown } from "./Markdown.js";

/**
 * Reply or internal note. A note is only ever sent from note mode, which the agent picks
 * explicitly (the `n` key or the Note tab) and which looks different; the mode never changes
 * by itself while text is typed. Drafts are kept per ticket and mode.
 */
export function Composer({ store }: { store: TicketStore }) {
  const t = useT();
  const { ui, drafts } = useApp();
  const mode = ui.composerMode.value;
  const text = useSignal(drafts.get(store.number, mode));
  const preview = useSignal(false);
  const sending = useSignal(false);
  const picker = useSignal(false);
  const area = useRef<HTMLTextAreaElement>(null);

  // Switching mode (or ticket) shows that mode's own draft.
  useEffect(() => {
    text.value = drafts.get(store.number, mode);
  }, [mode, store.number]);
  useSignalEffect(() => {
    if (ui.composerFocus.value === 0) return;
    preview.value = false;
    queueMicrotask(() => area.current?.focus());
  });
  useSignalEffect(() => {
    if (ui.cannedOpen.value === 0) return;
    picker.value = true;
  });

  const setMode = (next: ComposerMode) => {
    ui.composerMode.value = next;
    area.current?.focus();
  };
  const edit = (value: string) => {
    text.value = value;
    drafts.set(store.number, mode, value);
    store.setTyping(value.length > 0);
    if (value === "/") picker.value = true;
  };
  const send = async () => {
    const body = text.value.trim();
    if (!body || sending.value) return;
    sending.value = true;
    try {
      await store.send(body, mode === "note");
      text.value = "";
      drafts.set(store.number, mode, "");
      store.setTyping(false);
    } catch (failure) {
      store.error.value = failure instanceof Error ? failure.message : String(failure);
    } finally {
      sending.value = false;
    }
  };
  const note = mode === "note";
  return (
    <form
      class={`composer ${mode}`}
      aria-label={note ? t("noteLabel") : t("composerLabel")}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <div class="composer-tabs">
        <div role="tablist" aria-label={t("composerLabel")} class="row">
          <button type="button" role="tab" aria-selected={!note} class="tab reply-tab" onClick={() => setMode("reply")}>
            {t("reply")}
          </button>
          <button type="button" role="tab" aria-selected={note} class="tab note-tab" onClick={() => setMode("note")}>
            {t("note")}
          </button>
        </div>
        <button type="button" class="ghost" aria-pressed={preview.value} onClick={() => (preview.value = !preview.value)}>
          {preview.value ? t("edit") : t("preview")}
        </button>
        <button type="button" class="ghost" aria-expanded={picker.value} onClick={() => (picker.value = !picker.value)}>
          {t("canned")} <kbd>/</kbd>
        </button>
      </div>
      <p class={`mode-banner ${mode}`} id="composer-mode">
        {note ? t("noteBanner") : t("replyBanner")}
      </p>
      {picker.value && (
        <CannedPicker
          number={store.number}
          onPick={(body) => {
            picker.value = false;
            const current = text.value === "/" ? "" : text.value;
            edit(current ? `${current}\n${body}` : body);
            area.current?.focus();
          }}
          onClose={() => {
            picker.value = false;
            area.current?.focus();
          }}
        />
      )}
      {preview.value ? (
        <div class="preview" aria-label={t("preview")}>
          <Markdown source={text.value} />
        </div>
      ) : (
        <textarea
          ref={area}
          rows={4}
          aria-label={note ? t("noteLabel") : t("composerLabel")}
          aria-describedby="composer-mode"
          value={text.value}
          onInput={(event) => edit((event.currentTarget as HTMLTextAreaElement).value)}
          onBlur={() => store.setTyping(false)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void send();
            }
          }}
        />
      )}
      <div class="composer-actions">
        <button type="submit" class={note ? "note-send" : "primary"} disabled={sending.value || !text.value.trim()}>
          {note ? t("addNote") : t("send")}
        </button>
      </div>
    </form>
  );
}

/** The canned responses, filtered as the agent types; picking one fills its placeholders for this ticket. */
function CannedPicker({ number, onPick, onClose }: { number: string; onPick(body: string): void; onClose(): void }) {
  const t = useT();
  const { client } = useWorkspace();
  const responses = useSignal<CannedResponse[] | null>(null);
  const filter = useSignal("");
  const active = useSignal(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void client.cannedResponses.list({ limit: 100 }).then((page) => (responses.value = page.items));
    input.current?.focus();
  }, []);
  const needle = filter.value.trim().toLowerCase().replace(/^\//, "");
  const shown = (responses.value ?? []).filter((response) => !needle || response.shortcut.slice(1).startsWith(needle) || response.title.toLowerCase().includes(needle));
  const current = Math.min(active.value, Math.max(0, shown.length - 1));
  const pick = async (response: CannedResponse | undefined) => {
    if (!response) return;
    const rendering = await client.tickets.useCanned(number, response.id);
    onPick(rendering.body);
  };
  return (
    <div class="canned" role="dialog" aria-label={t("canned")}>
      <input
        ref={input}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="canned-list"
        aria-activedescendant={shown[current] ? `canned-${shown[current]!.id}` : undefined}
        aria-label={t("cannedFilter")}
        value={filter.value}
        onInput={(event) => {
          filter.value = (event.currentTarget as HTMLInputElement).value;
          active.value = 0;
        }}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") active.value = (current + 1) % Math.max(1, shown.length);
          else if (event.key === "ArrowUp") active.value = (current - 1 + shown.length) % Math.max(1, shown.length);
          else if (event.key === "Enter") void pick(shown[current]);
          else if (event.key === "Escape") onClose();
          else return;
          event.preventDefault();
          event.stopPropagation();
        }}
      />
      {responses.value === null ? (
        <p role="status">{t("loading")}</p>
      ) : shown.length === 0 ? (
        <p>{t("noCanned")}</p>
      ) : (
        <ul id="canned-list" role="listbox" aria-label={t("canned")}>
          {shown.map((response, index) => (
            <li key={response.id} id={`canned-${response.id}`} role="option" aria-selected={index === current} class={index === current ? "active" : ""} onClick={() => void pick(response)}>
              <kbd>{response.shortcut}</kbd> {response.title}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
