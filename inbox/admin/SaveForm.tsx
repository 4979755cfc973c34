import { useSignal, type Signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useT } from "../context.js";
import { messageOf } from "./use-list.js";

export type SaveStatus = Signal<{ ok: boolean; text: string } | null>;

/** A status the form's fields clear when they change (so "Saved" never describes an edited form). */
export const useSaveStatus = (): SaveStatus => useSignal<{ ok: boolean; text: string } | null>(null);

/**
 * A settings card: its fields, a Save button, and what saving answered ("Saved", or the
 * server's refusal as an alert). `onSave` gets the form's FormData.
 */
export function SaveForm({ title, titleId, status, onSave, children, extra, kind }: { title: ComponentChildren; titleId: string; kind?: string; status: SaveStatus; onSave(form: FormData): Promise<unknown>; children: ComponentChildren; extra?: ComponentChildren }) {
  const t = useT();
  return (
    <form
      class={kind ? `card ${kind}` : "card"}
      aria-labelledby={titleId}
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await onSave(new FormData(event.currentTarget as HTMLFormElement));
          status.value = { ok: true, text: t("saved") };
        } catch (failure) {
          status.value = { ok: false, text: messageOf(failure) };
        }
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      <button type="submit" class="primary">
        {t("save")}
      </button>
      <StatusLine status={status} />
      {extra}
    </form>
  );
}

export function StatusLine({ status }: { status: SaveStatus }) {
  const value = status.value;
  if (!value) return null;
  return (
    <p class={value.ok ? "notice" : "notice error"} role={value.ok ? "status" : "alert"}>
      {value.text}
    </p>
  );
}
