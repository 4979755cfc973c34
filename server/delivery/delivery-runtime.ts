import type { Database } from "../db/client.js";
import type { StoredOutboxEntry } from "../db/outbox.js";
import type { HandOver } from "../db/outbox.js";
import type { CategoryTable } from "../db/reference-cache.js";
import type { RoomDelivery } from "../realtime/notifier.js";
import type { Channel, NewOutboxEntry } from "./channel.js";
import { createDispatcher, type Dispatcher, type DispatcherOptions } from "./dispatcher.js";
import { createRoomChannel } from "./room/room-channel.js";
import { roomFrameBuilder } from "./room/room-frames.js";
import { isRevocation } from "./room/room-payload.js";

/**
 * What a command needs of delivery: which channels this server delivers (entries for no
 * channel here are not written: with the rooms off there is nobody to tell), the hand-over
 * its entries are written under, and the wake-up after the commit.
 */
export interface Outbox {
  /**
   * Whether to write this entry at all: its channel is delivered here, and for the rooms, the
   * room may have someone in it (an in-process room nobody is in hears nothing; whoever joins
   * later catches up over HTTP from their last seq, as they always do).
   */
  accepts(entry: NewOutboxEntry): boolean;
  readonly handOver: HandOver | null;
  wake(entries: readonly StoredOutboxEntry[]): void;
}

export interface DeliveryRuntime extends Outbox {
  /** Null when this server delivers no channel at all. */
  readonly dispatcher: Dispatcher | null;
  start(): Promise<void>;
  /** Delivers what is in hand, marks it, and lets go of the rest (for another server, or the next start). */
  stop(): Promise<void>;
  /** Resolves once everything handed over so far is delivered and marked. */
  idle(): Promise<void>;
}

export interface DeliveryRuntimeOptions {
  db: Database;
  /** The rooms' delivery (in-process host or signed PartyKit POSTs), or null when realtime is off. */
  rooms: RoomDelivery | null;
  categories: () => Promise<CategoryTable>;
  log: (message: string, error?: unknown) => void;
  /** The server's clock, for the SLA state the site room's ticket cards show (the wall clock by default). */
  now?: () => number;
  /** The webhook channel (SSRF guard, signing), or null where this server sends no webhooks. */
  webhooks?: Channel | null;
  /** The email channel, or null where this server sends no email. */
  email?: Channel | null;
  /** Dispatcher settings beyond the channels (tests shorten the poll). */
  dispatcher?: Omit<DispatcherOptions, "db" | "channels" | "log">;
}

/**
 * The channels this server delivers: the room channel when rooms are configured, and the
 * webhook and email channels when given.
 */
export function deliveryChannels(options: DeliveryRuntimeOptions): Channel[] {
  const channels: Channel[] = [];
  const rooms = options.rooms;
  if (rooms) {
    channels.push(
      createRoomChannel((party, room, notify) => rooms.deliver(party, room, notify), {
        reachable: (party, room) => rooms.reachable(party, room),
        complete: roomFrameBuilder(options.db.orm, options.categories, options.now ?? Date.now),
      }),
    );
  }
  if (options.webhooks) channels.push(options.webhooks);
  if (options.email) channels.push(options.email);
  return channels;
}

/** The dispatcher of this server, made at boot, started by the runtime entry, stopped on shutdown. */
export function createDeliveryRuntime(options: DeliveryRuntimeOptions): DeliveryRuntime {
  const channels = deliveryChannels(options);
  const names = new Set(channels.map((channel) => channel.name));
  const rooms = options.rooms;
  const accepts = (entry: NewOutboxEntry) => {
    if (!names.has(entry.channel)) return false;
    if (entry.channel !== "room" || !rooms) return true;
    const match = /^(ticket|site):(.+)$/.exec(entry.target);
    // A malformed target is written, so that the room channel records it as a dead entry.
    return !match || isRevocation(entry.payload) || rooms.reachable(match[1] as "ticket" | "site", match[2]!);
  };
  if (channels.length === 0) {
    return { accepts, handOver: null, dispatcher: null, wake: () => undefined, start: async () => undefined, stop: async () => undefined, idle: async () => undefined };
  }
  const dispatcher = createDispatcher({
    // Delivered entries are marked in one write per this many ms: with a message every few ms
    // that write would otherwise run once per message, beside the messages' own. An entry
    // delivered but not yet marked when the process dies goes out once more (at least once).
    flushDelayMs: 25,
    ...options.dispatcher,
    db: options.db,
    channels: Object.fromEntries(channels.map((channel) => [channel.name, channel])),
    log: options.log,
  });
  let started: Promise<void> | null = null;
  return {
    accepts,
    handOver: dispatcher.handOver,
    dispatcher,
    wake: (entries) => dispatcher.wake(entries),
    start: () => (started ??= dispatcher.start()),
    async stop() {
      if (!started) return;
      await started;
      started = null;
      await dispatcher.stop();
    },
    idle: () => dispatcher.idle(),
  };
}
