import { useSignal } from "@preact/signals";
import type { Category } from "../../protocol/index.js";
import { useT, useWorkspace } from "../context.js";
import { RecordForm } from "./RecordForm.js";
import { RowActions } from "./RowActions.js";
import { Section } from "./Section.js";
import { Table } from "./Table.js";
import { field, useList } from "./use-list.js";

/** Ticket categories: the slug is fixed once created (tickets and policies name it); the name can change. */
export function CategoriesAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<Category>(() => client.admin.categories.list({ limit: 100 }));
  const editing = useSignal<Category | null>(null);
  const current = editing.value;
  return (
    <Section title={t("categories")} error={error.value}>
      <Table
        rows={rows.value}
        rowKey={(row) => row.id}
        columns={[
          [t("slug"), (row) => row.slug],
          [t("name"), (row) => <bdi>{row.name}</bdi>],
          [t("actions"), (row) => <RowActions name={row.slug} onEdit={() => (editing.value = row)} onDelete={() => client.admin.categories.remove(row.id).then(reload)} />],
        ]}
      />
      <RecordForm
        editing={current?.slug}
        onCreate={(form) => client.admin.categories.create({ slug: field(form, "slug"), name: field(form, "name") }).then(reload)}
        onUpdate={(form) => client.admin.categories.update(current!.id, { name: field(form, "name") }).then(() => ((editing.value = null), reload()))}
        onCancel={() => (editing.value = null)}
      >
        {!current && (
          <label>
            {t("slug")}
            <input name="slug" required pattern="[a-z0-9][a-z0-9-]*" />
          </label>
        )}
        <label>
          {t("name")}
          <input name="name" required defaultValue={current?.name} />
        </label>
      </RecordForm>
    </Section>
  );
}
