import { batch, computed, signal } from "@preact/signals";
import type { AgentNotifications, AgentTicket, AgentTicketListQuery, TicketPriority } from "../../protocol/index.js";
import type { SiteFeed } from "../../sdk/realtime.js";
import type { AgentClient } from "./session.js";

export type QueueFilters = Partial<Omit<AgentTicketListQuery, "cursor" | "limit">> & { sort: AgentTicketListQuery["sort"] };
export type Connection = "connecting" | "live" | "reconnecting";
const PAGE = 50;
const PRIORITY_RANK: Record<TicketPriority, number> = { urgent: 3, high: 2, normal: 1, low: 0 };

/** Whether a ticket belongs in the queue under these filters (the server's rules, for live frames). */
export function matchesFilters(ticket: AgentTicket, filters: QueueFilters, me: string): boolean {
  if (filters.status && ticket.status !== filters.status) return false;
  if (filters.priority && ticket.priority !== filters.priority) return false;
  if (filters.category && ticket.category !== filters.category) return false;
  if (filters.department && ticket.departmentId !== filters.department) return false;
  if (filters.site && ticket.siteId !== filters.site) return false;
  if (filters.sla && ticket.slaState !== filters.sla) return false;
  if (filters.tag && !ticket.tags.includes(filters.tag.toLowerCase())) return false;
  if (filters.assignee === "me" && ticket.assigneeId !== me) return false;
  if (filters.assignee === "none" && ticket.assigneeId !== null) return false;
  if (filters.assignee && filters.assignee !== "me" && filters.assignee !== "none" && ticket.assigneeId !== filters.assignee) return false;
  if (filters.q) {
    const needle = filters.q.toLowerCase();
    const haystack = [ticket.number, ticket.subject, ticket.description, ticket.customer.name ?? "", ticket.customer.email ?? ""].join("\n").toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

/** The queue's order as a comparator (negative: a comes first). */
export function compareFor(sort: QueueFilters["sort"]): (a: AgentTicket, b: AgentTicket) => number {
  const time = (value: string | null) => (value ? Date.parse(value) : Number.POSITIVE_INFINITY);
  switch (sort) {
    case "created":
      return (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt);
    case "-updated":
      return (a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt);
    case "priority":
      return (a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || Date.parse(b.createdAt) - Date.parse(a.createdAt);
    case "due":
      return (a, b) => time(a.slaDueAt) - time(b.slaDueAt);
    default:
      return (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt);
  }
}

export interface QueueEvents {
  /** A ticket this agent has not seen yet arrived live. */
  created?(ticket: AgentTicket): void;
  /** A customer message arrived on a ticket this agent holds. */
  replied?(ticket: AgentTicket): void;
}

/**
 * The queue: filters and sort, keyset pages, the selection for bulk actions, and the live
 * site rooms (new and changed tickets, unread counts) with a catch-up after every reconnect.
 */
export function createQueueStore(client: AgentClient, events: QueueEvents = {}) {
  const me = client.agent.id;
  const filters = signal<QueueFilters>({ sort: "-created" });
  const tickets = signal<AgentTicket[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const counts = signal<AgentNotifications["counts"] | null>(null);
  const selected = signal<ReadonlySet<string>>(new Set());
  const connection = signal<Connection>("connecting");
  /** Site names by id, for admins (who may list sites); agents see ids. */
  const siteNames = signal<ReadonlyMap<string, string>>(new Map());
  const feedStates = new Map<SiteFeed, "open" | "closed" | "new">();
  const feeds: SiteFeed[] = [];
  let anchor: string | null = null;
  let generation = 0;
  let countsTimer: ReturnType<typeof setTimeout> | undefined;

  const failed = (failure: unknown) => (error.value = failure instanceof Error ? failure.message : String(failure));

  async function load() {
    const mine = ++generation;
    loading.value = true;
    try {
      const page = await client.tickets.list({ ...filters.value, limit: PAGE });
      if (mine !== generation) return;
      batch(() => {
        tickets.value = page.items;
        nextCursor.value = page.nextCursor;
        error.value = null;
      });
    } catch (failure) {
      if (mine === generation) failed(failure);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function loadMore() {
    const cursor = nextCursor.value;
    if (!cursor || loading.value) return;
    const mine = generation;
    loading.value = true;
    try {
      const page = await client.tickets.list({ ...filters.value, limit: PAGE, cursor });
      if (mine !== generation) return;
      const known = new Set(tickets.value.map((ticket) => ticket.number));
      batch(() => {
        tickets.value = [...tickets.value, ...page.items.filter((ticket) => !known.has(ticket.number))];
        nextCursor.value = page.nextCursor;
      });
    } catch (failure) {
      failed(failure);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function refreshCounts(soon = true) {
    clearTimeout(countsTimer);
    countsTimer = setTimeout(() => void client.notifications().then((answer) => (counts.value = answer.counts), failed), soon ? 250 : 0);
  }

  /** A ticket as the room or an action answered it: placed, moved or dropped by the filters. */
  function apply(ticket: AgentTicket) {
    const list = tickets.value;
    const at = list.findIndex((known) => known.number === ticket.number);
    const belongs = matchesFilters(ticket, filters.value, me);
    if (!belongs) {
      if (at >= 0) tickets.value = list.filter((_, index) => index !== at);
      return;
    }
    const rest = at >= 0 ? list.filter((_, index) => index !== at) : list;
    const compare = compareFor(filters.value.sort);
    let index = rest.findIndex((other) => compare(ticket, other) < 0);
    // Beyond the loaded pages it will come with the page it belongs to.
    if (index < 0 && nextCursor.value && at < 0) return;
    if (index < 0) index = rest.length;
    tickets.value = [...rest.slice(0, index), ticket, ...rest.slice(index)];
  }

  function updateConnection() {
    const states = [...feedStates.values()];
    connection.value = states.some((state) => state === "closed") ? "reconnecting" : states.every((state) => state === "open") ? "live" : "connecting";
  }

  function watch(feed: SiteFeed) {
    feeds.push(feed);
    feedStates.set(feed, "new");
    feed.on("connection", (state) => {
      const before = feedStates.get(feed);
      feedStates.set(feed, state);
      updateConnection();
      // Back after a drop: whatever happened meanwhile is in the first page and the counts.
      if (state === "open" && before === "closed") {
        void load();
        refreshCounts(false);
      }
    });
    feed.on("ticketCreated", (ticket) => {
      const fresh = !tickets.value.some((known) => known.number === ticket.number);
      apply(ticket);
      if (fresh) events.created?.(ticket);
      refreshCounts();
    });
    feed.on("ticketUpdated", (ticket) => {
      const before = tickets.value.find((known) => known.number === ticket.number);
      apply(ticket);
      if (ticket.assigneeId === me && before && ticket.unreadCount > before.unreadCount) events.replied?.(ticket);
      refreshCounts();
    });
    feed.on("unread", ({ number, unreadCount }) => {
      const before = tickets.value.find((known) => known.number === number);
      if (before && unreadCount > before.unreadCount && before.assigneeId === me) events.replied?.(before);
      tickets.value = tickets.value.map((known) => (known.number === number ? { ...known, unreadCount } : known));
      refreshCounts();
    });
    feed.on("slaAlarm", () => refreshCounts());
  }

  return {
    filters,
    tickets,
    nextCursor,
    loading,
    error,
    counts,
    selected,
    connection,
    siteNames,
    openCount: computed(() => counts.value?.open ?? 0),
    load,
    loadMore,
    apply,
    refreshCounts,

    setFilters(change: Partial<QueueFilters>) {
      const next = { ...filters.value, ...change } as QueueFilters;
      for (const key of Object.keys(next) as (keyof QueueFilters)[]) if (next[key] === undefined || next[key] === "") delete next[key];
      filters.value = next;
      void load();
    },

    /** Joins the site rooms of every site the agent works on (admins: all sites). */
    async connect() {
      let siteIds = client.agent.siteIds;
      if (client.agent.role === "admin") {
        const sites = (await client.admin.sites.list({ limit: 100 })).items;
        siteNames.value = new Map(sites.map((site) => [site.id, site.name]));
        siteIds = sites.map((site) => site.id);
      }
      for (const siteId of siteIds) watch(client.watchSite(siteId));
      updateConnection();
      refreshCounts(false);
    },

    /** Checkbox clicks: a plain click toggles one ticket, shift-click selects the range from the last one. */
    toggle(number: string, range = false) {
      const next = new Set(selected.value);
      const list = tickets.value.map((ticket) => ticket.number);
      if (range && anchor && list.includes(anchor)) {
        const [from, to] = [list.indexOf(anchor), list.indexOf(number)].sort((a, b) => a - b) as [number, number];
        for (const picked of list.slice(from, to + 1)) next.add(picked);
      } else if (next.has(number)) next.delete(number);
      else next.add(number);
      anchor = number;
      selected.value = next;
    },
    clearSelection() {
      selected.value = new Set();
      anchor = null;
    },

    /** Drops every socket and pending call (sign-out, expiry). */
    disconnect() {
      generation++;
      clearTimeout(countsTimer);
      for (const feed of feeds) feed.close();
      feeds.length = 0;
      feedStates.clear();
    },
    /** Forces every site room to reconnect, as a dropped network would. */
    interrupt() {
      for (const feed of feeds) feed.reconnect();
    },
  };
}

export type QueueStore = ReturnType<typeof createQueueStore>;
