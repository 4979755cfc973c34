import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useT } from "../context.js";
import { messageOf } from "./use-list.js";

/**
 * The form under an admin table: it creates a record, or, while `editing` names one, changes
 * it (the fields then start from that record: give them `defaultValue`s from it). Fields are
 * read by name as FormData; the form resets after a create and reports failures in place.
 */
export function RecordForm({ editing, onCreate, onUpdate, onCancel, children }: { editing?: string | null; onCreate?(form: FormData): Promise<unknown>; onUpdate?(form: FormData): Promise<unknown>; onCancel?(): void; children: ComponentChildren }) {
  const t = useT();
  const error = useSignal<string | null>(null);
  const updating = Boolean(editing && onUpdate);
  return (
    <form
      // A new key per record: the uncontrolled fields take that record's values afresh.
      key={editing ?? "new"}
      class="create card"
      aria-label={updating ? t("editing", { name: editing! }) : t("create")}
      onSubmit={async (event) => {
        event.preventDefault();
        const element = event.currentTarget as HTMLFormElement;
        try {
          if (updating) await onUpdate!(new FormData(element));
          else {
            await onCreate?.(new FormData(element));
            element.reset();
          }
          error.value = null;
        } catch (failure) {
          error.value = messageOf(failure);
        }
      }}
    >
      {updating && <p class="form-title">{t("editing", { name: editing! })}</p>}
      {children}
      <div class="form-actions">
        <button type="submit" class="primary">
          {updating ? t("save") : t("create")}
        </button>
        {updating && (
          <button type="button" onClick={onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
      {error.value && <p class="notice error" role="alert">{error.value}</p>}
    </form>
  );
}

/** The form that only creates (the tables whose records are not edited here). */
export function CreateForm({ onCreate, children }: { onCreate(form: FormData): Promise<unknown>; children: ComponentChildren }) {
  return <RecordForm onCreate={onCreate}>{children}</RecordForm>;
}
