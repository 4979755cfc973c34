import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { AgentTicket, BulkActionBody, BulkActionResult, TicketPriority, TicketStatus } from "../../protocol/index.js";
import { useApp, useT, useWorkspace } from "../context.js";
import { slaPhrase, when } from "../components/format.js";
import { VirtualList } from "../components/VirtualList.js";
import type { QueueFilters } from "../stores/queue.js";
import { TranslatedOptions } from "../components/TranslatedOptions.js";

export const STATUSES: TicketStatus[] = ["open", "in_progress", "pending_customer", "escalated", "resolved", "closed"];
export const PRIORITIES: TicketPriority[] = ["low", "normal", "high", "urgent"];
const ROW_HEIGHT = 72;

/** The queue: filters, search, sort, bulk actions and the virtual list of tickets. */
export function QueuePane() {
  const t = useT();
  const { queue } = useWorkspace();
  const { router, prefs } = useApp();
  const route = router.route.value;
  const openNumber = route.screen === "queue" ? route.number : null;
  const list = queue.tickets.value;
  const now = Date.now();

  return (
    <section class="queue" aria-labelledby="queue-title">
      <h1 id="queue-title" class="visually-hidden">
        {t("queue")}
      </h1>
      <Filters />
      {queue.selected.value.size > 0 && <BulkBar />}
      {queue.error.value && (
        <p class="notice error" role="alert">
          {t("error", { message: queue.error.value })}
        </p>
      )}
      {list.length === 0 && !queue.loading.value && <p class="empty">{t("noTickets")}</p>}
      <VirtualList
        class="queue-list"
        label={t("ticketList")}
        count={list.length}
        estimateSize={ROW_HEIGHT}
        itemKey={(index) => list[index]!.number}
        onNearEnd={() => void queue.loadMore()}
        renderItem={(index) => <QueueRow ticket={list[index]!} open={list[index]!.number === openNumber} now={now} locale={prefs.locale.value} />}
      />
      {queue.loading.value && (
        <p class="loading" role="status">
          {t("loading")}
        </p>
      )}
    </section>
  );
}

function QueueRow({ ticket, open, now, locale }: { ticket: AgentTicket; open: boolean; now: number; locale: string }) {
  const t = useT();
  const { queue } = useWorkspace();
  const { router } = useApp();
  const sla = slaPhrase(ticket, now, t);
  return (
    <div class={`ticket-row${open ? " open" : ""}`} data-number={ticket.number}>
      <input
        type="checkbox"
        aria-label={t("select", { number: ticket.number })}
        checked={queue.selected.value.has(ticket.number)}
        onClick={(event) => queue.toggle(ticket.number, event.shiftKey)}
      />
      <a
        class="ticket-link"
        href={`/inbox/tickets/${encodeURIComponent(ticket.number)}`}
        aria-current={open ? "true" : undefined}
        onClick={(event) => {
          event.preventDefault();
          router.go({ screen: "queue", number: ticket.number });
        }}
      >
        <span class="line1">
          <span class="number">{ticket.number}</span>
          <span class="subject" dir="auto">{ticket.subject}</span>
          {ticket.unreadCount > 0 && (
            <span class="badge unread" title={t("unreadCount", { count: ticket.unreadCount })}>
              {ticket.unreadCount}
            </span>
          )}
          <time dateTime={ticket.updatedAt}>{when(ticket.updatedAt, locale)}</time>
        </span>
        <span class="line2">
          <span class="customer" dir="auto">{ticket.customer.name ?? ticket.customer.email ?? "—"}</span>
          <span class={`chip status-${ticket.status}`}>{t(ticket.status)}</span>
          <span class={`chip priority-${ticket.priority}`}>{t(ticket.priority)}</span>
          {sla && <span class={`chip sla-${ticket.slaState}`}>{sla}</span>}
        </span>
      </a>
    </div>
  );
}

/** Names for the category, department and site filters: admins may list them; agents filter without. */
function useReferenceLists() {
  const { client, queue } = useWorkspace();
  const lists = useSignal<{ categories: Array<[string, string]>; departments: Array<[string, string]> } | null>(null);
  useEffect(() => {
    if (client.agent.role !== "admin") return;
    void Promise.all([client.admin.categories.list({ limit: 100 }), client.admin.departments.list({ limit: 100 })]).then(([categories, departments]) => {
      lists.value = { categories: categories.items.map((category) => [category.slug, category.name]), departments: departments.items.map((department) => [department.id, department.name]) };
    }, (failure: unknown) => (queue.error.value = failure instanceof Error ? failure.message : String(failure)));
  }, []);
  return lists.value;
}

function Filters() {
  const t = useT();
  const { queue } = useWorkspace();
  const filters = queue.filters.value;
  const lists = useReferenceLists();
  const sites = [...queue.siteNames.value];
  const search = useRef<ReturnType<typeof setTimeout>>(undefined);
  const tagged = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => (clearTimeout(search.current), clearTimeout(tagged.current)), []);
  // Suggestions: the tags on the tickets loaded so far.
  const knownTags = [...new Set(queue.tickets.value.flatMap((ticket) => ticket.tags))].sort().slice(0, 50);
  const select = (key: keyof QueueFilters, label: string, options: Array<[string, string]>) => (
    <label>
      <span>{label}</span>
      <select value={(filters[key] as string | undefined) ?? ""} onChange={(event) => queue.setFilters({ [key]: (event.currentTarget as HTMLSelectElement).value || undefined })}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form class="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <label class="search">
        <span class="visually-hidden">{t("search")}</span>
        <input
          type="search"
          aria-label={t("search")}
          placeholder={t("searchPlaceholder")}
          defaultValue={filters.q ?? ""}
          onInput={(event) => {
            const value = (event.currentTarget as HTMLInputElement).value.trim();
            clearTimeout(search.current);
            search.current = setTimeout(() => queue.setFilters({ q: value || undefined }), 250);
          }}
        />
      </label>
      {select("status", t("filterStatus"), [["", t("any")], ...STATUSES.map((status): [string, string] => [status, t(status)])])}
      {select("priority", t("filterPriority"), [["", t("any")], ...PRIORITIES.map((priority): [string, string] => [priority, t(priority)])])}
      {select("assignee", t("filterAssignee"), [["", t("any")], ["me", t("mine")], ["none", t("unassigned")]])}
      {select("sla", t("filterSla"), [["", t("any")], ["ok", t("slaOk")], ["at_risk", t("atRisk")], ["breached", t("breached")]])}
      <label>
        <span>{t("filterTag")}</span>
        <input
          type="search"
          class="tag-filter"
          list="queue-tags"
          maxLength={40}
          pattern="[^,\s][^,]*"
          defaultValue={filters.tag ?? ""}
          onInput={(event) => {
            const input = event.currentTarget as HTMLInputElement;
            const value = input.value.trim();
            clearTimeout(tagged.current);
            // A tag no ticket can carry (a comma, too long) is not sent: the field says why instead.
            if (input.validity.valid) tagged.current = setTimeout(() => queue.setFilters({ tag: value || undefined }), 250);
          }}
        />
      </label>
      <datalist id="queue-tags">
        {knownTags.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
      {lists && select("category", t("filterCategory"), [["", t("any")], ...lists.categories])}
      {lists && select("department", t("filterDepartment"), [["", t("any")], ...lists.departments])}
      {sites.length > 1 && select("site", t("filterSite"), [["", t("any")], ...sites])}
      {select("sort", t("sort"), [["-created", t("sortNewest")], ["created", t("sortOldest")], ["-updated", t("sortUpdated")], ["priority", t("sortPriority")], ["due", t("sortDue")]])}
    </form>
  );
}

type BulkChoice = "assign" | "resolve" | "escalate" | "tag" | "status";

function BulkBar() {
  const t = useT();
  const { queue, client } = useWorkspace();
  const action = useSignal<BulkChoice>("resolve");
  const value = useSignal("");
  const result = useSignal<BulkActionResult | null>(null);
  const busy = useSignal(false);
  const numbers = [...queue.selected.value];
  const body = (): BulkActionBody => {
    switch (action.value) {
      case "assign":
        return { action: "assign", numbers, agentId: client.agent.id };
      case "resolve":
        return { action: "resolve", numbers, ...(value.value ? { note: value.value } : {}) };
      case "escalate":
        return { action: "escalate", numbers, reason: value.value };
      case "tag":
        return { action: "tags", op: "add", numbers, tags: value.value.split(",").map((tag) => tag.trim()).filter(Boolean) };
      case "status":
        return { action: "status", numbers, status: (value.value || "in_progress") as TicketStatus };
    }
  };
  const apply = async (event: Event) => {
    event.preventDefault();
    busy.value = true;
    try {
      const answer = await client.tickets.bulk(body());
      result.value = answer;
      for (const outcome of answer.results) if (outcome.ok) queue.apply(outcome.ticket);
      queue.refreshCounts();
    } catch (failure) {
      queue.error.value = failure instanceof Error ? failure.message : String(failure);
    } finally {
      busy.value = false;
    }
  };
  return (
    <form class="bulk" aria-label={t("bulkAction")} onSubmit={apply}>
      <strong>{t("selected", { count: numbers.length })}</strong>
      <label>
        <span class="visually-hidden">{t("bulkAction")}</span>
        <select aria-label={t("bulkAction")} value={action.value} onChange={(event) => (action.value = (event.currentTarget as HTMLSelectElement).value as BulkChoice)}>
          <option value="resolve">{t("bulkResolve")}</option>
          <option value="assign">{t("bulkAssignMe")}</option>
          <option value="escalate">{t("bulkEscalate")}</option>
          <option value="tag">{t("bulkTag")}</option>
          <option value="status">{t("bulkStatus")}</option>
        </select>
      </label>
      {action.value !== "assign" &&
        (action.value === "status" ? (
          <select aria-label={t("bulkValue")} value={value.value || "in_progress"} onChange={(event) => (value.value = (event.currentTarget as HTMLSelectElement).value)}>
            <TranslatedOptions values={STATUSES} />
          </select>
        ) : (
          <input type="text" aria-label={t("bulkValue")} value={value.value} onInput={(event) => (value.value = (event.currentTarget as HTMLInputElement).value)} required={action.value !== "resolve"} />
        ))}
      <button type="submit" class="primary" disabled={busy.value}>
        {t("apply")}
      </button>
      <button
        type="button"
        class="ghost"
        onClick={() => {
          queue.clearSelection();
          result.value = null;
        }}
      >
        {t("clearSelection")}
      </button>
      {result.value && (
        <div class="bulk-results" role="status">
          <p>{t("bulkDone", { ok: result.value.succeeded, failed: result.value.failed })}</p>
          <ul>
            {result.value.results.map((outcome) => (
              <li key={outcome.number} class={outcome.ok ? "ok" : "refused"} data-number={outcome.number}>
                <span class="number">{outcome.number}</span> {outcome.ok ? "✓" : `✗ ${outcome.error.message}`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
