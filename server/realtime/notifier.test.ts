import { describe, expect, it } from "vitest";
import type { RoomNotify } from "../../protocol/index.js";
import { createNotifier, type Party, type RoomDelivery } from "./notifier.js";

const frame = (seq: number): RoomNotify => ({ audience: "everyone", frame: { type: "read.updated", side: "agent", seq } });

/** A delivery that records what reached which room, with rooms open as the test says. */
function recordingDelivery(open: (party: Party, room: string) => boolean = () => true) {
  const delivered: string[] = [];
  const delivery: RoomDelivery = {
    reachable: open,
    async deliver(party, room, notify) {
      const seq = "frame" in notify && notify.frame.type === "read.updated" ? notify.frame.seq : "?";
      delivered.push(`${party}/${room}#${seq}`);
    },
  };
  return { delivered, delivery };
}

describe("createNotifier", () => {
  it("delivers one room's frames in the order they were sent, even when an earlier frame is produced later", async () => {
    const errors: string[] = [];
    const { delivered, delivery } = recordingDelivery();
    const notifier = createNotifier(delivery, (message) => errors.push(message));
    let release = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    void notifier.send("site", "s1", async () => {
      await slow;
      return frame(1);
    });
    void notifier.send("site", "s1", frame(2));
    void notifier.send("ticket", "t1", frame(3));
    // The other room does not wait for s1's slow frame.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(delivered).toEqual(["ticket/t1#3"]);
    release();
    await notifier.idle();
    expect(delivered).toEqual(["ticket/t1#3", "site/s1#1", "site/s1#2"]);
    expect(errors).toEqual([]);
  });

  it("does no work at all for a room nobody can be listening in", async () => {
    const { delivered, delivery } = recordingDelivery((party) => party === "ticket");
    const notifier = createNotifier(delivery, () => undefined);
    let produced = 0;
    await notifier.send("site", "s1", async () => {
      produced += 1;
      return frame(1);
    });
    await notifier.send("ticket", "t1", frame(2));
    expect(produced).toBe(0);
    expect(delivered).toEqual(["ticket/t1#2"]);
  });

  it("logs a frame that could not be produced and still delivers the ones after it", async () => {
    const errors: string[] = [];
    const { delivered, delivery } = recordingDelivery();
    const notifier = createNotifier(delivery, (message, error) => errors.push(`${message}: ${(error as Error).message}`));
    void notifier.send("site", "s1", async () => {
      throw new Error("read failed");
    });
    void notifier.send("site", "s1", frame(2));
    await notifier.idle();
    expect(errors).toEqual(["notify /parties/site/s1 failed: read failed"]);
    expect(delivered).toEqual(["site/s1#2"]);
  });
});
