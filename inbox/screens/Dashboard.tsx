import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { AgentStats } from "../../protocol/index.js";
import { useApp, useT, useWorkspace } from "../context.js";

const minutes = (value: number | null) => (value === null ? "—" : value < 120 ? `${Math.round(value)} min` : `${(value / 60).toFixed(1)} h`);
const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)} %`);

/** The operations figures of the last 30 days (GET /v1/agent/stats) with a uPlot chart per day. */
export function Dashboard() {
  const t = useT();
  const { client } = useWorkspace();
  const stats = useSignal<AgentStats | null>(null);
  const error = useSignal<string | null>(null);
  useEffect(() => {
    client.stats().then(
      (answer) => (stats.value = answer),
      (failure: unknown) => (error.value = failure instanceof Error ? failure.message : String(failure)),
    );
  }, []);
  if (error.value) return <p class="notice error" role="alert">{t("error", { message: error.value })}</p>;
  const data = stats.value;
  if (!data) return <p role="status">{t("loading")}</p>;
  const created = data.perDay.reduce((sum, day) => sum + day.created, 0);
  const resolved = data.perDay.reduce((sum, day) => sum + day.resolved, 0);
  const sla = data.sla.firstResponse;
  return (
    <section class="dashboard" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">
        {t("dashboard")} <small>{t("stats")}</small>
      </h1>
      <div class="cards">
        <Card label={t("created")} value={String(created)} />
        <Card label={t("resolvedCount")} value={String(resolved)} />
        <Card label={t("firstResponse")} value={`${minutes(data.firstResponse.medianMinutes)} / ${minutes(data.firstResponse.p90Minutes)}`} />
        <Card label={t("resolutionTime")} value={`${minutes(data.resolution.medianMinutes)} / ${minutes(data.resolution.p90Minutes)}`} />
        <Card label={t("slaAttainment")} value={percent(sla.attainment)} />
        <Card label={t("csat")} value={data.csat.average === null ? "—" : `${data.csat.average.toFixed(1)} / 5 (${data.csat.count})`} />
        <Card label={t("backlog")} value={String(data.backlog.total)} />
        <Card label={`${t("backlog")}: ${t("breached")}`} value={String(data.backlog.breached)} />
        {(["open", "in_progress", "pending_customer", "escalated"] as const).map((status) => (
          <Card key={status} label={t(status)} value={String(data.byStatus[status])} />
        ))}
      </div>
      <h2>{t("perDay")}</h2>
      <PerDayChart stats={data} />
      <StatsTable title={t("agents")} rows={data.agents.map((row) => ({ ...row, key: row.agentId ?? "none", name: row.name ?? t("nobody") }))} />
      <StatsTable title={t("departments")} rows={data.departments.map((row) => ({ ...row, key: row.departmentId ?? "none", name: row.name ?? t("none") }))} />
    </section>
  );
}

function Card({ label, value }: { label: string; value: string }) {
  return (
    <div class="card stat">
      <span class="stat-label">{label}</span>
      <strong class="stat-value">{value}</strong>
    </div>
  );
}

function PerDayChart({ stats }: { stats: AgentStats }) {
  const t = useT();
  const { prefs } = useApp();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current!;
    const dark = prefs.theme.value === "dark";
    const axis = { stroke: dark ? "#cbd5e1" : "#334155", grid: { stroke: dark ? "#334155" : "#e2e8f0" }, ticks: { stroke: dark ? "#334155" : "#e2e8f0" } };
    const days = stats.perDay.map((day) => Date.parse(`${day.day}T00:00:00Z`) / 1000);
    const chart = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 240,
        series: [{}, { label: t("created"), stroke: "#4f46e5", width: 2 }, { label: t("resolvedCount"), stroke: "#059669", width: 2 }],
        axes: [axis, axis],
        scales: { x: { time: true } },
      },
      [days, stats.perDay.map((day) => day.created), stats.perDay.map((day) => day.resolved)],
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, element.clientWidth), height: 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [stats, prefs.theme.value, prefs.locale.value]);
  return <div ref={box} class="chart" role="img" aria-label={t("perDay")} />;
}

interface Row {
  key: string;
  name: string;
  created: number;
  resolved: number;
  firstResponse: AgentStats["firstResponse"];
  resolution: AgentStats["resolution"];
  sla: AgentStats["sla"];
  csat: AgentStats["csat"];
}

function StatsTable({ title, rows }: { title: string; rows: Row[] }) {
  const t = useT();
  return (
    <>
      <h2>{title}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={title}>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t("name")}</th>
              <th scope="col">{t("created")}</th>
              <th scope="col">{t("resolvedCount")}</th>
              <th scope="col">{t("firstResponse")}</th>
              <th scope="col">{t("resolutionTime")}</th>
              <th scope="col">{t("slaAttainment")}</th>
              <th scope="col">{t("csat")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.name}</th>
                <td>{row.created}</td>
                <td>{row.resolved}</td>
                <td>{`${minutes(row.firstResponse.medianMinutes)} / ${minutes(row.firstResponse.p90Minutes)}`}</td>
                <td>{`${minutes(row.resolution.medianMinutes)} / ${minutes(row.resolution.p90Minutes)}`}</td>
                <td>{percent(row.sla.firstResponse.attainment)}</td>
                <td>{row.csat.average === null ? "—" : row.csat.average.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
