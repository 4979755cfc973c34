import { describe, expect, it } from "vitest";
import { RoomFrameNotifySchema } from "../../../protocol/index.js";
import { ticketSnapshot } from "../../domain/snapshot-fixture.js";
import { roomEntriesOf } from "./room-entries.js";

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
