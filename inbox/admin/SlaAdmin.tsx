import { useSignal } from "@preact/signals";
import type { Site, SlaPolicy, TicketPriority } from "../../protocol/index.js";
import { useT, useWorkspace } from "../context.js";
import { PRIORITIES } from "../screens/Queue.js";
import { BusinessHoursEditor } from "./BusinessHoursEditor.js";
import { RecordForm } from "./RecordForm.js";
import { RowActions } from "./RowActions.js";
import { Section } from "./Section.js";
import { Table } from "./Table.js";
import { field, useList } from "./use-list.js";
import { TranslatedOptions } from "../components/TranslatedOptions.js";

/**
 * SLA policies (targets per priority; the scope is fixed, the targets change) and, below them,
 * each site's business calendar that the policies measured in business hours run on.
 */
export function SlaAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<SlaPolicy>(() => client.admin.slaPolicies.list({ limit: 100 }));
  const sites = useList<Site>(() => client.admin.sites.list({ limit: 100 }));
  const editing = useSignal<SlaPolicy | null>(null);
  const current = editing.value;
  const nameOf = (row: SlaPolicy) => [row.priority ? t(row.priority) : null, row.category].filter(Boolean).join(" · ");
  const targets = (form: FormData) => ({ firstResponseMinutes: Number(field(form, "first")), resolutionMinutes: Number(field(form, "resolution")), businessHours: form.get("businessHours") === "on" });
  return (
    <Section title={t("slaPolicies")} error={error.value}>
      <Table
        rows={rows.value}
        rowKey={(row) => row.id}
        columns={[
          [t("priority"), (row) => (row.priority ? t(row.priority) : "—")],
          [t("category"), (row) => row.category ?? "—"],
          [t("firstResponseDue"), (row) => `${row.firstResponseMinutes} ${t("minutesShort")}`],
          [t("resolutionDue"), (row) => `${row.resolutionMinutes} ${t("minutesShort")}`],
          [t("businessHours"), (row) => (row.businessHours ? "✓" : "—")],
          [t("actions"), (row) => <RowActions name={nameOf(row)} onEdit={() => (editing.value = row)} onDelete={() => client.admin.slaPolicies.remove(row.id).then(reload)} />],
        ]}
      />
      <RecordForm
        editing={current ? nameOf(current) : null}
        onCreate={(form) => client.admin.slaPolicies.create({ priority: field(form, "priority") as TicketPriority, ...targets(form) }).then(reload)}
        onUpdate={(form) => client.admin.slaPolicies.update(current!.id, targets(form)).then(() => ((editing.value = null), reload()))}
        onCancel={() => (editing.value = null)}
      >
        {!current && (
          <label>
            {t("priority")}
            <select name="priority">
              <TranslatedOptions values={PRIORITIES} />
            </select>
          </label>
        )}
        <label>
          {t("firstResponseDue")} ({t("minutesShort")})
          <input name="first" type="number" min={1} required defaultValue={current ? String(current.firstResponseMinutes) : undefined} />
        </label>
        <label>
          {t("resolutionDue")} ({t("minutesShort")})
          <input name="resolution" type="number" min={1} required defaultValue={current ? String(current.resolutionMinutes) : undefined} />
        </label>
        <label class="check">
          <input name="businessHours" type="checkbox" defaultChecked={current?.businessHours ?? true} /> {t("businessHours")}
        </label>
      </RecordForm>
      {(sites.rows.value ?? []).map((site) => (
        <BusinessHoursEditor key={site.id} site={site} onSaved={() => void sites.reload()} />
      ))}
    </Section>
  );
}
