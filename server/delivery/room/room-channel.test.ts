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

  it("posts the parts of an entry to its room in order, building the ones stored as builds", async () => {
    const sent: [string, RoomNotify][] = [];
    const built: RoomNotify = { audience: "agents", frame: { type: "unread.changed", number: "TKT-1", unreadCount: 2 } };
    const channel = createRoomChannel(async (_party, room, n) => void sent.push([room, n]), { complete: async () => built });
    const build = { audience: "agents" as const, build: { kind: "agent-unread" as const, ticketId: "t1" } };
    expect(await channel.deliver(entry("site:s1", [notify, build]))).toEqual({ ok: true });
    expect(sent).toEqual([
      ["s1", notify],
      ["s1", built],
    ]);
    // A build needs a builder: without one the entry can never go out, so it is dead at once, and nothing is sent.
    sent.length = 0;
    const builderless = createRoomChannel(async (_party, room, n) => void sent.push([room, n]));
    expect(await builderless.deliver(entry("site:s1", [notify, build]))).toMatchObject({ ok: false, permanent: true });
    expect(sent).toEqual([]);
  });

  it("tells nobody in an empty room, except of a revocation among the parts", async () => {
    const sent: RoomNotify[] = [];
    const channel = createRoomChannel(async (_party, _room, n) => void sent.push(n), { reachable: () => false });
    expect(await channel.deliver(entry("ticket:t1", [notify, notify]))).toEqual({ ok: true, note: "nobody in the room" });
    const revoked: RoomNotify = { type: "member.revoked", userId: "a1" };
    expect(await channel.deliver(entry("ticket:t1", [notify, revoked]))).toEqual({ ok: true });
    expect(sent).toEqual([notify, revoked]);
  });

  it("retries a room that failed, and gives up at once on what can never be delivered", async () => {
    const channel = createRoomChannel(async () => {
      throw new Error("room answered 503");
    });
    expect(await channel.deliver(entry("ticket:t1", notify))).toEqual({ ok: false, error: "room answered 503" });
    expect(await channel.deliver(entry("elsewhere", notify))).toMatchObject({ ok: false, permanent: true });
    expect(await channel.deliver(entry("ticket:t1", { frame: "nope" }))).toMatchObject({ ok: false, permanent: true });
    expect(await channel.deliver(entry("ticket:t1", []))).toMatchObject({ ok: false, permanent: true });
  });
});
