import { eq, sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomNotifySchema, type RoomFrameNotify, type RoomNotify } from "../../protocol/index.js";
import { openDatabase, type Database } from "../db/client.js";
import { createReferenceCache } from "../db/reference-cache.js";
import type { AgentRow, SiteRow, VisitorRow } from "../db/rows.js";
import { agents, categories, sites, ticketEvents, visitors } from "../db/schema.js";
import { DEMO_AGENT_EMAILS, seedDemo } from "../db/seed/seed.js";
import { createDeliveryRuntime, type DeliveryRuntime } from "../delivery/delivery-runtime.js";
import { partsOf, RoomEntryPayloadSchema } from "../delivery/room/room-payload.js";
import type { RoomDelivery } from "../realtime/notifier.js";
import { deactivateAgent, setAgentStatus } from "./agent-commands.js";
import { deleteCategory } from "./category-commands.js";
import type { CommandContext } from "./command.js";
import { openTicket } from "./open-ticket.js";
import { assign, claim, rate, resolve } from "./ticket-actions.js";
import { markRead, postMessage } from "./ticket-messages.js";

/**
 * Commands on a real libSQL file, with a real dispatcher whose room delivery records what
 * each room was handed. The dispatcher's poll is an hour: anything that arrives came through
 * the in-memory hand-over right after the commit.
 */
const dir = mkdtempSync(join(tmpdir(), "parley-commands-"));
let db: Database;
let runtime: DeliveryRuntime;
let context: CommandContext;
let site: SiteRow;
let visitor: VisitorRow;
let ada: AgentRow;
let sam: AgentRow;
let grace: AgentRow;
const heard: { party: string; room: string; notify: RoomNotify }[] = [];
let waiters: (() => void)[] = [];

const rooms: RoomDelivery = {
  reachable: () => true,
  async deliver(party, room, notify) {
    heard.push({ party, room, notify });
    for (const wake of waiters.splice(0)) wake();
  },
};

/** Resolves once a room has heard a notify that `match` accepts (events, never time). */
async function hearNotify<N extends RoomNotify>(match: (heard: { party: string; room: string; notify: RoomNotify }) => heard is { party: string; room: string; notify: N }) {
  for (;;) {
    const found = heard.find(match);
    if (found) return found;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

/** Resolves once a room has heard a frame that `match` accepts. */
const hear = (match: (frame: { party: string; room: string; notify: RoomFrameNotify }) => boolean) =>
  hearNotify((entry): entry is { party: string; room: string; notify: RoomFrameNotify } => "frame" in entry.notify && match(entry as { party: string; room: string; notify: RoomFrameNotify }));

const outboxRows = async () =>
  (await db.orm.all<{ id: number; channel: string; target: string; event_type: string; payload: string; ticket_id: string | null }>(sql`SELECT * FROM outbox ORDER BY id`)).map(
    (row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }),
  );

beforeAll(async () => {
  db = await openDatabase(`file:${join(dir, "commands.db")}`);
  await seedDemo(db, { adminEmail: "admin@parley.test", adminPassword: "admin-password-1", passwordIterations: 1_000, demoOrigins: [] });
  const reference = createReferenceCache(db.orm);
  runtime = createDeliveryRuntime({ db, rooms, categories: () => reference.categories(), log: () => undefined, dispatcher: { pollMs: 3_600_000 } });
  await runtime.start();
  context = { db, now: Date.now, outbox: runtime };
  [site] = (await db.orm.select().from(sites)) as [SiteRow];
  [visitor] = (await db.orm.insert(visitors).values({ id: crypto.randomUUID(), siteId: site.id, name: "Vera" }).returning()) as [VisitorRow];
  ada = (await db.orm.query.agents.findFirst({ where: eq(agents.email, DEMO_AGENT_EMAILS[0]) }))!;
  sam = (await db.orm.query.agents.findFirst({ where: eq(agents.email, DEMO_AGENT_EMAILS[1]) }))!;
  grace = (await db.orm.query.agents.findFirst({ where: eq(agents.email, DEMO_AGENT_EMAILS[2]) }))!;
});

afterAll(async () => {
  await runtime.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const open = (subject: string, categorySlug?: string) =>
  openTicket(
    context,
    { siteId: site.id, visitorId: visitor.id, customerName: "Vera", customerEmail: null, subject, description: "it does not work", source: "widget", categorySlug },
    { type: "customer", id: visitor.id },
  );

/** The notifies a room entry posts, in order (one entry carries every frame of an event for its room). */
const roomNotifies = (payload: unknown) => partsOf(RoomEntryPayloadSchema.parse(payload)).map((part) => RoomNotifySchema.parse(part));

describe("commands", () => {
  it("store the change, its history and its room entries together, and the rooms hear at once", async () => {
    const before = (await outboxRows()).length;
    const { ticket } = await open("printer on fire");
    const written = (await outboxRows()).slice(before);
    expect(written.map((row) => [row.channel, row.target, row.event_type])).toEqual([["room", `site:${site.id}`, "ticket.created"]]);
    for (const row of written) expect(RoomEntryPayloadSchema.safeParse(row.payload).success).toBe(true);
    const events = await db.orm.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.map((event) => event.type)).toEqual(["created"]);

    const card = await hear(({ room, notify }) => room === site.id && notify.frame.type === "ticket.created");
    expect(card.notify).toMatchObject({ audience: "agents", frame: { type: "ticket.created", ticket: { number: ticket.number, unreadCount: 0 } } });
  });

  it("announce a customer message to its ticket room, the team's card and the unread count; a resend announces nothing", async () => {
    const { ticket } = await open("a question");
    const before = (await outboxRows()).length;
    const input = {
      ticket: { number: ticket.number, visitor },
      clientId: "c-1",
      body: "hello?",
      sender: { type: "customer" as const, id: visitor.id, name: visitor.name },
      internal: false,
      attachments: [],
    };
    const first = await postMessage(context, input);
    expect(first.created).toBe(true);
    const rows = (await outboxRows()).slice(before);
    // One entry per room, its frames in order.
    expect(rows.map((row) => row.target)).toEqual([`ticket:${ticket.id}`, `site:${site.id}`]);
    const [toTicketRoom, toSiteRoom] = rows.map((row) => RoomEntryPayloadSchema.parse(row.payload));
    // The team and the customer each get the message in their own numbering.
    expect(toTicketRoom).toMatchObject([
      { audience: "agents", frame: { type: "message.created", message: { seq: 1, body: "hello?" } } },
      { audience: "visitors", frame: { type: "message.created", message: { seq: 1, body: "hello?" } } },
    ]);
    expect(toSiteRoom).toEqual([
      { audience: "agents", build: { kind: "agent-ticket", frameType: "ticket.updated", ticketId: ticket.id } },
      { audience: "agents", build: { kind: "agent-unread", ticketId: ticket.id } },
    ]);

    const unread = await hear(({ notify }) => notify.frame.type === "unread.changed" && notify.frame.number === ticket.number);
    expect(unread.notify.frame).toEqual({ type: "unread.changed", number: ticket.number, unreadCount: 1 });
    await hear(({ room, notify }) => room === ticket.id && notify.frame.type === "message.created");

    const again = await postMessage(context, input);
    expect(again.created).toBe(false);
    expect((await outboxRows()).length).toBe(before + rows.length);

    const mark = await markRead(context, { ticket: { number: ticket.number }, side: "agent", seq: 1, actor: { type: "agent", id: ada.id } });
    expect(mark).toEqual({ number: ticket.number, seq: 1, unreadCount: 0 });
    await hear(({ room, notify }) => room === ticket.id && notify.frame.type === "read.updated" && notify.frame.seq === 1);
  });

  it("number a note's neighbours for each side: the team in seqs, the customer in visible seqs, read marks likewise", async () => {
    const { ticket } = await open("numbering");
    const post = (clientId: string, internal: boolean) =>
      postMessage(context, { ticket: { number: ticket.number }, clientId, body: clientId, sender: { type: "agent", id: ada.id, name: ada.name }, internal, attachments: [] });
    await post("first", false);
    const note = await post("note", true);
    expect(note.message).toMatchObject({ seq: 2, visibleSeq: null });
    const before = (await outboxRows()).length;
    const reply = await post("second", false);
    expect(reply.message).toMatchObject({ seq: 3, visibleSeq: 2 });
    const frames = (await outboxRows())
      .slice(before)
      .filter((row) => row.target === `ticket:${ticket.id}`)
      .flatMap((row) => roomNotifies(row.payload));
    expect(frames).toMatchObject([
      { audience: "agents", frame: { type: "message.created", message: { seq: 3, body: "second" } } },
      { audience: "visitors", frame: { type: "message.created", message: { seq: 2, body: "second" } } },
    ]);

    const markedFrom = (await outboxRows()).length;
    const mark = await markRead(context, { ticket: { number: ticket.number, visitor }, side: "customer", seq: 2, actor: { type: "customer", id: visitor.id } });
    expect(mark).toMatchObject({ number: ticket.number, seq: 2, unreadCount: 0 });
    const marks = (await outboxRows())
      .slice(markedFrom)
      .filter((row) => row.target === `ticket:${ticket.id}`)
      .flatMap((row) => roomNotifies(row.payload));
    expect(marks).toEqual([
      { audience: "agents", frame: { type: "read.updated", side: "customer", seq: 3 } },
      { audience: "visitors", frame: { type: "read.updated", side: "customer", seq: 2 } },
    ]);
  });

  it("internal notes reach agents only", async () => {
    const { ticket } = await open("note me");
    await postMessage(context, {
      ticket: { number: ticket.number },
      clientId: "n-1",
      body: "customer seems upset",
      sender: { type: "agent", id: ada.id, name: ada.name },
      internal: true,
      attachments: [],
    });
    const note = await hear(({ room, notify }) => room === ticket.id && notify.frame.type === "message.created");
    expect(note.notify.audience).toBe("agents");
    await runtime.idle();
    expect(heard.filter(({ room, notify }) => room === ticket.id && "frame" in notify && notify.frame.type === "message.created")).toHaveLength(1);
  });

  it("a bot's reply is recorded as the bot's and leaves the ticket's status alone", async () => {
    const { ticket } = await open("bot answers");
    const { message, ticket: after } = await postMessage(context, {
      ticket: { number: ticket.number },
      clientId: "bot-1",
      body: "Have you tried turning it off and on again?",
      sender: { type: "bot", id: null, name: "Helper" },
      internal: false,
      attachments: [],
    });
    expect(message).toMatchObject({ senderType: "bot", seq: 1 });
    expect(after.status).toBe(ticket.status);
    const history = await db.orm.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(history.at(-1)).toMatchObject({ type: "message", actorType: "bot" });
    await hear(({ room, notify }) => room === ticket.id && notify.frame.type === "message.created" && notify.frame.message.senderType === "bot");
  });

  it("a refused command writes nothing at all, outbox included", async () => {
    const { ticket } = await open("not yet resolved");
    const ids = async () => (await outboxRows()).map((row) => row.id);
    const before = await ids();
    await expect(rate(context, { ticket: { number: ticket.number, visitor }, score: 5, comment: null, actor: { type: "customer", id: visitor.id } })).rejects.toMatchObject({
      code: "illegal_transition",
    });
    expect(await ids()).toEqual(before);
    const resolved = await resolve(context, { ticket: { number: ticket.number }, resolution: "restarted it", actor: { type: "agent", id: ada.id } });
    expect(resolved).toMatchObject({ status: "resolved", resolvedBy: ada.id, resolution: "restarted it" });
    const rated = await rate(context, { ticket: { number: ticket.number, visitor }, score: 5, comment: "quick", actor: { type: "customer", id: visitor.id } });
    expect(rated.rating).toBe(5);
    await expect(rate(context, { ticket: { number: ticket.number, visitor }, score: 4, comment: null, actor: { type: "customer", id: visitor.id } })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("claim takes a free ticket and answers conflict when someone else has it", async () => {
    const { ticket } = await open("claim me");
    expect((await claim(context, { ticket: { number: ticket.number }, agentId: ada.id })).assigneeId).toBe(ada.id);
    await expect(claim(context, { ticket: { number: ticket.number }, agentId: sam.id })).rejects.toMatchObject({ code: "conflict" });
  });

  it("deactivating an agent releases their tickets, announces each one, and revokes them in every site room and the ticket rooms they joined", async () => {
    const { ticket } = await open("held by grace");
    await assign(context, { ticket: { number: ticket.number }, agentId: grace.id, actor: { type: "agent", id: ada.id } });
    const before = (await outboxRows()).length;
    // The assignment's own frames have left before we listen for the deactivation's.
    await runtime.idle();
    heard.length = 0;
    const joined = (await open("grace looked at this")).ticket;
    const row = await deactivateAgent(context, { agentId: grace.id, actor: { type: "agent", id: ada.id }, ticketRoomIds: [joined.id] });
    expect(row).toMatchObject({ active: false, status: "away" });
    const rows = (await outboxRows()).slice(before).filter((r) => r.event_type !== "ticket.created");
    expect(rows.map((r) => [r.target, r.event_type])).toEqual([
      [`ticket:${ticket.id}`, "agent.deactivated"],
      [`site:${site.id}`, "agent.deactivated"],
      [`ticket:${joined.id}`, "agent.deactivated"],
      [`site:${site.id}`, "agent.deactivated"],
      [`site:${site.id}`, "agent.status_changed"],
    ]);
    const revoked = (entry: { room: string; notify: RoomNotify }, room: string) => entry.room === room && "type" in entry.notify && entry.notify.userId === grace.id;
    await hearNotify((entry): entry is typeof entry => revoked(entry, joined.id));
    await hearNotify((entry): entry is typeof entry => revoked(entry, site.id));
    await hear(({ notify }) => notify.frame.type === "agent.status_changed" && notify.frame.agentId === grace.id && notify.frame.status === "away");
    const state = await hear(({ room, notify }) => room === ticket.id && notify.frame.type === "ticket.updated");
    expect(state.notify.frame).toMatchObject({ type: "ticket.updated", ticket: { number: ticket.number } });
    const card = await hear(({ room, notify }) => room === site.id && notify.frame.type === "ticket.updated");
    expect(card.notify.frame).toMatchObject({ ticket: { number: ticket.number, assigneeId: null } });
    const history = await db.orm.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(history.at(-1)).toMatchObject({ type: "assigned", data: { from: grace.id, to: null, reason: "agent deactivated" } });
  });

  it("deleting a category announces every ticket that loses it", async () => {
    const [category] = await db.orm.insert(categories).values({ id: crypto.randomUUID(), slug: "to-delete", name: "To delete", createdAt: Date.now() }).returning();
    const { ticket } = await open("categorised", "to-delete");
    const before = (await outboxRows()).length;
    await deleteCategory(context, { categoryId: category!.id, actor: { type: "agent", id: ada.id } });
    const rows = (await outboxRows()).slice(before);
    expect(rows.map((r) => [r.target, r.event_type, r.ticket_id])).toEqual([[`site:${site.id}`, "category.deleted", ticket.id]]);
    const card = await hear(({ room, notify }) => room === site.id && notify.frame.type === "ticket.updated" && notify.frame.ticket.number === ticket.number);
    expect(card.notify.frame).toMatchObject({ ticket: { category: null } });
  });

  it("write no room entries where no rooms are configured, or for rooms nobody is in", async () => {
    const categoriesOf = () => createReferenceCache(db.orm).categories();
    const roomless = createDeliveryRuntime({ db, rooms: null, categories: categoriesOf, log: () => undefined });
    expect(roomless.dispatcher).toBeNull();
    const empty = createDeliveryRuntime({ db, rooms: { reachable: () => false, deliver: rooms.deliver }, categories: categoriesOf, log: () => undefined });
    for (const outbox of [roomless, empty]) {
      const before = (await outboxRows()).length;
      const { ticket } = await openTicket(
        { db, now: Date.now, outbox },
        { siteId: site.id, visitorId: visitor.id, customerName: null, customerEmail: null, subject: "quiet", description: "nobody listens", source: "widget" },
        { type: "customer", id: visitor.id },
      );
      expect(ticket.subject).toBe("quiet");
      expect((await outboxRows()).length).toBe(before);
    }
    await empty.stop();
  });

  it("an agent's status change reaches every site's team", async () => {
    await setAgentStatus(context, { agentId: ada.id, status: "busy" });
    const frame = await hear(({ notify }) => notify.frame.type === "agent.status_changed" && notify.frame.agentId === ada.id);
    expect(frame).toMatchObject({ party: "site", room: site.id, notify: { frame: { status: "busy" } } });
  });
});
