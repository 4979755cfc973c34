import { useSignal } from "@preact/signals";
import type { Agent, AgentDirectoryEntry, Site, UpdateAgentBody } from "../../protocol/index.js";
import { useT, useWorkspace } from "../context.js";
import { Section } from "./Section.js";
import { Table } from "./Table.js";
import { messageOf, useList } from "./use-list.js";
import { TranslatedOptions } from "../components/TranslatedOptions.js";

/** The team: status, workload against capacity, tier, skills and the sites each agent works on. */
export function AgentsAdmin() {
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
      (problem: unknown) => (failure.value = messageOf(problem)),
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
                <TranslatedOptions values={["available", "busy", "away"]} />
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

