import type * as Party from "partykit/server";
import { REALTIME_TICKET_TTL_S } from "../../protocol/index.js";
import { HostedConnection, type RoomSocket } from "./hosted-connection.js";
import { MemoryStorage } from "./memory-storage.js";
import type { RoomNotify } from "../../protocol/index.js";
import { parties as defaultParties, relays as defaultRelays, roomAddress, type PartyClass, type Relay, type RoomAddress } from "./parties.js";

/**
 * Hosts the `party/` room classes inside the API process: the part of the PartyKit server
 * interface they use (Room, Connection, Storage, Lobby, static onBeforeConnect and
 * onBeforeRequest, onConnect/onMessage/onClose/onError, onRequest). Rooms are created on
 * first use and dropped when their last socket has gone and no work is running in them.
 * Each runtime adapter (node-rooms.ts, …) turns its WebSockets into `RoomSocket`s.
 */

export type Admission = { ok: true; address: RoomAddress; request: Request } | { ok: false; response: Response };

/** What the runtime adapter reports about one socket, in the order it happened. */
export interface SocketEvents {
  message(data: string | ArrayBuffer | ArrayBufferView): void;
  close(): void;
  error(error: unknown): void;
}

export interface RoomHostOptions {
  /** The rooms' `env` (PartyKit's `--var`s): here the room secret. */
  env: Record<string, unknown>;
  log: (message: string, error?: unknown) => void;
  parties?: Readonly<Record<string, PartyClass>>;
  /** How each party takes an in-process notification (see parties.ts). */
  relays?: Readonly<Record<string, Relay>>;
  /**
   * How long an emptied room's storage outlives it. Rooms keep spent connect-ticket ids there;
   * keeping them for the ticket's lifetime means a ticket cannot be replayed into a room that
   * was dropped and re-created meanwhile.
   */
  storageGraceMs?: number;
}

const notFound = (message: string) =>
  Response.json({ error: { code: "not_found", message } }, { status: 404 });

/** Parts of PartyKit's interface that only exist on Cloudflare; a room that reaches for one learns why. */
function unavailable<T extends object>(target: T, names: string[]): T {
  for (const name of names) {
    Object.defineProperty(target, name, {
      get() {
        throw new Error(`room.${name} is not available in the in-process room host (deploy with partykit for it)`);
      },
    });
  }
  return target;
}

class HostedRoom {
  readonly connections = new Map<string, HostedConnection>();
  readonly server: Party.Server;
  readonly started: Promise<void>;
  /** Events queued or running; the room is only dropped at zero. */
  busy = 0;

  constructor(
    readonly address: RoomAddress,
    partyClass: PartyClass,
    readonly storage: MemoryStorage,
    env: Record<string, unknown>,
  ) {
    const connections = this.connections;
    const room = unavailable(
      {
        id: address.room,
        internalID: `${address.party}/${address.room}`,
        name: address.party,
        env,
        storage: storage.asPartyStorage(),
        connections: connections as unknown as Map<string, Party.Connection>,
        broadcast(message: string | ArrayBuffer | ArrayBufferView, without: string[] = []) {
          for (const connection of connections.values()) if (!without.includes(connection.id)) connection.send(message);
        },
        getConnection: (id: string) => connections.get(id)?.asPartyConnection(),
        getConnections: () => [...connections.values()].map((connection) => connection.asPartyConnection()),
        blockConcurrencyWhile: <T>(work: () => Promise<T>) => work(),
      },
      ["context", "parties", "analytics"],
    );
    this.server = new partyClass(room as unknown as Party.Room);
    this.started = Promise.resolve(this.server.onStart?.());
  }

  /** Runs `work` once the room has started (callers count it in `busy`, which keeps the room). */
  async work<T>(work: () => T | Promise<T>): Promise<T> {
    await this.started;
    return work();
  }
}

export class RoomHost {
  readonly #rooms = new Map<string, HostedRoom>();
  /** Storage of dropped rooms, kept for `storageGraceMs`. */
  readonly #storages = new Map<string, { storage: MemoryStorage; expiry: ReturnType<typeof setTimeout> }>();
  readonly #parties: Readonly<Record<string, PartyClass>>;
  readonly #relays: Readonly<Record<string, Relay>>;
  readonly #graceMs: number;

  constructor(private readonly options: RoomHostOptions) {
    this.#parties = options.parties ?? defaultParties;
    this.#relays = options.relays ?? defaultRelays;
    this.#graceMs = options.storageGraceMs ?? REALTIME_TICKET_TTL_S * 1000;
  }

  /** True when `/parties/<party>/<room>` names a party hosted here. */
  hosts(pathname: string): boolean {
    const address = roomAddress(pathname);
    return address !== null && address.party in this.#parties;
  }

  /** True while the room has a socket or work in it: a notification can reach someone. */
  isOpen(party: string, room: string): boolean {
    return this.#rooms.has(`${party}/${room}`);
  }

  /** Open rooms and sockets, for benchmarks and tests. */
  stats(): { rooms: number; connections: number } {
    let connections = 0;
    for (const room of this.#rooms.values()) connections += room.connections.size;
    return { rooms: this.#rooms.size, connections };
  }

  /**
   * The handshake: runs the party's static `onBeforeConnect`, as PartyKit does at the edge.
   * A Response refuses the upgrade with its status and body; a Request admits it.
   */
  async admit(request: Request): Promise<Admission> {
    const address = roomAddress(new URL(request.url).pathname);
    const partyClass = address && this.#parties[address.party];
    if (!address || !partyClass) return { ok: false, response: notFound("rooms live at /parties/ticket/<id> and /parties/site/<id>") };
    // A copy: the gate sets headers on it, and some runtimes hand over immutable requests.
    const copy = new Request(request.url, { method: "GET", headers: request.headers });
    if (!partyClass.onBeforeConnect) return { ok: true, address, request: copy };
    const verdict = await partyClass.onBeforeConnect(copy as unknown as Party.Request, this.#lobby(address), this.#executionContext(address));
    if (verdict instanceof Response) return { ok: false, response: verdict };
    return { ok: true, address, request: verdict as unknown as Request };
  }

  /** Seats an admitted socket in its room (created on first use); answers where to report its events. */
  connect(admitted: Extract<Admission, { ok: true }>, socket: RoomSocket): SocketEvents {
    const room = this.#open(admitted.address);
    const connection = new HostedConnection(socket, admitted.request.url);
    room.connections.set(connection.id, connection);
    const party = connection.asPartyConnection();
    const { server } = room;
    const where = `${admitted.address.party}/${admitted.address.room}`;

    // One chain per socket: onMessage never overtakes onConnect (which awaits storage), and
    // onClose comes last, whatever the timing of the network.
    let chain = Promise.resolve();
    const step = (hook: string, run: () => void | Promise<void>) => {
      room.busy += 1;
      chain = chain
        .then(() => room.work(run))
        .catch((error: unknown) => {
          this.options.log(`rooms: ${hook} in ${where} failed`, error);
          if (hook === "onConnect") connection.close(1011, "room error");
        })
        .finally(() => {
          room.busy -= 1;
          this.#dropIfIdle(room);
        });
    };

    step("onConnect", () => server.onConnect?.(party, { request: admitted.request as unknown as Party.Request }));
    return {
      message: (data) => step("onMessage", () => server.onMessage?.(data, party)),
      close: () => {
        room.connections.delete(connection.id);
        step("onClose", () => server.onClose?.(party));
      },
      error: (error) => {
        // One quiet line: a client going away mid-frame is ordinary, a stack adds nothing.
        this.options.log(`rooms: socket error in ${where}: ${error instanceof Error ? error.message : String(error)}`);
        step("onError", () => server.onError?.(party, error instanceof Error ? error : new Error(String(error))));
      },
    };
  }

  /** An HTTP request to `/parties/<party>/<room>`: the party's onBeforeRequest, then the room's onRequest. */
  async request(request: Request): Promise<Response> {
    const address = roomAddress(new URL(request.url).pathname);
    const partyClass = address && this.#parties[address.party];
    if (!address || !partyClass) return notFound("rooms live at /parties/ticket/<id> and /parties/site/<id>");
    let forwarded: Request = request;
    if (partyClass.onBeforeRequest) {
      const verdict = await partyClass.onBeforeRequest(request as unknown as Party.Request, this.#lobby(address), this.#executionContext(address));
      if (verdict instanceof Response) return verdict;
      forwarded = verdict as unknown as Request;
    }
    return this.#handle(this.#open(address), forwarded);
  }

  /**
   * An in-process notification, handed straight to the room's members by the party's own
   * relay rules, synchronously: the frame is on its sockets' queues when this returns.
   * Answers how many sockets got it, or null without doing anything when the room is not
   * open (nobody is there to hear it). A revocation closes the sockets at once too, and its
   * answer settles once the room has stored it (in a room made for it when none is open).
   */
  relay(party: string, room: string, notify: RoomNotify): number | Promise<number> | null {
    const relay = this.#relays[party];
    if (!relay) throw new Error(`the ${party} party takes no in-process notifications`);
    const open = this.#rooms.get(`${party}/${room}`);
    if (open) return relay(open.server, notify);
    if (!("type" in notify)) return null;
    // A revocation is kept even by a room nobody is in, as PartyKit would (a notify makes the
    // room): its storage outlives it for a ticket lifetime, so an older ticket is still refused.
    return this.#revokeInClosedRoom({ party, room }, relay, notify);
  }

  async #revokeInClosedRoom(address: RoomAddress, relay: Relay, notify: RoomNotify): Promise<number> {
    const room = this.#open(address);
    room.busy += 1;
    try {
      return await room.work(() => relay(room.server, notify));
    } finally {
      room.busy -= 1;
      this.#dropIfIdle(room);
    }
  }

  /** Closes every socket (1001, going away), for shutdown. */
  closeAll(): void {
    for (const room of this.#rooms.values()) for (const connection of room.connections.values()) connection.close(1001, "server shutting down");
    for (const { expiry } of this.#storages.values()) clearTimeout(expiry);
    this.#storages.clear();
  }

  async #handle(room: HostedRoom, request: Request): Promise<Response> {
    room.busy += 1;
    try {
      const { server } = room;
      if (!server.onRequest) return notFound(`the ${room.address.party} party answers no HTTP requests`);
      return await room.work(() => server.onRequest!(request as unknown as Party.Request));
    } finally {
      room.busy -= 1;
      this.#dropIfIdle(room);
    }
  }

  #open(address: RoomAddress): HostedRoom {
    const key = `${address.party}/${address.room}`;
    let room = this.#rooms.get(key);
    if (room) return room;
    const kept = this.#storages.get(key);
    if (kept) {
      clearTimeout(kept.expiry);
      this.#storages.delete(key);
    }
    room = new HostedRoom(address, this.#parties[address.party]!, kept?.storage ?? new MemoryStorage(), this.options.env);
    this.#rooms.set(key, room);
    return room;
  }

  #dropIfIdle(room: HostedRoom): void {
    if (room.busy > 0 || room.connections.size > 0) return;
    const key = `${room.address.party}/${room.address.room}`;
    if (this.#rooms.get(key) !== room) return;
    this.#rooms.delete(key);
    if (room.storage.size === 0) return;
    const expiry = setTimeout(() => this.#storages.delete(key), this.#graceMs);
    // A kept storage never holds the process open on shutdown.
    (expiry as { unref?: () => void }).unref?.();
    this.#storages.set(key, { storage: room.storage, expiry });
  }

  #lobby(address: RoomAddress): Party.Lobby {
    return unavailable({ id: address.room, env: this.options.env }, ["ai", "parties", "vectorize", "analytics", "assets", "bindings"]) as unknown as Party.Lobby;
  }

  #executionContext(address: RoomAddress): Party.ExecutionContext {
    const log = this.options.log;
    return {
      waitUntil(work: Promise<unknown>) {
        work.catch((error: unknown) => log(`rooms: background work in ${address.party}/${address.room} failed`, error));
      },
      passThroughOnException() {},
    } as unknown as Party.ExecutionContext;
  }
}
