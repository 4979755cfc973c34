import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";

/** A failure as the words to show. */
export const messageOf = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/** Loads a list once (and again after `reload()`); answers the rows, the error and the reload. */
export function useList<Row>(load: () => Promise<{ items: Row[] }>, deps: unknown[] = []) {
  const rows = useSignal<Row[] | null>(null);
  const error = useSignal<string | null>(null);
  const reload = () =>
    load().then(
      (page) => {
        rows.value = page.items;
        error.value = null;
      },
      (failure: unknown) => (error.value = messageOf(failure)),
    );
  useEffect(() => void reload(), deps);
  return { rows, error, reload };
}

export const field = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
