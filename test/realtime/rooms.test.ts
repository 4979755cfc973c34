import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MAX_CLIENT_FRAME_BYTES,
  TYPING_EXPIRY_MS,
  type RoomClaims,
  type RoomNotify,
} from "../../protocol/realtime.js";
import type { Message } from "../../protocol/message.js";
import type { AgentTicket } from "../../protocol/ticket.js";
import {
  HandshakeRefused,
  mintConnectTicket,
  notifyRoom,
  notifySignature,
  openRoomSocket,
  roomClaims,
  startPartykit,
  type RoomSocket,
} from "../support/partykit.js";
import { startApi } from "../support/server.js";
import { roomsRuntime, startRealtimeStack, type RealtimeStack, type RunningRooms } from "../support/rooms.js";

/**
 * The rooms on the runtime PARLEY_TEST_ROOMS names (the API's in-process host, or a real
 * `partykit dev`): auth, presence, typing, fan-out, abuse. The tests talk to the rooms
 * directly, minting connect tickets and signing notifications with the shared secret; the
 * in-process host serves the rooms' HTTP side (onRequest) on the API port as PartyKit does,
 * so every test here applies to both runtimes unchanged except the last describe.
 */

const SECRET = "room-secret-for-tests-0123456789abcdef";
let stack: RealtimeStack;
let rooms: RunningRooms;
const sockets: RoomSocket[] = [];

beforeAll(async () => {
  stack = await startRealtimeStack({ secret: SECRET });
  rooms = stack.rooms;
}, 60_000);

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await stack?.stop();
});

const freshRoom = () => `room-${randomUUID().slice(0, 8)}`;
const isType = (type: string) => (frame: { type: string }) => frame.type === type;

async function join(
  party: RoomClaims["party"],
  room: string,
  claims: Partial<RoomClaims> = {},
  options: { origin?: string } = {},
): Promise<RoomSocket> {
  const ticket = mintConnectTicket(SECRET, roomClaims({ party, room, ...claims }));
  const socket = await openRoomSocket(rooms.host, party, room, ticket, options);
  sockets.push(socket);
  return socket;
}

async function refusal(promise: Promise<unknown>): Promise<HandshakeRefused> {
  const error = await promise.then(
    () => new Error("the handshake was accepted"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(HandshakeRefused);
  return error as HandshakeRefused;
}

const visitor = { sub: "visitor-1", kind: "visitor", name: "Vera" } as const;
const agent = { sub: "agent-1", kind: "agent", name: "Ada" } as const;
const asParticipant = ({ sub, kind, name }: { sub: string; kind: string; name: string | null }) => ({ userId: sub, kind, name });

function message(overrides: Partial<Message> = {}): Message {
  return {
    id: "msg-1",
    seq: 1,
    clientId: "client-0001",
    senderType: "agent",
    senderName: "Ada",
    body: "Hello! How can I help?",
    internal: false,
    attachments: [],
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

describe("connecting", () => {
  it("shows visitors and agents to each other, once per person, agents first", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    expect(await vera.next(isType("presence.changed"))).toEqual({
      type: "presence.changed",
      participants: [asParticipant(visitor)],
    });

    const ada = await join("ticket", room, agent);
    const both = [asParticipant(agent), asParticipant(visitor)];
    expect((await ada.next(isType("presence.changed"))).participants).toEqual(both);
    expect((await vera.next(isType("presence.changed"))).participants).toEqual(both);

    // A second tab changes nothing for the others, but the tab itself learns who is here.
    const veraTab = await join("ticket", room, visitor);
    expect((await veraTab.next(isType("presence.changed"))).participants).toEqual(both);
    expect(await ada.quiet(300, isType("presence.changed"))).toEqual([]);

    await ada.close();
    expect((await vera.next(isType("presence.changed"))).participants).toEqual([asParticipant(visitor)]);
  });

  it("refuses forged, expired, wrong-room and wrong-party tickets with 401", async () => {
    const room = freshRoom();
    const forged = mintConnectTicket("not-the-room-secret", roomClaims({ party: "ticket", room }));
    expect((await refusal(openRoomSocket(rooms.host, "ticket", room, forged))).status).toBe(401);

    const expired = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room, exp: Math.floor(Date.now() / 1000) - 1 }));
    const expiredRefusal = await refusal(openRoomSocket(rooms.host, "ticket", room, expired));
    expect(expiredRefusal.status).toBe(401);
    expect(expiredRefusal.body).toMatch(/expired/);

    const otherRoom = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room: "someone-elses-ticket" }));
    expect((await refusal(openRoomSocket(rooms.host, "ticket", room, otherRoom))).status).toBe(401);

    const otherParty = mintConnectTicket(SECRET, roomClaims({ party: "site", room, kind: "agent" }));
    expect((await refusal(openRoomSocket(rooms.host, "ticket", room, otherParty))).status).toBe(401);

    const noneAlg = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room }), { alg: "none" });
    expect((await refusal(openRoomSocket(rooms.host, "ticket", room, noneAlg))).status).toBe(401);

    const [header, , signature] = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room })).split(".");
    const tampered = `${header}.${Buffer.from(JSON.stringify(roomClaims({ party: "ticket", room, kind: "agent" }))).toString("base64url")}.${signature}`;
    expect((await refusal(openRoomSocket(rooms.host, "ticket", room, tampered))).status).toBe(401);

    expect((await refusal(openRoomSocket(rooms.host, "ticket", room, ""))).status).toBe(401);
  });

  it("trusts only the ticket, never a client-sent claims header", async () => {
    const room = freshRoom();
    const impersonated = JSON.stringify(roomClaims({ party: "ticket", room, ...agent }));
    const headers = { "x-parley-room-claims": impersonated };
    const noTicket = await refusal(openRoomSocket(rooms.host, "ticket", room, "", { headers }));
    expect(noTicket.status).toBe(401);

    const ticket = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room, ...visitor }));
    const vera = await openRoomSocket(rooms.host, "ticket", room, ticket, { headers });
    sockets.push(vera);
    expect((await vera.next(isType("presence.changed"))).participants).toEqual([asParticipant(visitor)]);
  });

  it("accepts a connect ticket once: a reused ticket is closed with 1008", async () => {
    const room = freshRoom();
    const ticket = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room, ...visitor }));
    const first = await openRoomSocket(rooms.host, "ticket", room, ticket);
    sockets.push(first);
    await first.next(isType("presence.changed"));

    const second = await openRoomSocket(rooms.host, "ticket", room, ticket);
    sockets.push(second);
    expect(await second.closed).toEqual({ code: 1008, reason: "connect ticket already used" });
    expect(await second.quiet(0)).toEqual([]);
  });

  it("still refuses a used connect ticket after everyone left the room", async () => {
    const room = freshRoom();
    const ticket = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room, ...visitor }));
    const first = await openRoomSocket(rooms.host, "ticket", room, ticket);
    await first.next(isType("presence.changed"));
    // The room is empty now: the in-process host drops it, PartyKit may evict it.
    await first.close();

    const replay = await openRoomSocket(rooms.host, "ticket", room, ticket);
    sockets.push(replay);
    // An admitted replay would hear presence; a refused one is closed.
    const admitted = replay.next(isType("presence.changed"), 10_000).then((frame) => ({ admitted: frame }));
    admitted.catch(() => undefined); // outlived by the close below, which is the expected outcome
    expect(await Promise.race([replay.closed, admitted])).toEqual({ code: 1008, reason: "connect ticket already used" });
  });

  it("refuses a visitor on the site room with 403 and admits agents", async () => {
    const site = freshRoom();
    const ticket = mintConnectTicket(SECRET, roomClaims({ party: "site", room: site, ...visitor }));
    expect((await refusal(openRoomSocket(rooms.host, "site", site, ticket))).status).toBe(403);

    const ada = await join("site", site, agent);
    expect((await ada.next(isType("presence.changed"))).participants).toEqual([asParticipant(agent)]);
  });

  it("checks the browser's Origin against the ticket's origins", async () => {
    const room = freshRoom();
    const origins = ["https://shop.example"];
    const ticket = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room, origins }));
    const refused = await refusal(openRoomSocket(rooms.host, "ticket", room, ticket, { origin: "https://evil.example" }));
    expect(refused.status).toBe(403);

    const allowed = await join("ticket", room, { origins }, { origin: "https://shop.example" });
    await allowed.next(isType("presence.changed"));
    const anywhere = await join("ticket", room, { origins: ["*"] }, { origin: "https://other.example" });
    await anywhere.next(isType("presence.changed"));
  });
});

describe("notifications from the API", () => {
  it("fans a signed message.created out to everyone in the room", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);
    const frame = { type: "message.created", message: message() } as const;

    const res = await notifyRoom({ url: rooms.url, party: "ticket", id: room }, { audience: "everyone", frame }, { secret: SECRET });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ delivered: 2 });
    expect(await vera.next(isType("message.created"))).toEqual(frame);
    expect(await ada.next(isType("message.created"))).toEqual(frame);
  });

  it("never delivers an agents-only frame, or an internal note, to a visitor", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);
    const target = { url: rooms.url, party: "ticket", id: room } as const;

    const agentsOnly: RoomNotify = { audience: "agents", frame: { type: "read.updated", side: "customer", seq: 3 } };
    const res = await notifyRoom(target, agentsOnly, { secret: SECRET });
    expect(await res.json()).toEqual({ delivered: 1 });
    expect(await ada.next(isType("read.updated"))).toEqual(agentsOnly.frame);

    // Even when a buggy caller says "everyone", an internal note stays with the agents.
    const note = { type: "message.created", message: message({ id: "note-1", seq: 2, internal: true }) } as const;
    expect(await (await notifyRoom(target, { audience: "everyone", frame: note }, { secret: SECRET })).json()).toEqual({ delivered: 1 });
    expect(await ada.next(isType("message.created"))).toEqual(note);

    expect(await vera.quiet(500, (frame) => frame.type !== "presence.changed")).toEqual([]);
  });

  it("delivers a visitors-only frame (the customer's numbering) to visitors alone, never a note", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);
    const target = { url: rooms.url, party: "ticket", id: room } as const;

    const forVisitors: RoomNotify = { audience: "visitors", frame: { type: "read.updated", side: "agent", seq: 2 } };
    expect(await (await notifyRoom(target, forVisitors, { secret: SECRET })).json()).toEqual({ delivered: 1 });
    expect(await vera.next(isType("read.updated"))).toEqual(forVisitors.frame);

    const note = { type: "message.created", message: message({ id: "note-2", seq: 3, internal: true }) } as const;
    expect(await (await notifyRoom(target, { audience: "visitors", frame: note }, { secret: SECRET })).json()).toEqual({ delivered: 1 });
    expect(await ada.next(isType("message.created"))).toEqual(note);

    expect(await vera.quiet(500, (frame) => frame.type !== "presence.changed")).toEqual([]);
    expect(await ada.quiet(0, isType("read.updated"))).toEqual([]);
  });

  it("refuses unsigned, forged, stale and malformed notifications", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const target = { url: rooms.url, party: "ticket", id: room } as const;
    const notify: RoomNotify = { audience: "everyone", frame: { type: "read.updated", side: "agent", seq: 1 } };
    const body = JSON.stringify(notify);
    const now = Math.floor(Date.now() / 1000);

    expect((await notifyRoom(target, notify, { secret: SECRET, signature: null })).status).toBe(401);
    expect((await notifyRoom(target, notify, { secret: "wrong-secret" })).status).toBe(401);
    expect((await notifyRoom(target, notify, { secret: SECRET, t: now - 3600 })).status).toBe(401);
    expect((await notifyRoom(target, notify, { secret: SECRET, t: now + 3600 })).status).toBe(401);
    const signedOtherBody = notifySignature(SECRET, { party: "ticket", room, body: body.replace('"seq":1', '"seq":2') });
    expect((await notifyRoom(target, notify, { secret: SECRET, signature: signedOtherBody })).status).toBe(401);
    const unauthorized = await notifyRoom(target, notify, { secret: "wrong-secret" });
    expect((await unauthorized.json()).error.code).toBe("unauthorized");

    expect((await notifyRoom(target, "{not json", { secret: SECRET })).status).toBe(400);
    expect((await notifyRoom(target, JSON.stringify({ audience: "all", frame: notify.frame }), { secret: SECRET })).status).toBe(400);
    const siteFrame = { audience: "everyone", frame: { type: "unread.changed", number: "TKT-2026-000001", unreadCount: 1 } };
    expect((await notifyRoom(target, JSON.stringify(siteFrame), { secret: SECRET })).status).toBe(400);

    expect((await fetch(`${rooms.url}/parties/ticket/${room}`)).status).toBe(405);
    expect(await vera.quiet(300, (frame) => frame.type !== "presence.changed")).toEqual([]);
  });

  it("refuses a notification signed for another room, or for the other party", async () => {
    const room = freshRoom();
    const other = freshRoom();
    const vera = await join("ticket", room, visitor);
    const notify: RoomNotify = { audience: "everyone", frame: { type: "read.updated", side: "agent", seq: 1 } };
    const body = JSON.stringify(notify);

    // Captured on its way to room `other`, then posted to `room`: the signature names `other`.
    const forOther = notifySignature(SECRET, { party: "ticket", room: other, body });
    const crossRoom = await notifyRoom({ url: rooms.url, party: "ticket", id: room }, body, { secret: SECRET, signature: forOther });
    expect(crossRoom.status).toBe(401);
    expect((await crossRoom.json()).error.code).toBe("unauthorized");
    const forSite = notifySignature(SECRET, { party: "site", room, body });
    expect((await notifyRoom({ url: rooms.url, party: "ticket", id: room }, body, { secret: SECRET, signature: forSite })).status).toBe(401);
    expect(await vera.quiet(300, (frame) => frame.type !== "presence.changed")).toEqual([]);

    // The same signature still works where it was meant to go.
    const intended = await notifyRoom({ url: rooms.url, party: "ticket", id: other }, body, { secret: SECRET, signature: forOther });
    expect(intended.status).toBe(202);
  });

  it("refuses a replayed nonce inside the window, and only accepts the first", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const target = { url: rooms.url, party: "ticket", id: room } as const;
    const notify: RoomNotify = { audience: "everyone", frame: { type: "read.updated", side: "agent", seq: 4 } };
    const signature = notifySignature(SECRET, { party: "ticket", room, body: JSON.stringify(notify) });

    expect(await (await notifyRoom(target, notify, { secret: SECRET, signature })).json()).toEqual({ delivered: 1 });
    expect(await vera.next(isType("read.updated"))).toEqual(notify.frame);
    const replay = await notifyRoom(target, notify, { secret: SECRET, signature });
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.message).toMatch(/nonce already used/);
    // A fresh nonce for the same body is a new notification.
    expect((await notifyRoom(target, notify, { secret: SECRET })).status).toBe(202);
    expect(await vera.next(isType("read.updated"))).toEqual(notify.frame);
    expect(await vera.quiet(300, (frame) => frame.type !== "presence.changed")).toEqual([]);
  });

  it("still refuses a revoked person's older ticket after the room emptied and was made anew", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);
    await vera.next((frame) => frame.type === "presence.changed" && frame.participants.length === 2);
    const unused = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room, ...agent }));

    const revoked = await notifyRoom({ url: rooms.url, party: "ticket", id: room }, { type: "member.revoked", userId: agent.sub }, { secret: SECRET });
    expect(await revoked.json()).toEqual({ revoked: 1 });
    expect(await ada.closed).toEqual({ code: 1008, reason: "access revoked" });
    // The last one leaves: the room is empty (an in-process room is dropped here and made anew below).
    await vera.close();
    const frame = { type: "read.updated", side: "agent", seq: 1 } as const;
    expect(await (await notifyRoom({ url: rooms.url, party: "ticket", id: room }, { audience: "everyone", frame }, { secret: SECRET })).json()).toEqual({ delivered: 0 });

    const late = await openRoomSocket(rooms.host, "ticket", room, unused);
    sockets.push(late);
    expect(await late.closed).toEqual({ code: 1008, reason: "access revoked" });
    // Someone else still gets in.
    const again = await join("ticket", room, { sub: "visitor-2", kind: "visitor", name: "Vic" });
    expect((await again.next(isType("presence.changed"))).participants).toEqual([{ userId: "visitor-2", kind: "visitor", name: "Vic" }]);
  });

  it("closes every socket of a revoked person and refuses their tickets minted before it", async () => {
    const room = freshRoom();
    const site = freshRoom();
    const vera = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);
    const adaTab = await join("ticket", room, agent);
    const adaInbox = await join("site", site, agent);
    await vera.next((frame) => frame.type === "presence.changed" && frame.participants.length === 2);
    const unused = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room, ...agent }));

    const revoked = await notifyRoom({ url: rooms.url, party: "ticket", id: room }, { type: "member.revoked", userId: agent.sub }, { secret: SECRET });
    expect(revoked.status).toBe(202);
    expect(await revoked.json()).toEqual({ revoked: 2 });
    expect(await ada.closed).toEqual({ code: 1008, reason: "access revoked" });
    expect(await adaTab.closed).toEqual({ code: 1008, reason: "access revoked" });
    expect((await vera.next(isType("presence.changed"))).participants).toEqual([asParticipant(visitor)]);

    const siteRes = await notifyRoom({ url: rooms.url, party: "site", id: site }, { type: "member.revoked", userId: agent.sub }, { secret: SECRET });
    expect(await siteRes.json()).toEqual({ revoked: 1 });
    expect(await adaInbox.closed).toEqual({ code: 1008, reason: "access revoked" });

    // A connect ticket the API minted before the revocation is still inside its minute: refused.
    const late = await openRoomSocket(rooms.host, "ticket", room, unused);
    sockets.push(late);
    expect(await late.closed).toEqual({ code: 1008, reason: "access revoked" });
    // The visitor was never touched and still hears the room.
    const frame = { type: "read.updated", side: "agent", seq: 9 } as const;
    expect(await (await notifyRoom({ url: rooms.url, party: "ticket", id: room }, { audience: "everyone", frame }, { secret: SECRET })).json()).toEqual({ delivered: 1 });
    expect(await vera.next(isType("read.updated"))).toEqual(frame);
  });

  it("relays site frames to the inbox without stripping agent fields", async () => {
    const site = freshRoom();
    const ada = await join("site", site, agent);
    const ticket: AgentTicket = {
      number: "TKT-2026-000042",
      subject: "Refund",
      description: "Please refund my order",
      status: "open",
      priority: "high",
      source: "widget",
      category: null,
      messageCount: 1,
      lastMessageAt: null,
      unreadCount: 1,
      readSeq: 0,
      agentReadSeq: 0,
      rating: null,
      ratingComment: null,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      resolvedAt: null,
      closedAt: null,
      handedOffAt: null,
      id: "ticket-42",
      siteId: site,
      tags: ["billing"],
      tier: 1,
      assigneeId: null,
      departmentId: null,
      customer: { visitorId: "visitor-1", name: "Vera", email: null, verified: false, nameVerified: false, emailVerified: false, pageUrl: null, locale: null },
      firstResponseDueAt: null,
      resolutionDueAt: null,
      firstResponseAt: null,
      escalatedAt: null,
      slaState: "ok",
      slaDueAt: null,
      slaWarnAt: null,
      slaPausedAt: null,
      breached: false,
      firstResponseBreachedAt: null,
      resolutionBreachedAt: null,
    };
    const frame = { type: "ticket.updated", ticket } as const;
    const res = await notifyRoom({ url: rooms.url, party: "site", id: site }, { audience: "agents", frame }, { secret: SECRET });
    expect(await res.json()).toEqual({ delivered: 1 });
    expect(await ada.next(isType("ticket.updated"))).toEqual(frame);
  });
});

describe("client frames", () => {
  it("answers a bad frame with an error to that socket only", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);
    await vera.next(isType("presence.changed"));

    vera.ws.send("not json");
    expect(await vera.next(isType("error"))).toMatchObject({ type: "error", code: "bad_frame" });
    vera.ws.send(JSON.stringify({ type: "message.send", body: "hi" }));
    expect(await vera.next(isType("error"))).toMatchObject({ type: "error", code: "bad_frame" });
    vera.ws.send(JSON.stringify({ type: "typing.set", typing: "yes" }));
    expect(await vera.next(isType("error"))).toMatchObject({ type: "error", code: "bad_frame", message: expect.stringMatching(/typing/) });

    expect(await ada.quiet(300, isType("error"))).toEqual([]);
    expect(vera.ws.readyState).toBe(vera.ws.OPEN);
  });

  it("accepts no client frames on the site room", async () => {
    const ada = await join("site", freshRoom(), agent);
    ada.ws.send(JSON.stringify({ type: "typing.set", typing: true }));
    expect(await ada.next(isType("error"))).toMatchObject({ code: "bad_frame" });
  });

  it("closes an oversized frame with too_large and 1008", async () => {
    const vera = await join("ticket", freshRoom(), visitor);
    vera.ws.send(JSON.stringify({ type: "typing.set", typing: true, padding: "x".repeat(MAX_CLIENT_FRAME_BYTES) }));
    expect(await vera.next(isType("error"))).toMatchObject({ code: "too_large" });
    expect((await vera.closed).code).toBe(1008);
  });

  it("closes a flooding connection with rate_limited and 1008, and drops it from presence", async () => {
    const room = freshRoom();
    const ada = await join("ticket", room, agent);
    const vera = await join("ticket", room, visitor);
    await ada.next((frame) => frame.type === "presence.changed" && frame.participants.length === 2);
    for (let i = 0; i < 40; i++) vera.ws.send(JSON.stringify({ type: "typing.set", typing: false }));
    expect(await vera.next(isType("error"))).toMatchObject({ code: "rate_limited" });
    expect((await vera.closed).code).toBe(1008);
    expect((await ada.next(isType("presence.changed"))).participants).toEqual([asParticipant(agent)]);
  });
});

describe("typing", () => {
  it("tells the others, not the typist's own tabs, and throttles repeats", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const veraTab = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);

    for (let i = 0; i < 3; i++) vera.ws.send(JSON.stringify({ type: "typing.set", typing: true }));
    expect(await ada.next(isType("typing.changed"))).toEqual({
      type: "typing.changed",
      participant: asParticipant(visitor),
      typing: true,
    });
    expect(await ada.quiet(500, isType("typing.changed"))).toEqual([]);
    expect(await vera.quiet(0, isType("typing.changed"))).toEqual([]);
    expect(await veraTab.quiet(0, isType("typing.changed"))).toEqual([]);

    // typing: false is never throttled.
    vera.ws.send(JSON.stringify({ type: "typing.set", typing: false }));
    expect(await ada.next(isType("typing.changed"))).toMatchObject({ typing: false });
  });

  it("expires an indicator that is not refreshed", { timeout: 15_000 }, async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);

    const started = Date.now();
    ada.ws.send(JSON.stringify({ type: "typing.set", typing: true }));
    expect(await vera.next(isType("typing.changed"))).toMatchObject({ typing: true, participant: asParticipant(agent) });
    expect(await vera.next(isType("typing.changed"), TYPING_EXPIRY_MS + 3000)).toMatchObject({
      typing: false,
      participant: asParticipant(agent),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TYPING_EXPIRY_MS - 500);
  });

  it("clears a typist who leaves", async () => {
    const room = freshRoom();
    const vera = await join("ticket", room, visitor);
    const ada = await join("ticket", room, agent);
    ada.ws.send(JSON.stringify({ type: "typing.set", typing: true }));
    await vera.next(isType("typing.changed"));
    await ada.close();
    expect(await vera.next(isType("typing.changed"))).toMatchObject({ typing: false, participant: asParticipant(agent) });
  });
});

// What happens without a configured secret differs by runtime, and each runtime's answer is tested.
describe.runIf(roomsRuntime === "partykit")("partykit dev without a room secret", () => {
  it("refuses connections and notifications with 500", { timeout: 60_000 }, async () => {
    const bare = await startPartykit({ secret: null });
    try {
      const room = freshRoom();
      const ticket = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room }));
      const refused = await refusal(openRoomSocket(bare.host, "ticket", room, ticket));
      expect(refused.status).toBe(500);
      expect(refused.body).toMatch(/PARLEY_ROOM_SECRET/);
      const notify: RoomNotify = { audience: "everyone", frame: { type: "read.updated", side: "agent", seq: 1 } };
      expect((await notifyRoom({ url: bare.url, party: "ticket", id: room }, notify, { secret: SECRET })).status).toBe(500);
    } finally {
      await bare.stop();
    }
  });
});

// In-process rooms cannot lack a secret: the API makes one (mode 600) beside its database.
describe.runIf(roomsRuntime === "inprocess")("in-process rooms without PARLEY_ROOM_SECRET", () => {
  it("use the secret the API created for itself, and refuse tickets signed with anything else", { timeout: 60_000 }, async () => {
    const api = await startApi({ runtime: "node" });
    try {
      const file = `${dirname(api.dbFile)}/parley.room-secret`;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const own = readFileSync(file, "utf8").trim();
      expect(own).toMatch(/^[0-9a-f]{64}$/);
      const host = new URL(api.url).host;
      const room = freshRoom();
      const foreign = mintConnectTicket(SECRET, roomClaims({ party: "ticket", room }));
      expect((await refusal(openRoomSocket(host, "ticket", room, foreign))).status).toBe(401);
      const notify: RoomNotify = { audience: "everyone", frame: { type: "read.updated", side: "agent", seq: 1 } };
      const vera = await openRoomSocket(host, "ticket", room, mintConnectTicket(own, roomClaims({ party: "ticket", room, ...visitor })));
      try {
        await vera.next(isType("presence.changed"));
        expect((await notifyRoom({ url: api.url, party: "ticket", id: room }, notify, { secret: SECRET })).status).toBe(401);
        expect(await (await notifyRoom({ url: api.url, party: "ticket", id: room }, notify, { secret: own })).json()).toEqual({ delivered: 1 });
        expect(await vera.next(isType("read.updated"))).toEqual(notify.frame);
      } finally {
        await vera.close();
      }
    } finally {
      await api.stop();
    }
  });
});
