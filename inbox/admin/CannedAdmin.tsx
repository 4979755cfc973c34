import { useSignal } from "@preact/signals";
import type { CannedResponse, Site } from "../../protocol/index.js";
import { useT, useWorkspace } from "../context.js";
import { RecordForm } from "./RecordForm.js";
import { RowActions } from "./RowActions.js";
import { Section } from "./Section.js";
import { SiteOptions } from "./SiteOptions.js";
import { Table } from "./Table.js";
import { field, useList } from "./use-list.js";

/** Canned responses with their placeholders; the scope is chosen at creation, the words can change later. */
export function CannedAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<CannedResponse>(() => client.cannedResponses.list({ limit: 100 }));
  const sites = useList<Site>(() => client.admin.sites.list({ limit: 100 }));
  const editing = useSignal<CannedResponse | null>(null);
  const current = editing.value;
  const words = (form: FormData) => ({ shortcut: field(form, "shortcut"), title: field(form, "title"), body: field(form, "body") });
  return (
    <Section title={t("cannedResponses")} error={error.value}>
      <Table
        rows={rows.value}
        rowKey={(row) => row.id}
        columns={[
          [t("shortcut"), (row) => <kbd>{row.shortcut}</kbd>],
          [t("title"), (row) => <bdi>{row.title}</bdi>],
          [t("scope"), (row) => row.scope],
          [t("body"), (row) => <span class="clip">{row.body}</span>],
          [t("actions"), (row) => <RowActions name={row.shortcut} onEdit={() => (editing.value = row)} onDelete={() => client.cannedResponses.remove(row.id).then(reload)} />],
        ]}
      />
      <RecordForm
        editing={current?.shortcut}
        onCreate={(form) => {
          const siteId = field(form, "siteId");
          return client.cannedResponses.create(siteId ? { scope: "site", siteId, ...words(form) } : { scope: "personal", ...words(form) }).then(reload);
        }}
        onUpdate={(form) => client.cannedResponses.update(current!.id, words(form)).then(() => ((editing.value = null), reload()))}
        onCancel={() => (editing.value = null)}
      >
        <label>
          {t("shortcut")}
          <input name="shortcut" required pattern="/[a-z0-9][a-z0-9_-]*" placeholder="/refund" defaultValue={current?.shortcut} />
        </label>
        <label>
          {t("title")}
          <input name="title" required defaultValue={current?.title} />
        </label>
        {!current && (
          <label>
            {t("scope")}
            <select name="siteId">
              <option value="">personal</option>
              <SiteOptions sites={sites.rows.value} />
            </select>
          </label>
        )}
        <label>
          {t("body")} <small>{"{{customer.name}} {{agent.name}} {{ticket.number}}"}</small>
          <textarea name="body" rows={3} required defaultValue={current?.body} />
        </label>
      </RecordForm>
    </Section>
  );
}
