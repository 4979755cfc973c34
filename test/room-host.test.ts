import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../protocol/index.js";
import { mintConnectTicket, openRoomSocket, roomClaims, type RoomSocket } from "./support/partykit.js";
import { hostRoomsOnNode, type NodeRooms } from "../server/rooms/node-rooms.js";
import { RoomHost } from "../server/rooms/room-host.js";

/** The host on a real Node server with real ws clients; the in-process hand-over is called as the API calls it. */
const SECRET = "room-host-test-secret-0123456789abcdef";
const logged: string[] = [];
let host: RoomHost;
let server: Server;
let sockets: NodeRooms;
let address: string;

beforeAll(async () => {
  host = new RoomHost({ env: { PARLEY_ROOM_SECRET: SECRET }, log: (message) => logged.push(message) });
  server = createServer((_, res) => res.writeHead(404).end());
  sockets = hostRoomsOnNode(server, host, (message) => logged.push(message));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sockets.stop();
  await new Promise((resolve) => server.close(resolve));
});

const join = async (room: string, kind: "visitor" | "agent"): Promise<RoomSocket> => {
  const socket = await openRoomSocket(address, "ticket", room, mintConnectTicket(SECRET, roomClaims({ party: "ticket", room, kind, sub: `${kind}-1` })));
  await socket.next((frame) => frame.type === "presence.changed");
  return socket;
};

const note: Message = {
  id: "note-1",
  seq: 1,
  clientId: "c-1",
  senderType: "agent",
  senderName: "Ada",
  body: "VIP customer",
  internal: true,
  attachments: [],
  createdAt: new Date().toISOString(),
};

describe("RoomHost", () => {
  it("relays in-process by the room's own rules: an internal note reaches agents only, whatever the audience says", async () => {
    const vera = await join("t-1", "visitor");
    const ada = await join("t-1", "agent");
    await vera.next((frame) => frame.type === "presence.changed");
    expect(host.relay("ticket", "t-1", { audience: "everyone", frame: { type: "message.created", message: note } })).toBe(1);
    expect((await ada.next((frame) => frame.type === "message.created")).message.id).toBe("note-1");
    expect(host.relay("ticket", "t-1", { audience: "everyone", frame: { type: "read.updated", side: "agent", seq: 1 } })).toBe(2);
    // Frames of one room leave in order: the read mark is the first thing Vera hears after presence.
    expect(await vera.next((frame) => frame.type !== "presence.changed")).toEqual({ type: "read.updated", side: "agent", seq: 1 });
    await vera.close();
    await ada.close();
  });

  it("does nothing for a room nobody is in, and drops a room once its last socket has gone", async () => {
    expect(host.relay("ticket", "t-empty", { audience: "everyone", frame: { type: "read.updated", side: "agent", seq: 1 } })).toBeNull();
    expect(host.isOpen("ticket", "t-empty")).toBe(false);
    const vera = await join("t-2", "visitor");
    expect(host.isOpen("ticket", "t-2")).toBe(true);
    await vera.close();
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 5_000;
      const check = () => (!host.isOpen("ticket", "t-2") ? resolve() : Date.now() > deadline ? reject(new Error("room t-2 was never dropped")) : setImmediate(check));
      check();
    });
    expect(logged).toEqual([]);
  });
});
