import { describe, expect, it } from "vitest";
import { RoomFrameNotifySchema } from "../../../protocol/index.js";
import { ticketSnapshot } from "../../domain/snapshot-fixture.js";
import { roomEntriesOf } from "./room-entries.js";

describe("room entries of a message", () => {
  const message = { id: "m1", seq: 4, clientId: "c1", senderType: "customer" as const, senderName: "Rosa", body: "hello", internal: false, attachments: [], createdAt: "2026-01-01T00:00:00.000Z" };

  it("are one per room, each room's frames in order: both copies of the message, then the card and the unread count", () => {
    const ticket = ticketSnapshot({ id: "t1", siteId: "s1" });
    const entries = roomEntriesOf({ type: "message.created", ticket, message, visibleSeq: 3, senderType: "customer" });
    expect(entries.map((e) => [e.target, e.ticketId, e.eventType])).toEqual([
      ["ticket:t1", "t1", "message.created"],
      ["site:s1", "t1", "message.created"],
    ]);
    expect(entries[0]!.payload).toEqual([
      { audience: "agents", frame: { type: "message.created", message } },
      { audience: "visitors", frame: { type: "message.created", message: { ...message, seq: 3 } } },
    ]);
    expect(entries[1]!.payload).toEqual([
      { audience: "agents", build: { kind: "agent-ticket", frameType: "ticket.updated", ticketId: "t1" } },
      { audience: "agents", build: { kind: "agent-unread", ticketId: "t1" } },
    ]);
  });

  it("keep a single frame as it is: a note reaches the team's copy only, and an agent's reply moves no unread count", () => {
    const ticket = ticketSnapshot({ id: "t1", siteId: "s1" });
    const note = { ...message, internal: true, senderType: "agent" as const };
    const entries = roomEntriesOf({ type: "message.created", ticket, message: note, visibleSeq: null, senderType: "agent" });
    expect(entries.map((e) => e.payload)).toEqual([
      { audience: "agents", frame: { type: "message.created", message: note } },
      { audience: "agents", build: { kind: "agent-ticket", frameType: "ticket.updated", ticketId: "t1" } },
    ]);
  });
});

describe("room entries of ticket.unrouted", () => {
  it("tell the agents of the ticket's site room, and nobody in the ticket's own room", () => {
    const ticket = ticketSnapshot({ siteId: "s1" });
    const entries = roomEntriesOf({ type: "ticket.unrouted", ticket, reason: "no agent available" });
    expect(entries).toEqual([
      {
        channel: "room",
        target: "site:s1",
        eventType: "ticket.unrouted",
        ticketId: ticket.id,
        payload: { audience: "agents", frame: { type: "ticket.unrouted", number: ticket.number, reason: "no agent available" } },
      },
    ]);
    // What the room will accept: the frame the site room protocol defines.
    expect(RoomFrameNotifySchema.safeParse(entries[0]!.payload).success).toBe(true);
  });
});
