import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RealtimeToken } from "../../protocol/index.js";
import { EmailSigner } from "../../server/delivery/email/signed-links.js";
import { apiClient, type ApiClient } from "../support/client.js";
import { openRoomSocket, startPartykit, type RunningPartykit } from "../support/partykit.js";
import { startApi, TEST_SECRET, type RunningApi } from "../support/server.js";

/** An email reply reaches the agent who has the ticket open, live, through the real rooms. */
const ROOM_SECRET = "room-secret-for-tests-0123456789abcdef";
const INBOUND_SECRET = "inbound-secret-for-tests-0123456789abcdef";

let rooms: RunningPartykit;
let api: RunningApi;
let client: ApiClient;

beforeAll(async () => {
  rooms = await startPartykit({ secret: ROOM_SECRET });
  api = await startApi({
    runtime: "node",
    env: { PARLEY_REALTIME_URL: rooms.url, PARLEY_ROOM_SECRET: ROOM_SECRET, PARLEY_INBOUND_SECRET: INBOUND_SECRET, PARLEY_MAIL_FROM: "support@parley.test" },
  });
  client = apiClient(api.url);
});
afterAll(async () => {
  await api?.stop();
  await rooms?.stop();
});

describe("an inbound email reply, live", () => {
  it("reaches an agent's ticket-room socket as message.created from the customer", async () => {
    const agent = await client.login("ada@parley.test");
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token, { email: "live@example.com" });
    const connect = await client.call<RealtimeToken>("POST", "/v1/realtime/token", { token: agent.token, body: { ticket: number } });
    expect(connect.status).toBe(200);
    const socket = await openRoomSocket(rooms.host, "ticket", connect.body.room, connect.body.token);
    try {
      const replyTo = new EmailSigner(TEST_SECRET, "parley.test").replyAddress(number, "live@example.com", Date.now());
      const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
      const { message } = await composer.sendMail({ from: "Live Customer <live@example.com>", to: replyTo, subject: "Re: help", text: "Replying by email.\n\n> quoted" });
      const res = await fetch(`${api.url}/v1/inbound/email`, {
        method: "POST",
        headers: { "content-type": "message/rfc822", authorization: `Bearer ${INBOUND_SECRET}` },
        body: new Uint8Array(message as Buffer),
      });
      expect(res.status).toBe(201);
      const frame = await socket.next((f) => f.type === "message.created", 15_000);
      expect(frame).toMatchObject({ type: "message.created", message: { seq: 1, senderType: "customer", senderName: "Live Customer", body: "Replying by email.", internal: false } });
    } finally {
      await socket.close();
    }
  });
});
