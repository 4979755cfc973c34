import { signal } from "@preact/signals";

export type ComposerMode = "reply" | "note";
const KEY = "parley:inbox:drafts";

/**
 * What the agent was typing, per ticket and mode, kept in localStorage so a sign-in that
 * expires (or a reload) loses nothing. Cleared by an explicit sign-out and once sent.
 */
export function createDraftStore(storage: Storage = localStorage) {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(storage.getItem(KEY) ?? "{}") as Record<string, string>;
    } catch {
      return {};
    }
  };
  const drafts = signal<Record<string, string>>(read());
  const id = (number: string, mode: ComposerMode) => `${number}:${mode}`;
  const save = (next: Record<string, string>) => {
    drafts.value = next;
    storage.setItem(KEY, JSON.stringify(next));
  };
  return {
    drafts,
    get: (number: string, mode: ComposerMode) => drafts.value[id(number, mode)] ?? "",
    set(number: string, mode: ComposerMode, text: string) {
      const next = { ...drafts.value };
      if (text) next[id(number, mode)] = text;
      else delete next[id(number, mode)];
      save(next);
    },
    clearAll() {
      save({});
    },
  };
}

export type DraftStore = ReturnType<typeof createDraftStore>;
