import { describe, expect, it } from "vitest";
import type { RoomNotify } from "../../../protocol/index.js";
import type { OutboxEntry } from "../channel.js";
import { createRoomChannel } from "./room-channel.js";

const notify: RoomNotify = { audience: "everyone", frame: { type: "read.updated", side: "agent", seq: 3 } };
const entry = (target: string, payload: unknown): OutboxEntry => ({ id: 1, channel: "room", target, eventType: "read.updated", payload, ticketId: "t1", attempts: 0, createdAt: 0 });

describe("the room channel", () => {
  it("posts the stored notify to the room its target names", async () => {
    const sent: [string, string, RoomNotify][] = [];
    const channel = createRoomChannel(async (party, room, n) => void sent.push([party, room, n]));
    expect(await channel.deliver(entry("ticket:t1", notify))).toEqual({ ok: true });
    expect(await channel.deliver(entry("site:s1", notify))).toEqual({ ok: true });
    expect(sent).toEqual([
      ["ticket", "t1", notify],
      ["site", "s1", notify],
    ]);
  });

  it("retries a room that failed, and gives up at once on what can never be delivered", async () => {
    const channel = createRoomChannel(async () => {
      throw new Error("room answered 503");
    });
    expect(await channel.deliver(entry("ticket:t1", notify))).toEqual({ ok: false, error: "room answered 503" });
    expect(await channel.deliver(entry("elsewhere", notify))).toMatchObject({ ok: false, permanent: true });
    expect(await channel.deliver(entry("ticket:t1", { frame: "nope" }))).toMatchObject({ ok: false, permanent: true });
  });
});
