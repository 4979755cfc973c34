import { describe, expect, it } from "vitest";
import type { RealtimeToken } from "../../protocol/index.js";
import { apiClient } from "../support/client.js";
import { HandshakeRefused, openRoomSocket } from "../support/partykit.js";
import { roomsRuntime, startRealtimeStack } from "../support/rooms.js";

/**
 * The API on Bun and Deno with the rooms of this project's runtime: in-process, each runtime
 * hosts them on its own port through its own WebSocket server (Bun.serve, Deno.upgradeWebSocket);
 * on partykit dev, each runtime notifies them over HTTP. Node is covered by the rest of the suite.
 */
const SECRET = "room-secret-for-runtime-rooms-0123456789";

describe.each(["bun", "deno"] as const)("rooms with the API on %s", (runtime) => {
  it(`admits a visitor, refuses a forged ticket and delivers a message live (${roomsRuntime})`, { timeout: 90_000 }, async () => {
    const stack = await startRealtimeStack({ secret: SECRET, runtime });
    try {
      const client = apiClient(stack.api.url);
      const visitor = await client.visitor();
      const { number } = await client.ticket(visitor.token);
      const res = await client.call<RealtimeToken>("POST", "/v1/realtime/token", { token: visitor.token, body: { ticket: number } });
      expect(res.status).toBe(200);
      const { host, party, room, token } = res.body;
      expect(new URL(host).host).toBe(stack.rooms.host);

      const [header, payload, signature] = token.split(".") as [string, string, string];
      const tampered = `${header}.${payload}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
      const forged = await openRoomSocket(stack.rooms.host, party, room, tampered).then(
        () => null,
        (error: unknown) => error,
      );
      expect(forged).toBeInstanceOf(HandshakeRefused);
      expect((forged as HandshakeRefused).status).toBe(401);

      const socket = await openRoomSocket(stack.rooms.host, party, room, token);
      try {
        expect((await socket.next((frame) => frame.type === "presence.changed", 10_000)).participants).toHaveLength(1);
        const sent = await client.call("POST", `/v1/tickets/${number}/messages`, { token: visitor.token, body: { body: `hello from ${runtime}`, clientId: `rt-${runtime}-1` } });
        expect(sent.status).toBe(201);
        const frame = await socket.next((f) => f.type === "message.created", 10_000);
        expect(frame.message).toMatchObject({ body: `hello from ${runtime}`, seq: 1 });
        socket.ws.send(JSON.stringify({ type: "typing.set", typing: "yes" }));
        expect(await socket.next((f) => f.type === "error", 10_000)).toMatchObject({ code: "bad_frame" });
      } finally {
        await socket.close();
      }
    } finally {
      await stack.stop();
    }
  });
});
