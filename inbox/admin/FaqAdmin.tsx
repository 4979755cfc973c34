import { useSignal } from "@preact/signals";
import type { Faq, Site } from "../../protocol/index.js";
import { useApp, useT, useWorkspace } from "../context.js";
import { Markdown } from "../components/Markdown.js";
import { Section, Table, useList } from "./AdminScreen.js";

/** The editor's own field names (the shared dictionary has no words for them yet). */
const FIELD_NAMES = {
  en: { position: "Position in category", related: "Related articles", relatedHint: "article addresses on this site, comma-separated" },
  fr: { position: "Position dans la catégorie", related: "Articles liés", relatedHint: "adresses d’articles de ce site, séparées par des virgules" },
  ar: { position: "الترتيب في الفئة", related: "مقالات ذات صلة", relatedHint: "معرّفات من الموقع نفسه، مفصولة بفواصل" },
} as const;

/** A comma-separated field as its non-empty entries. */
const listOf = (text: string) =>
  text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);

/** Knowledge base articles: the list, and an editor with a live preview through the shared renderer. */
export function FaqAdmin() {
  const t = useT();
  const names = FIELD_NAMES[useApp().prefs.locale.value as keyof typeof FIELD_NAMES] ?? FIELD_NAMES.en;
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<Faq>(() => client.admin.faqs.list({ limit: 100 }));
  const sites = useList<Site>(() => client.admin.sites.list({ limit: 100 }));
  const editing = useSignal<Faq | null>(null);
  const title = useSignal("");
  const slug = useSignal("");
  const body = useSignal("");
  const published = useSignal(true);
  const tags = useSignal("");
  const position = useSignal(0);
  const related = useSignal("");
  const saveError = useSignal<string | null>(null);
  const saved = useSignal(false);
  const edit = (faq: Faq | null) => {
    editing.value = faq;
    title.value = faq?.title ?? "";
    slug.value = faq?.slug ?? "";
    body.value = faq?.body ?? "";
    published.value = faq?.published ?? true;
    tags.value = faq?.tags.join(", ") ?? "";
    position.value = faq?.position ?? 0;
    related.value = faq?.related.map((article) => article.slug).join(", ") ?? "";
    saved.value = false;
  };
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      const fields = {
        title: title.value,
        slug: slug.value,
        body: body.value,
        status: published.value ? ("published" as const) : ("draft" as const),
        tags: listOf(tags.value),
        position: position.value,
        related: listOf(related.value),
      };
      const current = editing.value;
      const siteId = String(new FormData(event.currentTarget as HTMLFormElement).get("siteId") ?? "");
      edit(current ? await client.admin.faqs.update(current.id, fields) : await client.admin.faqs.create({ siteId, ...fields }));
      saved.value = true;
      saveError.value = null;
      await reload();
    } catch (failure) {
      saveError.value = failure instanceof Error ? failure.message : String(failure);
    }
  };
  return (
    <Section title={t("faqs")} error={error.value}>
      <Table
        rows={rows.value}
        rowKey={(faq) => faq.id}
        columns={[
          [
            t("title"),
            (faq) => (
              <button type="button" class="link" onClick={() => edit(faq)}>
                {faq.title}
              </button>
            ),
          ],
          [t("slug"), (faq) => faq.slug],
          [t("status"), (faq) => (faq.published ? t("published") : t("draft"))],
          [t("tags"), (faq) => faq.tags.join(", ")],
          [names.position, (faq) => faq.position],
        ]}
      />
      <form class="card faq-editor" onSubmit={save} aria-label={editing.value ? `${t("edit")}: ${editing.value.title}` : t("create")}>
        <h2>{editing.value ? `${t("edit")}: ${editing.value.title}` : t("create")}</h2>
        {!editing.value && (
          <label>
            {t("site")}
            <select name="siteId">
              {(sites.rows.value ?? []).map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("title")}
          <input value={title.value} onInput={(event) => (title.value = (event.currentTarget as HTMLInputElement).value)} required minLength={3} />
        </label>
        <label>
          {t("slug")}
          <input value={slug.value} onInput={(event) => (slug.value = (event.currentTarget as HTMLInputElement).value)} required pattern="[a-z0-9][a-z0-9-]*" />
        </label>
        <div class="editor-split">
          <label>
            {t("body")}
            <textarea rows={12} value={body.value} onInput={(event) => (body.value = (event.currentTarget as HTMLTextAreaElement).value)} required />
          </label>
          <div class="preview" aria-label={t("preview")} role="region">
            <Markdown source={body.value} headings={3} />
          </div>
        </div>
        {/* Laid out here: the shared stylesheet has no rule for this row. */}
        <div class="faq-fields" style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(180px, 1fr))", gap: "12px", alignItems: "end" }}>
          <label>
            {t("tags")} <small>({t("tagsHint")})</small>
            <input value={tags.value} onInput={(event) => (tags.value = (event.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            {names.position}
            <input type="number" class="narrow" min={0} max={100000} value={position.value} onInput={(event) => (position.value = Number((event.currentTarget as HTMLInputElement).value) || 0)} />
          </label>
          <label>
            {names.related} <small>({names.relatedHint})</small>
            <input value={related.value} onInput={(event) => (related.value = (event.currentTarget as HTMLInputElement).value)} />
          </label>
        </div>
        <label class="check">
          <input type="checkbox" checked={published.value} onChange={(event) => (published.value = (event.currentTarget as HTMLInputElement).checked)} /> {t("published")}
        </label>
        <div class="row">
          <button type="submit" class="primary">
            {t("save")}
          </button>
          {editing.value && (
            <button type="button" onClick={() => edit(null)}>
              {t("create")}
            </button>
          )}
        </div>
        {saved.value && <p role="status">{t("saved")}</p>}
        {saveError.value && <p class="notice error" role="alert">{saveError.value}</p>}
      </form>
    </Section>
  );
}
