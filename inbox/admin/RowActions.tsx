import { useSignal } from "@preact/signals";
import { useT } from "../context.js";
import { messageOf } from "./use-list.js";

/**
 * Edit and delete for one table row. Delete asks once more in place (no blocking dialog) and
 * shows the server's refusal, e.g. a department that still has agents.
 */
export function RowActions({ name, onEdit, onDelete }: { name: string; onEdit?(): void; onDelete?(): Promise<unknown> }) {
  const t = useT();
  const asking = useSignal(false);
  const error = useSignal<string | null>(null);
  if (asking.value) {
    return (
      <span class="row-actions" role="group" aria-label={t("confirmDelete", { name })}>
        <span>{t("confirmDelete", { name })}</span>
        <button
          type="button"
          class="danger"
          onClick={async () => {
            try {
              await onDelete!();
              asking.value = false;
            } catch (failure) {
              error.value = messageOf(failure);
              asking.value = false;
            }
          }}
        >
          {t("delete")}
        </button>
        <button type="button" onClick={() => (asking.value = false)}>
          {t("cancel")}
        </button>
      </span>
    );
  }
  return (
    <span class="row-actions">
      {onEdit && (
        <button type="button" aria-label={`${t("edit")}: ${name}`} onClick={onEdit}>
          {t("edit")}
        </button>
      )}
      {onDelete && (
        <button type="button" aria-label={`${t("delete")}: ${name}`} onClick={() => ((error.value = null), (asking.value = true))}>
          {t("delete")}
        </button>
      )}
      {error.value && <span class="notice error" role="alert">{error.value}</span>}
    </span>
  );
}
