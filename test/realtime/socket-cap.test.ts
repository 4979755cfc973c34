import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CONNECTIONS_PER_USER, type RoomClaims } from "../../protocol/realtime.js";
import { mintConnectTicket, openRoomSocket, roomClaims, startPartykit, type RoomSocket, type RunningPartykit } from "../support/partykit.js";

/** The rooms hold at most MAX_CONNECTIONS_PER_USER sockets per person; one more is closed on arrival. */

const SECRET = "room-secret-for-socket-cap-0123456789ab";
let partykit: RunningPartykit;
const sockets: RoomSocket[] = [];

beforeAll(async () => {
  partykit = await startPartykit({ secret: SECRET });
}, 60_000);

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await partykit?.stop();
});

const isType = (type: string) => (frame: { type: string }) => frame.type === type;

async function connect(party: RoomClaims["party"], room: string, who: Partial<RoomClaims>): Promise<RoomSocket> {
  const socket = await openRoomSocket(partykit.host, party, room, mintConnectTicket(SECRET, roomClaims({ party, room, ...who })));
  sockets.push(socket);
  return socket;
}

/** Connects and waits until the room has seated the connection (it answers with presence). */
async function seated(party: RoomClaims["party"], room: string, who: Partial<RoomClaims>): Promise<RoomSocket> {
  const socket = await connect(party, room, who);
  await socket.next(isType("presence.changed"));
  return socket;
}

describe("connections per person", () => {
  it("closes a visitor's connection beyond the cap with rate_limited and 1008, and seats one again once a tab closes", async () => {
    const room = `room-${randomUUID().slice(0, 8)}`;
    const vera = { sub: "visitor-cap", kind: "visitor", name: "Vera" } as const;
    const tabs: RoomSocket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) tabs.push(await seated("ticket", room, vera));

    const extra = await connect("ticket", room, vera);
    expect(await extra.next(isType("error"))).toMatchObject({ type: "error", code: "rate_limited" });
    expect((await extra.closed).code).toBe(1008);

    // Someone else in the same room is not affected by Vera's cap, and Vera is there once.
    const ada = await connect("ticket", room, { sub: "agent-cap", kind: "agent", name: "Ada" });
    const presence = await ada.next(isType("presence.changed"));
    expect(presence.participants.map((p: { userId: string }) => p.userId)).toEqual(["agent-cap", "visitor-cap"]);

    // The room answers a client's close only after dropping the connection, so the slot is free now.
    await tabs[0]!.close();
    const again = await seated("ticket", room, vera);
    expect(again.ws.readyState).toBe(again.ws.OPEN);
  });

  it("caps agents in the site room the same way", async () => {
    const room = `site-${randomUUID().slice(0, 8)}`;
    const ada = { sub: "agent-site-cap", kind: "agent", name: "Ada" } as const;
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) await seated("site", room, ada);
    const extra = await connect("site", room, ada);
    expect(await extra.next(isType("error"))).toMatchObject({ code: "rate_limited" });
    expect((await extra.closed).code).toBe(1008);
  });
});
