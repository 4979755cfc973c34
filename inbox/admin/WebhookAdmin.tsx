import { useSignal } from "@preact/signals";
import type { Site, WebhookDelivery, WebhookEndpoint, WebhookEventType } from "../../protocol/index.js";
import { WEBHOOK_EVENT_TYPES } from "../../protocol/webhook-events.js";
import { useT, useWorkspace } from "../context.js";
import { CreateForm } from "./RecordForm.js";
import { Section } from "./Section.js";
import { SiteOptions } from "./SiteOptions.js";
import { Table } from "./Table.js";
import { field, useList } from "./use-list.js";

/** Webhook endpoints, each with its delivery log and a replay per attempt. */
export function WebhookAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<WebhookEndpoint>(() => client.admin.webhooks.list({ limit: 100 }));
  const sites = useList<Site>(() => client.admin.sites.list({ limit: 100 }));
  const secret = useSignal<string | null>(null);
  const shown = useSignal<WebhookEndpoint | null>(null);
  return (
    <Section title={t("webhooks")} error={error.value}>
      <Table
        rows={rows.value}
        rowKey={(row) => row.id}
        columns={[
          [t("url"), (row) => <code>{row.url}</code>],
          [t("events"), (row) => row.events.join(", ")],
          [t("enabled"), (row) => (row.enabled ? "✓" : "—")],
          [
            t("deliveries"),
            (row) => (
              <button type="button" onClick={() => (shown.value = row)}>
                {t("deliveries")}
              </button>
            ),
          ],
        ]}
      />
      {shown.value && <Deliveries endpoint={shown.value} key={shown.value.id} />}
      {secret.value && <p class="notice" role="status">{t("secretOnce", { secret: secret.value })}</p>}
      <CreateForm
        onCreate={async (form) => {
          const created = await client.admin.webhooks.create({ siteId: field(form, "siteId"), url: field(form, "url"), events: form.getAll("events").map(String) as WebhookEventType[] });
          secret.value = created.secret;
          await reload();
        }}
      >
        <label>
          {t("site")}
          <select name="siteId">
            <SiteOptions sites={sites.rows.value} />
          </select>
        </label>
        <label>
          {t("url")}
          <input name="url" type="url" required placeholder="https://hooks.example/parley" />
        </label>
        <fieldset>
          <legend>{t("events")}</legend>
          {WEBHOOK_EVENT_TYPES.map((event) => (
            <label class="check" key={event}>
              <input type="checkbox" name="events" value={event} defaultChecked={event.startsWith("ticket.")} /> {event}
            </label>
          ))}
        </fieldset>
      </CreateForm>
    </Section>
  );
}

function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<WebhookDelivery>(() => client.admin.webhooks.deliveries(endpoint.id, { limit: 50 }));
  const replayed = useSignal<string | null>(null);
  return (
    <section class="card deliveries" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">
        {t("deliveries")}: <code>{endpoint.url}</code>
      </h2>
      {error.value && <p class="notice error" role="alert">{error.value}</p>}
      {replayed.value && <p role="status">{replayed.value}</p>}
      <Table
        rows={rows.value}
        rowKey={(row) => String(row.id)}
        columns={[
          ["at", (row) => new Date(row.at).toLocaleString()],
          [t("events"), (row) => row.eventType],
          ["#", (row) => row.attempt],
          [t("filterStatus"), (row) => `${row.outcome}${row.statusCode ? ` (${row.statusCode})` : ""}`],
          ["ms", (row) => row.latencyMs],
          [
            t("replay"),
            (row) => (
              <button
                type="button"
                onClick={async () => {
                  const answer = await client.admin.webhooks.replay(endpoint.id, row.id);
                  replayed.value = `${answer.messageId}: ${answer.status}`;
                  await reload();
                }}
              >
                {t("replay")}
              </button>
            ),
          ],
        ]}
      />
    </section>
  );
}
