/**
 * A stand-in for one API server, as a child process: it opens the database file, runs a
 * dispatcher whose channels post to a receiver over HTTP, and (when asked) writes outbox
 * entries the way a command does (write, commit, wake). Used by the multi-server and crash
 * tests; driven by environment variables:
 *
 *   DATABASE_URL, RECEIVER_URL, OUTBOX_OWNER
 *   OUTBOX_WRITES   transactions to write (0: only deliver; "forever": until killed)
 *   OUTBOX_TARGETS  number of rooms/endpoints the writes spread over
 *   OUTBOX_WEBHOOK_SITE  when set, webhooks are the real thing: the "webhook" channel is
 *                   webhookChannel() (signed, SSRF-vetted with the development switch), and
 *                   each write's webhook entries are built by webhookEntries() from a
 *                   message.created of a ticket on this site, for its endpoints in the database
 *
 * Prints `ready`, then `wrote <n>` after each commit and `written` when done.
 */
import { openDatabase } from "../../server/db/client.js";
import { writeOutbox } from "../../server/db/outbox.js";
import type { Channel, NewOutboxEntry, OutboxChannel, OutboxEntry } from "../../server/delivery/channel.js";
import { createDispatcher } from "../../server/delivery/dispatcher.js";
import { webhookEntries } from "../../server/commands/outbox/webhook-entries.js";
import { webhookChannel } from "../../server/delivery/webhooks/webhook-channel.js";
import type { DomainEvent } from "../../server/domain/events.js";

const env = process.env;
const owner = env.OUTBOX_OWNER ?? `server-${process.pid}`;
const writes = env.OUTBOX_WRITES === "forever" ? Infinity : Number(env.OUTBOX_WRITES ?? 0);
const targets = Number(env.OUTBOX_TARGETS ?? 4);
const webhookSite = env.OUTBOX_WEBHOOK_SITE ?? null;

const httpChannel = (name: OutboxChannel): Channel => ({
  name,
  async deliver(entry: OutboxEntry) {
    const res = await fetch(env.RECEIVER_URL!, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: String(entry.id), target: `${entry.channel}:${entry.target}`, from: owner, payload: entry.payload }),
    });
    await res.text();
    return res.ok ? { ok: true, statusCode: res.status } : { ok: false, statusCode: res.status, error: `receiver answered ${res.status}` };
  },
});

const db = await openDatabase(env.DATABASE_URL!);
const dispatcher = createDispatcher({
  db,
  owner,
  channels: { room: httpChannel("room"), webhook: webhookSite ? webhookChannel({ orm: db.orm, now: Date.now, allowPrivate: true }) : httpChannel("webhook") },
  pollMs: 50,
  // Retries come quickly here: the tests wait for every entry to arrive.
  policies: { room: { baseMs: 5, capMs: 50, maxAttempts: 1_000 }, webhook: { baseMs: 5, capMs: 50, maxAttempts: 1_000 } },
  log: (message, error) => console.error(`[${owner}] ${message}`, error ?? ""),
});
await dispatcher.start();

let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
  void dispatcher
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0));
});
console.log("ready");

for (let n = 1; n <= writes && !stopping; n++) {
  // What a message write announces: its ticket room, the site room, and a webhook endpoint.
  const ticket = `ticket:${(n * 7 + process.pid) % targets}`;
  const rooms: NewOutboxEntry[] = [
    { channel: "room", target: ticket, eventType: "message.created", payload: { n, owner }, ticketId: null },
    { channel: "room", target: "site:demo", eventType: "ticket.updated", payload: { n, owner }, ticketId: null },
  ];
  const stored = await db.write(async (tx) => {
    const webhooks: NewOutboxEntry[] = webhookSite
      ? await webhookEntries(tx, messageEvent(webhookSite, n), Date.now())
      : [{ channel: "webhook", target: `endpoint-${n % 2}`, eventType: "message.created", payload: { n, owner }, ticketId: null }];
    return writeOutbox(tx, [...rooms, ...webhooks], { handOver: dispatcher.handOver });
  });
  dispatcher.wake(stored);
  console.log(`wrote ${n}`);
  // Let deliveries and the other server's writes interleave with ours.
  await new Promise((resolve) => setImmediate(resolve));
}
if (!stopping) console.log("written");

/** The n-th customer message on one ticket of `siteId`, as the post-message command announces it. */
function messageEvent(siteId: string, n: number): DomainEvent {
  const at = Date.now();
  const iso = new Date(at).toISOString();
  return {
    type: "message.created",
    senderType: "customer",
    visibleSeq: n,
    ticket: {
      id: `crash-ticket-${owner}`, number: "TKT-2026-000999", siteId, subject: "Crash test", status: "open", priority: "normal", source: "widget",
      categoryId: null, departmentId: null, tier: 1, tags: [], assigneeId: null, visitorId: null, customerName: "Load", customerEmail: null,
      createdAt: at, updatedAt: at, resolvedAt: null, closedAt: null,
    },
    message: { id: `m-${owner}-${n}`, seq: n, clientId: `c-${owner}-${n}`, senderType: "customer", senderName: "Load", body: `message ${n} from ${owner}`, internal: false, attachments: [], createdAt: iso },
  };
}
