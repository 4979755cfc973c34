import { signal } from "@preact/signals";

/** What this server tells the inbox before anyone signs in (GET /inbox/settings.json). */
export interface ServerSettings {
  /** The only origin whose image attachments are shown inline; null: every attachment is a link. */
  attachmentOrigin: string | null;
}

export function createSettingsStore(fetcher: typeof fetch = fetch) {
  const settings = signal<ServerSettings>({ attachmentOrigin: null });
  return {
    settings,
    /** Reads the settings once; until they arrive (or when they cannot be read) attachments stay links. */
    async load(): Promise<void> {
      const response = await fetcher("/inbox/settings.json", { headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(`inbox settings: ${response.status}`);
      const body = (await response.json()) as Partial<ServerSettings>;
      settings.value = { attachmentOrigin: typeof body.attachmentOrigin === "string" ? body.attachmentOrigin : null };
    },
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;

/**
 * Whether an attachment is shown as an image: an image type, at an http(s) URL of the allowed
 * origin. The page's policy admits images from that origin only, so this is also what the
 * browser would load; checking first keeps refused loads (and their reports) from happening.
 */
export function inlineImage(attachment: { url: string; contentType: string }, allowedOrigin: string | null): boolean {
  if (!allowedOrigin || !/^image\/(png|jpe?g|gif|webp|avif)$/i.test(attachment.contentType)) return false;
  try {
    const url = new URL(attachment.url);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === allowedOrigin;
  } catch {
    return false;
  }
}
