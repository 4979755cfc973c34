import { describe, expect, it } from "vitest";
import type { RoomNotify } from "../../protocol/index.js";
import type { RoomDelivery } from "../realtime/notifier.js";
import { liveDrafts } from "./live-drafts.js";

/** A room that holds each delivery until the test lets it go. */
function heldRoom(reachable = true) {
  const delivered: string[] = [];
  const waiting: Array<() => void> = [];
  const delivery: RoomDelivery = {
    reachable: () => reachable,
    deliver: (_party, _room, notify: RoomNotify) =>
      new Promise<void>((resolve) => {
        if ("frame" in notify && notify.frame.type === "assistant.draft") delivered.push(notify.frame.text);
        waiting.push(resolve);
      }),
  };
  return { delivery, delivered, release: () => waiting.shift()?.() };
}

describe("live drafts", () => {
  it("keeps one draft in flight per ticket and sends only the newest text after it", async () => {
    const room = heldRoom();
    const drafts = liveDrafts(room.delivery, () => undefined);
    drafts.show("t1", "A");
    drafts.show("t1", "AB");
    drafts.show("t1", "ABC");
    drafts.show("t2", "X");
    expect(room.delivered).toEqual(["A", "X"]);
    room.release();
    await expect.poll(() => room.delivered).toEqual(["A", "X", "ABC"]);
    let settled = false;
    const done = drafts.settled("t1").then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    room.release(); // X
    room.release(); // ABC
    await done;
    expect(settled).toBe(true);
  });

  it("sends nothing to a room nobody can be in, and logs a failed delivery without throwing", async () => {
    const empty = heldRoom(false);
    liveDrafts(empty.delivery, () => undefined).show("t1", "A");
    expect(empty.delivered).toEqual([]);
    const logged: string[] = [];
    const failing = liveDrafts({ reachable: () => true, deliver: () => Promise.reject(new Error("room down")) }, (message) => logged.push(message));
    failing.show("t1", "A");
    await failing.settled("t1");
    expect(logged).toEqual(["assistant draft for ticket room t1 failed"]);
  });
});
