import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVE_STATUSES } from "../server/domain/routing.js";
import { apiClient, type ApiClient } from "./support/client.js";
import { ADMIN, startApi, type RunningApi } from "./support/server.js";

/**
 * Routing's loads under concurrency, over HTTP on a real server and file: hundreds of ticket
 * creations on an automatic site race with resolutions, reassignments (back to the queue, then
 * routed again), an admin setting an agent away (its tickets handed back and routed again,
 * the site says `releaseOnAway`) and back, and two deactivations (DELETE and PATCH). Afterwards every agent's active count (what the
 * directory shows) equals a recount of the tickets, nobody is above capacity, and replaying
 * the whole history in commit order never finds an agent above capacity at any moment.
 */
const VISITORS = 20;
const TICKETS_EACH = 15; // 300 creations: under the per-visitor limit of 20 a minute
const RESOLUTIONS = 150;
const REASSIGNMENTS = 100;
const AGENTS = 6;
const CAPACITY = 8;
const PASSWORD = "routing-load-password";

let api: RunningApi;
let client: ApiClient;
let db: Client;
let admin: string;

beforeAll(async () => {
  api = await startApi();
  client = apiClient(api.url);
  db = createClient({ url: `file:${api.dbFile}` });
  admin = (await client.login(ADMIN.email)).token;
}, 60_000);
afterAll(async () => {
  db?.close();
  await api?.stop();
});

/** A list that workers take from in order, waiting (for the next push, never for time) when they are ahead of it. */
function feed<T>() {
  const items: T[] = [];
  let waiting: (() => void)[] = [];
  let ended = false;
  return {
    push(item: T) {
      items.push(item);
      for (const wake of waiting.splice(0)) wake();
    },
    end() {
      ended = true;
      for (const wake of waiting.splice(0)) wake();
    },
    /** The item at `index` once there is one; undefined when the feed ended before it. */
    async at(index: number): Promise<T | undefined> {
      while (index >= items.length && !ended) await new Promise<void>((resolve) => waiting.push(resolve));
      return items[index];
    },
  };
}

describe("active counts under concurrent creation, resolution, reassignment, away and deactivation", () => {
  it("stay equal to a recount, and routing never puts anyone above capacity", async () => {
    const site = await client.call("POST", "/v1/admin/sites", { token: admin, body: { name: "Routing load", routing: "automatic", releaseOnAway: true } });
    expect(site.status).toBe(201);
    const team: string[] = [];
    for (let n = 0; n < AGENTS; n++) {
      const created = await client.createAgent(admin, { email: `load-${n}@parley.test`, password: PASSWORD, siteIds: [site.body.id], capacity: CAPACITY });
      expect((await client.call("PATCH", `/v1/admin/agents/${created.id}`, { token: admin, body: { status: "available" } })).status).toBe(200);
      team.push(created.id);
    }
    const visitors = await Promise.all(Array.from({ length: VISITORS }, () => client.visitor(site.body.key)));

    const created = feed<string>();
    const statuses: Record<string, number[]> = { create: [], resolve: [], unassign: [], route: [], deactivate: [], away: [] };
    const record = (kind: string, status: number) => statuses[kind]!.push(status);
    let creations = 0;
    let heldWhileAway = -1;
    const activeHeldBy = async (agentId: string) =>
      Number((await db.execute({ sql: `select count(*) from tickets where assignee_id = ? and status in (${ACTIVE_STATUSES.map((status) => `'${status}'`).join(", ")})`, args: [agentId] })).rows[0]![0]);

    const creators = visitors.map(async (visitor, v) => {
      for (let n = 0; n < TICKETS_EACH; n++) {
        const res = await client.call("POST", "/v1/tickets", { token: visitor.token, body: { subject: `Load ${v}-${n}`, description: "routing under load" } });
        record("create", res.status);
        if (res.status === 201) created.push(res.body.number);
        // Along the way an agent is deactivated, another set away by an admin and back, a third
        // deactivated by an edit: each time their unfinished tickets go back to the queue and are routed again.
        const at = ++creations;
        if (at === 100) record("deactivate", (await client.call("DELETE", `/v1/admin/agents/${team[0]}`, { token: admin })).status);
        if (at === 150) {
          record("away", (await client.call("PATCH", `/v1/admin/agents/${team[1]}`, { token: admin, body: { status: "away" } })).status);
          // Committed with the status: nothing is left with them, and nothing can reach an away agent until they are back.
          heldWhileAway = await activeHeldBy(team[1]!);
        }
        if (at === 200) record("away", (await client.call("PATCH", `/v1/admin/agents/${team[1]}`, { token: admin, body: { status: "available" } })).status);
        if (at === 250) record("deactivate", (await client.call("PATCH", `/v1/admin/agents/${team[2]}`, { token: admin, body: { active: false } })).status);
      }
    });
    let nextToResolve = 0;
    const resolvers = Array.from({ length: 4 }, async () => {
      while (nextToResolve < RESOLUTIONS) {
        // Every other ticket, in creation order: the others stay open and keep the agents loaded.
        const number = await created.at(2 * nextToResolve++);
        if (!number) return;
        record("resolve", (await client.call("POST", `/v1/agent/tickets/${number}/resolve`, { token: admin, body: {} })).status);
      }
    });
    let nextToMove = 0;
    const reassigners = Array.from({ length: 4 }, async () => {
      while (nextToMove < REASSIGNMENTS) {
        const number = await created.at(3 * nextToMove++ + 1);
        if (!number) return;
        record("unassign", (await client.call("POST", `/v1/agent/tickets/${number}/assign`, { token: admin, body: { agentId: null } })).status);
        record("route", (await client.call("POST", `/v1/agent/tickets/${number}/route`, { token: admin })).status);
      }
    });
    await Promise.all(creators).finally(() => created.end());
    await Promise.all([...resolvers, ...reassigners]);

    expect(statuses.create!.filter((status) => status === 201)).toHaveLength(VISITORS * TICKETS_EACH);
    expect(statuses.deactivate).toEqual([200, 200]);
    expect(statuses.away).toEqual([200, 200]);
    expect(heldWhileAway).toBe(0);
    expect(statuses.resolve!.filter((status) => status === 200).length).toBe(RESOLUTIONS);
    // A reassignment may meet a ticket resolved meanwhile (409), never anything else; half of
    // them (the odd positions) are tickets nobody resolves, and those are always routed.
    for (const kind of ["unassign", "route"]) {
      expect(statuses[kind]!.length).toBe(REASSIGNMENTS);
      for (const status of statuses[kind]!) expect([200, 409]).toContain(status);
    }
    expect(statuses.route!.filter((status) => status === 200).length).toBeGreaterThanOrEqual(REASSIGNMENTS / 2);

    // The recount, straight from the file.
    const active = ACTIVE_STATUSES.map((status) => `'${status}'`).join(", ");
    const recount = new Map<string, number>(team.map((id) => [id, 0]));
    const rows = await db.execute({ sql: `select assignee_id, count(*) from tickets where site_id = ? and assignee_id is not null and status in (${active}) group by assignee_id`, args: [site.body.id] });
    for (const row of rows.rows) recount.set(String(row[0]), Number(row[1]));
    // Routing filled everyone still active: tickets stayed unassigned only because all were full.
    const waiting = Number((await db.execute({ sql: `select count(*) from tickets where site_id = ? and assignee_id is null and status in (${active})`, args: [site.body.id] })).rows[0]![0]);
    expect(waiting).toBeGreaterThan(0);

    const directory = await client.call("GET", "/v1/agent/agents", { token: admin });
    const shown = new Map<string, number>((directory.body.items as { id: string; openTickets: number }[]).map((entry) => [entry.id, entry.openTickets]));
    const deactivated = [team[0]!, team[2]!];
    for (const id of deactivated) {
      expect(recount.get(id)).toBe(0);
      expect(shown.has(id)).toBe(false);
    }
    for (const id of team.filter((id) => !deactivated.includes(id))) {
      expect(shown.get(id)).toBe(recount.get(id));
      expect(recount.get(id)).toBe(CAPACITY);
    }

    // The history, replayed in commit order: the load it implies at every moment stays within
    // capacity, and it ends where the tickets are.
    const events = await db.execute({
      sql: `select e.ticket_id, e.type, e.data from ticket_events e join tickets t on t.id = e.ticket_id where t.site_id = ? and e.type in ('created', 'assigned', 'status_changed') order by e.rowid`,
      args: [site.body.id],
    });
    const holder = new Map<string, string | null>();
    const status = new Map<string, string>();
    const load = new Map<string, number>();
    const isActive = (ticketId: string) => (ACTIVE_STATUSES as readonly string[]).includes(status.get(ticketId)!);
    const move = (agentId: string | null, by: number) => {
      if (agentId === null) return;
      load.set(agentId, (load.get(agentId) ?? 0) + by);
      expect(load.get(agentId)).toBeLessThanOrEqual(CAPACITY);
    };
    for (const [ticketId, type, text] of events.rows.map((row) => [String(row[0]), String(row[1]), String(row[2])] as const)) {
      const data = JSON.parse(text) as { from?: string | null; to?: string | null };
      if (type === "created") {
        status.set(ticketId, "open");
        holder.set(ticketId, null);
      } else if (type === "assigned") {
        if (isActive(ticketId)) {
          move(data.from ?? null, -1);
          move(data.to ?? null, +1);
        }
        holder.set(ticketId, data.to ?? null);
      } else {
        const was = isActive(ticketId);
        status.set(ticketId, String(data.to));
        if (was && !isActive(ticketId)) move(holder.get(ticketId) ?? null, -1);
        if (!was && isActive(ticketId)) move(holder.get(ticketId) ?? null, +1);
      }
    }
    for (const id of team) expect(load.get(id) ?? 0).toBe(recount.get(id));
    const stored = await db.execute({ sql: "select id, assignee_id from tickets where site_id = ?", args: [site.body.id] });
    for (const row of stored.rows) expect(holder.get(String(row[0]))).toBe(row[1] === null ? null : String(row[1]));
  }, 240_000);
});
