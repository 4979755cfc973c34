/**
 * Throughput and latency of the API under load: /health as the floor the framework and
 * runtime set, a ticket read, and a message send that really inserts. Prints figures and
 * never judges them; exits non-zero only when something is broken (a non-2xx answer, a
 * connection error, or stored messages that do not match the acknowledged ones).
 *
 *   npm run bench:api -- [--runtime node|bun|deno] [--duration 10] [--connections 20]
 */
import { randomBytes } from "node:crypto";
import { createClient } from "@libsql/client";
import { apiClient } from "../test/support/client.js";
import { startApi } from "../test/support/server.js";
import { formatTable, load, machineLine, readBenchArgs, type LoadContext, type LoadOptions, type LoadResult } from "./support.js";

const args = readBenchArgs(process.argv.slice(2));

/** What the routes are measured against: made once, before any route runs. */
interface Fixture {
  authorization: string;
  agentAuthorization: string;
  ticketPath: string;
  ticketNumber: string;
  dbFile: string;
}

/**
 * One measured route. `/health` runs first as the floor the framework and runtime set;
 * every other route is reported as a ratio to it. Add a route by adding an entry here.
 */
interface BenchRoute {
  name: string;
  load(fixture: Fixture): Omit<LoadOptions, "url" | "connections" | "duration">;
  /** After the run: what is wrong beyond non-2xx answers and connection errors. */
  check?(fixture: Fixture, result: LoadResult): Promise<string[]>;
}

// Each send carries a clientId never used before, so the server inserts instead of answering
// 200 with a stored message. A connection has one request in flight, so the clientId kept in
// its context when the request is built is the one its next answer belongs to.
const runId = randomBytes(4).toString("hex");
const clientIdPrefix = `bench-${runId}-`;
let sent = 0;
const acknowledged = new Set<string>();

const routes: BenchRoute[] = [
  { name: "GET /health", load: () => ({ method: "GET", requests: [{ path: "/health" }] }) },
  {
    name: "GET /v1/tickets/:number",
    load: ({ authorization, ticketPath }) => ({ method: "GET", headers: { authorization }, requests: [{ path: ticketPath }] }),
  },
  {
    // The agent queue's first page, full: 25 open tickets of the 31 the visitor opened.
    name: "GET /v1/agent/tickets?status=open",
    load: ({ agentAuthorization }) => ({ method: "GET", headers: { authorization: agentAuthorization }, requests: [{ path: "/v1/agent/tickets?status=open" }] }),
  },
  {
    name: "POST /v1/tickets/:number/messages",
    load: ({ authorization, ticketPath }) => ({
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      requests: [
        {
          path: `${ticketPath}/messages`,
          setupRequest: (request, context: LoadContext) => {
            const clientId = `${clientIdPrefix}${(sent++).toString(36)}`;
            context.clientId = clientId;
            return { ...request, body: JSON.stringify({ body: `Load test message ${sent}: still no sync.`, clientId }) };
          },
          onResponse: (status, _body, context: LoadContext) => {
            if (status === 201 && typeof context.clientId === "string") acknowledged.add(context.clientId);
          },
        },
      ],
    }),
    check: (fixture, result) => checkMessages(fixture.dbFile, fixture.ticketNumber, clientIdPrefix, result, acknowledged, args.connections),
  },
];

console.log(machineLine(args.runtime));
console.log(`${args.connections} connections, ${args.duration} s per route, one after another; rate limits off\n`);

// Every route is driven by one visitor from one address, so the limiters would answer 429s.
const api = await startApi({ runtime: args.runtime, env: { PARLEY_RATE_LIMITS: "off" } });
try {
  const client = apiClient(api.url);
  const { token } = await client.visitor();
  const ticket = await client.ticket(token);
  for (let i = 0; i < 30; i++) await client.ticket(token, { subject: `Queue ticket ${i}` });
  const agent = await client.login("ada@parley.test");
  const fixture: Fixture = {
    authorization: `Bearer ${token}`,
    agentAuthorization: `Bearer ${agent.token}`,
    ticketPath: `/v1/tickets/${ticket.number}`,
    ticketNumber: ticket.number,
    dbFile: api.dbFile,
  };

  const runs: { route: BenchRoute; result: LoadResult }[] = [];
  for (const route of routes) {
    console.error(`measuring ${route.name} for ${args.duration} s…`);
    const result = await load({ url: api.url, connections: args.connections, duration: args.duration, ...route.load(fixture) });
    runs.push({ route, result });
  }

  const floor = runs[0]!.result.requests.average;
  console.log(
    formatTable(
      ["route", "req/s (mean)", "p50 ms", "p99 ms", "non-2xx", "errors", "vs /health"],
      runs.map(({ route, result }) => [
        route.name,
        result.requests.average.toFixed(0),
        milliseconds(result.latency.p50),
        milliseconds(result.latency.p99),
        String(result.non2xx),
        String(result.errors),
        floor > 0 ? `${(result.requests.average / floor).toFixed(2)}×` : "n/a",
      ]),
    ),
  );

  const problems: string[] = [];
  for (const { route, result } of runs) {
    if (result.non2xx > 0) problems.push(`${route.name}: ${result.non2xx} non-2xx answers ${JSON.stringify(result.statusCodeStats)}`);
    if (result.errors > 0) problems.push(`${route.name}: ${result.errors} connection errors (${result.timeouts} timeouts)`);
    if (route.check) problems.push(...(await route.check(fixture, result)));
  }

  if (problems.length > 0) {
    console.log(`\nBROKEN:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
    process.exitCode = 1;
  }
} finally {
  await api.stop();
}

/** autocannon's latency histogram counts whole milliseconds, so 0 means "under one". */
function milliseconds(value: number): string {
  return value < 1 ? "<1" : value.toFixed(0);
}

/**
 * Reads the messages this run stored straight from the database file, the witness that does
 * not go through the code under test, and compares them with the 2xx answers. autocannon ends
 * a timed run by closing every connection, so up to one send per connection can be committed
 * without its answer ever being counted; those are reported, and only more than that is wrong.
 */
async function checkMessages(
  dbFile: string,
  ticketNumber: string,
  clientIdPrefix: string,
  result: LoadResult,
  acknowledged: Set<string>,
  connections: number,
): Promise<string[]> {
  const db = createClient({ url: `file:${dbFile}` });
  try {
    const storedIds = async () => {
      const rows = await db.execute({
        sql: "SELECT m.client_id FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = ? AND m.client_id LIKE ?",
        args: [ticketNumber, `${clientIdPrefix}%`],
      });
      return new Set(rows.rows.map((row) => String(row.client_id)));
    };
    // Sends cut off at the deadline may still be queued behind the server's write lock.
    let stored = await storedIds();
    for (let settled = 0; settled < 2; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const again = await storedIds();
      settled = again.size === stored.size ? settled + 1 : 0;
      stored = again;
    }

    const replays = result.statusCodeStats["200"]?.count ?? 0;
    const missing = [...acknowledged].filter((clientId) => !stored.has(clientId)).length;
    const cutOff = stored.size - (acknowledged.size - missing);
    const accounting =
      cutOff === 0
        ? `${stored.size} stored = ${result["2xx"]} 2xx answers`
        : `${stored.size} stored = ${result["2xx"]} 2xx answers + ${cutOff} sent but cut off at the deadline (at most one per connection)`;

    const problems: string[] = [];
    if (replays > 0) problems.push(`${replays} sends answered 200 (an existing clientId), so they did not insert`);
    if (acknowledged.size !== result["2xx"] - replays) problems.push(`tracked ${acknowledged.size} answers 201, autocannon counted ${result["2xx"] - replays}`);
    if (missing > 0) problems.push(`${missing} messages answered 201 are not in the database`);
    if (cutOff > connections) problems.push(`${cutOff} stored messages have no answer, more than the ${connections} that can be in flight`);
    console.log(`\nmessages: ${accounting}: ${problems.length === 0 ? "ok" : "MISMATCH"}`);
    return problems;
  } finally {
    db.close();
  }
}
