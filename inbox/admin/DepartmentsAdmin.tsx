import { useSignal } from "@preact/signals";
import type { Department } from "../../protocol/index.js";
import { useT, useWorkspace } from "../context.js";
import { RecordForm } from "./RecordForm.js";
import { RowActions } from "./RowActions.js";
import { Section } from "./Section.js";
import { Table } from "./Table.js";
import { field, useList } from "./use-list.js";

/** Departments: the teams tickets are routed to; each can be renamed, described or removed. */
export function DepartmentsAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<Department>(() => client.admin.departments.list({ limit: 100 }));
  const editing = useSignal<Department | null>(null);
  const current = editing.value;
  const body = (form: FormData) => ({ name: field(form, "name"), description: field(form, "description") || null });
  return (
    <Section title={t("departments")} error={error.value}>
      <Table
        rows={rows.value}
        rowKey={(row) => row.id}
        columns={[
          [t("name"), (row) => <bdi>{row.name}</bdi>],
          [t("description"), (row) => <bdi>{row.description ?? ""}</bdi>],
          [t("actions"), (row) => <RowActions name={row.name} onEdit={() => (editing.value = row)} onDelete={() => client.admin.departments.remove(row.id).then(reload)} />],
        ]}
      />
      <RecordForm
        editing={current?.name}
        onCreate={(form) => client.admin.departments.create(body(form)).then(reload)}
        onUpdate={(form) => client.admin.departments.update(current!.id, body(form)).then(() => ((editing.value = null), reload()))}
        onCancel={() => (editing.value = null)}
      >
        <label>
          {t("name")}
          <input name="name" required minLength={2} maxLength={80} defaultValue={current?.name} />
        </label>
        <label>
          {t("description")}
          <input name="description" maxLength={500} defaultValue={current?.description ?? ""} />
        </label>
      </RecordForm>
    </Section>
  );
}
