import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { boot, type Boot } from "../server/boot.js";
import { readEnv } from "../server/config.js";
import { ADMIN, TEST_SECRET } from "./support/server.js";

/**
 * How many statements the hot paths cost, counted on the real app and a real libSQL file
 * (the database's `onStatement` hook sees every statement a connection runs). The counts
 * are exact on purpose: a new query on these paths should be a decision, not an accident.
 */
let dir: string;
let running: Boot;
let statements: string[] = [];

/** "select visitors", "insert messages", "begin", … — enough to read which statement ran. */
function kind(sql: string): string {
  let outer = sql;
  // Subqueries (an unread count) name other tables; only the outer statement's counts.
  while (/\([^()]*\)/.test(outer)) outer = outer.replace(/\([^()]*\)/g, "");
  const verb = outer.trim().split(/\s+/)[0]!.toLowerCase();
  const table = outer.match(/\b(?:from|into|update)\s+"?(\w+)"?/i)?.[1];
  return table ? `${verb} ${table}` : verb;
}

async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await running.app.request(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * The statements one request ran, the first after a commit: reads the server keeps while the
 * database stays as it was (server/db/stamped-cache.ts) run in full only then. `warm` counts a
 * request repeated with nothing committed since.
 */
async function counted(method: string, path: string, options: { token?: string; body?: unknown; warm?: boolean } = {}) {
  if (!options.warm) await running.services.db.client.execute("insert into hot_paths_commits default values");
  statements = [];
  const reply = await call(method, path, options);
  return { ...reply, statements: statements.map(kind), raw: [...statements] };
}

/** The columns an UPDATE's SET clause names. */
function setColumns(sql: string): string[] {
  const clause = sql.match(/\bset\s+(.*?)\s+where\b/is)?.[1] ?? "";
  return [...clause.matchAll(/"(\w+)"\s*=/g)].map((match) => match[1]!);
}

let visitorToken: string;
let ticketNumber: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-hot-paths-"));
  const env = readEnv({
    DATABASE_URL: `file:${join(dir, "parley.db")}`,
    PARLEY_SECRET: TEST_SECRET,
    PARLEY_ADMIN_EMAIL: ADMIN.email,
    PARLEY_ADMIN_PASSWORD: ADMIN.password,
    PARLEY_PBKDF2_ITERATIONS: "1000",
  });
  running = await boot(env, () => "127.0.0.1", { hostsRooms: false, onStatement: (sql) => statements.push(sql) });
  visitorToken = (await call("POST", "/v1/sessions", { body: { siteKey: "pk_demo" } })).body.token;
  ticketNumber = (await call("POST", "/v1/tickets", { token: visitorToken, body: { subject: "Sync", description: "It stopped.", category: "billing" } })).body.number;
  // Written to before each counted request, so that it is the first after a commit.
  await running.services.db.client.execute("create table hot_paths_commits (id integer primary key)");
});
afterAll(() => {
  running?.services.db.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  // The site and category caches are filled by the first request that needs them; count warm requests.
  await call("GET", `/v1/tickets/${ticketNumber}`, { token: visitorToken });
});

describe("statements per hot request", () => {
  it("a visitor's ticket read: the visitor+site row, then the ticket with its unread count", async () => {
    const read = await counted("GET", `/v1/tickets/${ticketNumber}`, { token: visitorToken });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ number: ticketNumber, category: "billing", unreadCount: 0 });
    expect(read.statements).toEqual(["select visitors", "select tickets"]);
    const again = await counted("GET", `/v1/tickets/${ticketNumber}`, { token: visitorToken, warm: true });
    expect(again.body).toEqual(read.body);
    expect(again.statements).toEqual([]);
  });

  // A command whose events a webhook carries checks the server's copy of the site's enabled
  // endpoints against the table's stamp (server/db/webhook-endpoint-cache.ts): one primary-key
  // read per command, the endpoints themselves only after a change; none for notes or read marks.
  it("a visitor's message: auth, then one transaction of message, ticket, history row and the endpoints' stamp", async () => {
    const sent = await counted("POST", `/v1/tickets/${ticketNumber}/messages`, { token: visitorToken, body: { body: "Still broken.", clientId: "count-0001" } });
    expect(sent.status).toBe(201);
    expect(sent.statements).toEqual(["select visitors", "begin", "select tickets", "insert messages", "update tickets", "insert ticket_events", "select table_stamps", "commit"]);
    // The ticket's update sets only what the message changed: SQLite rewrites every index over a
    // column an UPDATE sets, and two dozen queue indexes lead with status or the SLA times.
    expect(setColumns(sent.raw.find((sql) => /^update "tickets"/.test(sql))!)).toEqual(["last_seq", "message_count", "last_message_at", "updated_at"]);

    const resent = await counted("POST", `/v1/tickets/${ticketNumber}/messages`, { token: visitorToken, body: { body: "Still broken.", clientId: "count-0001" } });
    expect(resent.status).toBe(200);
    expect(resent.body.seq).toBe(sent.body.seq);
    expect(resent.statements).toEqual(["select visitors", "begin", "select tickets", "insert messages", "select messages", "commit"]);
  });

  it("a message that reopens work adds only its status_changed row", async () => {
    const login = await call("POST", "/v1/auth/login", { body: { email: ADMIN.email, password: ADMIN.password } });
    const agentToken = login.body.token as string;
    const reply = await counted("POST", `/v1/agent/tickets/${ticketNumber}/messages`, { token: agentToken, body: { body: "Fixed?", clientId: "count-0002" } });
    expect(reply.status).toBe(201);
    expect(reply.statements.slice(0, 7)).toEqual(["select agents", "begin", "select tickets", "insert messages", "update tickets", "insert ticket_events", "insert ticket_events"]);
    expect((await call("PATCH", `/v1/agent/tickets/${ticketNumber}`, { token: agentToken, body: { status: "pending_customer" } })).status).toBe(200);

    const sent = await counted("POST", `/v1/tickets/${ticketNumber}/messages`, { token: visitorToken, body: { body: "No.", clientId: "count-0003" } });
    expect(sent.status).toBe(201);
    // message.created and ticket.updated (the status move) share the command's one stamp read.
    expect(sent.statements).toEqual(["select visitors", "begin", "select tickets", "insert messages", "update tickets", "insert ticket_events", "insert ticket_events", "select table_stamps", "commit"]);
    const ticket = await call("GET", `/v1/agent/tickets/${ticketNumber}`, { token: agentToken });
    expect(ticket.body).toMatchObject({ status: "in_progress", messageCount: 3 });
    const history = await call("GET", `/v1/agent/tickets/${ticketNumber}/history`, { token: agentToken });
    expect(history.body.items.slice(-2).map((event: { type: string; data: unknown }) => [event.type, event.data])).toEqual([
      ["message", { seq: sent.body.seq, messageId: sent.body.id }],
      ["status_changed", { from: "pending_customer", to: "in_progress" }],
    ]);
  });

  it("messages after a seq: auth, the ticket, the page", async () => {
    const page = await counted("GET", `/v1/tickets/${ticketNumber}/messages?after=0`, { token: visitorToken });
    expect(page.status).toBe(200);
    expect(page.statements).toEqual(["select visitors", "select tickets", "select messages"]);
  });
});
