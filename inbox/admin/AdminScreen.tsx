import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import type { Agent, AgentDirectoryEntry, CannedResponse, Category, Department, Site, SlaPolicy, TicketPriority, UpdateAgentBody } from "../../protocol/index.js";
import { useApp, useT, useWorkspace } from "../context.js";
import { FaqAdmin } from "./FaqAdmin.js";
import { ADMIN_SECTIONS } from "./sections.js";
import { WebhookAdmin } from "./WebhookAdmin.js";

/** Admin screens (loaded on demand): a menu of sections, each a table and a form to add one. */
export function AdminScreen({ section }: { section: string }) {
  const t = useT();
  const { router } = useApp();
  return (
    <div class="admin">
      <nav class="admin-nav" aria-label={t("admin")}>
        <ul>
          {ADMIN_SECTIONS.map((entry) => (
            <li key={entry.id}>
              <a
                href={`/inbox/admin/${entry.id}`}
                aria-current={entry.id === section ? "page" : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  router.go({ screen: "admin", section: entry.id });
                }}
              >
                {t(entry.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="admin-body">{sectionView(section)}</div>
    </div>
  );
}

function sectionView(section: string) {
  switch (section) {
    case "agents":
      return <AgentsAdmin />;
    case "departments":
      return <DepartmentsAdmin />;
    case "categories":
      return <CategoriesAdmin />;
    case "sla-policies":
      return <SlaAdmin />;
    case "faqs":
      return <FaqAdmin />;
    case "canned":
      return <CannedAdmin />;
    case "webhooks":
      return <WebhookAdmin />;
    case "sites":
      return <SitesAdmin />;
    default:
      return <AgentsAdmin />;
  }
}

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
      (failure: unknown) => (error.value = failure instanceof Error ? failure.message : String(failure)),
    );
  useEffect(() => void reload(), deps);
  return { rows, error, reload };
}

export function Section({ title, error, children }: { title: string; error?: string | null; children: ComponentChildren }) {
  const t = useT();
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">{title}</h1>
      {error && <p class="notice error" role="alert">{t("error", { message: error })}</p>}
      {children}
    </section>
  );
}

export function Table<Row>({ rows, columns, rowKey, label }: { rows: Row[] | null; columns: Array<[string, (row: Row) => ComponentChildren]>; rowKey(row: Row): string; label?: string }) {
  const t = useT();
  if (!rows) return <p role="status">{t("loading")}</p>;
  return (
    // Focusable, so a table wider than a phone can be scrolled from the keyboard.
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label ?? columns.map(([name]) => name).join(", ")}>
      <table class="data">
        <thead>
          <tr>
            {columns.map(([label]) => (
              <th scope="col" key={label}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map(([label, cell]) => (
                <td key={label}>{cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A create form: fields by name, submitted as FormData; resets and reloads on success. */
export function CreateForm({ onCreate, children }: { onCreate(form: FormData): Promise<unknown>; children: ComponentChildren }) {
  const t = useT();
  const error = useSignal<string | null>(null);
  return (
    <form
      class="create card"
      onSubmit={async (event) => {
        event.preventDefault();
        const element = event.currentTarget as HTMLFormElement;
        try {
          await onCreate(new FormData(element));
          element.reset();
          error.value = null;
        } catch (failure) {
          error.value = failure instanceof Error ? failure.message : String(failure);
        }
      }}
    >
      {children}
      <button type="submit" class="primary">
        {t("create")}
      </button>
      {error.value && <p class="notice error" role="alert">{error.value}</p>}
    </form>
  );
}

export const field = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

function AgentsAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<Agent>(() => client.admin.agents.list({ limit: 100 }));
  const load = useList<AgentDirectoryEntry>(() => client.colleagues());
  const sites = useList<Site>(() => client.admin.sites.list({ limit: 100 }));
  const failure = useSignal<string | null>(null);
  const open = new Map((load.rows.value ?? []).map((entry) => [entry.id, entry.openTickets]));
  const siteNames = new Map((sites.rows.value ?? []).map((site) => [site.id, site.name]));
  const change = (agent: Agent, body: UpdateAgentBody) =>
    client.admin.agents.update(agent.id, body).then(
      () => reload(),
      (problem: unknown) => (failure.value = problem instanceof Error ? problem.message : String(problem)),
    );
  const number = (agent: Agent, field: "tier" | "capacity", value: number, max: number) => (
    // Uncontrolled: a list reload while typing must not put the old value back.
    <input
      key={`${agent.id}-${field}-${value}`}
      type="number"
      min={1}
      max={max}
      defaultValue={String(value)}
      aria-label={`${t(field)}: ${agent.name}`}
      class="narrow"
      onChange={(event) => void change(agent, { [field]: Number((event.currentTarget as HTMLInputElement).value) })}
    />
  );
  return (
    <Section title={t("agents")} error={error.value ?? failure.value}>
      <Table
        rows={rows.value}
        rowKey={(agent) => agent.id}
        columns={[
          [t("name"), (agent) => <bdi>{agent.name}</bdi>],
          [t("email"), (agent) => agent.email],
          [t("role"), (agent) => agent.role],
          [
            t("filterStatus"),
            (agent) => (
              <select aria-label={`${t("filterStatus")}: ${agent.name}`} value={agent.status} onChange={(event) => void change(agent, { status: (event.currentTarget as HTMLSelectElement).value as Agent["status"] })}>
                {(["available", "busy", "away"] as const).map((status) => (
                  <option key={status} value={status}>
                    {t(status)}
                  </option>
                ))}
              </select>
            ),
          ],
          [t("workload"), (agent) => `${open.get(agent.id) ?? 0} / ${agent.capacity}`],
          [t("capacity"), (agent) => number(agent, "capacity", agent.capacity, 100)],
          [t("tier"), (agent) => number(agent, "tier", agent.tier, 3)],
          [t("skills"), (agent) => agent.skills.length],
          [t("sites"), (agent) => (agent.role === "admin" ? "*" : agent.siteIds.map((id) => siteNames.get(id) ?? id).join(", "))],
        ]}
      />
    </Section>
  );
}

function DepartmentsAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<Department>(() => client.admin.departments.list({ limit: 100 }));
  return (
    <Section title={t("departments")} error={error.value}>
      <Table rows={rows.value} rowKey={(row) => row.id} columns={[[t("name"), (row) => row.name], [t("body"), (row) => row.description ?? ""]]} />
      <CreateForm onCreate={(form) => client.admin.departments.create({ name: field(form, "name") }).then(reload)}>
        <label>
          {t("name")}
          <input name="name" required />
        </label>
      </CreateForm>
    </Section>
  );
}

function CategoriesAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<Category>(() => client.admin.categories.list({ limit: 100 }));
  return (
    <Section title={t("categories")} error={error.value}>
      <Table rows={rows.value} rowKey={(row) => row.id} columns={[[t("slug"), (row) => row.slug], [t("name"), (row) => row.name]]} />
      <CreateForm onCreate={(form) => client.admin.categories.create({ slug: field(form, "slug"), name: field(form, "name") }).then(reload)}>
        <label>
          {t("slug")}
          <input name="slug" required pattern="[a-z0-9][a-z0-9-]*" />
        </label>
        <label>
          {t("name")}
          <input name="name" required />
        </label>
      </CreateForm>
    </Section>
  );
}

const PRIORITIES: TicketPriority[] = ["low", "normal", "high", "urgent"];

function SlaAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<SlaPolicy>(() => client.admin.slaPolicies.list({ limit: 100 }));
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
        ]}
      />
      <CreateForm
        onCreate={(form) =>
          client.admin.slaPolicies
            .create({ priority: field(form, "priority") as TicketPriority, firstResponseMinutes: Number(field(form, "first")), resolutionMinutes: Number(field(form, "resolution")), businessHours: form.get("businessHours") === "on" })
            .then(reload)
        }
      >
        <label>
          {t("priority")}
          <select name="priority">
            {PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {t(priority)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("firstResponseDue")} ({t("minutesShort")})
          <input name="first" type="number" min={1} required />
        </label>
        <label>
          {t("resolutionDue")} ({t("minutesShort")})
          <input name="resolution" type="number" min={1} required />
        </label>
        <label class="check">
          <input name="businessHours" type="checkbox" /> {t("businessHours")}
        </label>
      </CreateForm>
    </Section>
  );
}

function CannedAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<CannedResponse>(() => client.cannedResponses.list({ limit: 100 }));
  const sites = useList<Site>(() => client.admin.sites.list({ limit: 100 }));
  return (
    <Section title={t("cannedResponses")} error={error.value}>
      <Table
        rows={rows.value}
        rowKey={(row) => row.id}
        columns={[
          [t("shortcut"), (row) => <kbd>{row.shortcut}</kbd>],
          [t("title"), (row) => row.title],
          [t("scope"), (row) => row.scope],
          [t("body"), (row) => <span class="clip">{row.body}</span>],
        ]}
      />
      <CreateForm
        onCreate={(form) => {
          const base = { shortcut: field(form, "shortcut"), title: field(form, "title"), body: field(form, "body") };
          const siteId = field(form, "siteId");
          return client.cannedResponses.create(siteId ? { scope: "site", siteId, ...base } : { scope: "personal", ...base }).then(reload);
        }}
      >
        <label>
          {t("shortcut")}
          <input name="shortcut" required pattern="/[a-z0-9][a-z0-9_-]*" placeholder="/refund" />
        </label>
        <label>
          {t("title")}
          <input name="title" required />
        </label>
        <label>
          {t("scope")}
          <select name="siteId">
            <option value="">personal</option>
            {(sites.rows.value ?? []).map((site) => (
              <option key={site.id} value={site.id}>
                {site.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("body")} <small>{"{{customer.name}} {{agent.name}} {{ticket.number}}"}</small>
          <textarea name="body" rows={3} required />
        </label>
      </CreateForm>
    </Section>
  );
}

function SitesAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<Site>(() => client.admin.sites.list({ limit: 100 }));
  const copied = useSignal<string | null>(null);
  const secret = useSignal<{ site: string; secret: string } | null>(null);
  const snippet = (site: Site) => `<script src="${location.origin}/parley.js" data-site="${site.key}" async></script>`;
  return (
    <Section title={t("sites")} error={error.value}>
      {(rows.value ?? []).map((site) => (
        <article class="card site" key={site.id}>
          <h2>{site.name}</h2>
          <dl>
            <dt>{t("key")}</dt>
            <dd>
              <code>{site.key}</code>
            </dd>
            <dt>{t("origins")}</dt>
            <dd>{site.allowedOrigins.join(", ") || "—"}</dd>
          </dl>
          <label>
            {t("snippet")}
            <textarea readOnly rows={2} value={snippet(site)} />
          </label>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(snippet(site));
              copied.value = site.id;
            }}
          >
            {copied.value === site.id ? t("copied") : t("copy")}
          </button>
          <button type="button" onClick={async () => (secret.value = { site: site.id, secret: (await client.admin.sites.rotateSecret(site.id)).identitySecret })}>
            {t("rotateSecret")}
          </button>
          {secret.value?.site === site.id && (
            <p class="notice" role="status">
              {t("secretOnce", { secret: secret.value.secret })}
            </p>
          )}
          <p class="brand-preview" data-color={site.branding.primaryColor}>
            <span class="swatch" style={{ background: site.branding.primaryColor }} aria-hidden="true" /> {site.branding.name}: {site.branding.greeting}
          </p>
        </article>
      ))}
      <CreateForm onCreate={(form) => client.admin.sites.create({ name: field(form, "name"), allowedOrigins: field(form, "origins").split(/[\s,]+/).filter(Boolean) }).then(reload)}>
        <label>
          {t("name")}
          <input name="name" required />
        </label>
        <label>
          {t("origins")}
          <input name="origins" placeholder="https://shop.example" />
        </label>
      </CreateForm>
    </Section>
  );
}
