import type * as Party from "partykit/server";

/** The part of a server-side WebSocket the host needs; each runtime adapter provides one. */
export interface RoomSocket {
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  /** WebSocket readyState: 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
}

const OPEN = 1;
const CLOSING = 2;

/**
 * One client socket as a room sees it: the part of PartyKit's `Party.Connection` the rooms
 * use (id, uri, send, close, state). The id is always ours: PartyKit would take a
 * client-chosen `_pk`, which would let one client shadow another's entry in a room.
 */
export class HostedConnection {
  readonly id = crypto.randomUUID();
  #state: unknown = null;

  constructor(
    readonly socket: RoomSocket,
    readonly uri: string,
  ) {}

  get readyState(): number {
    return this.socket.readyState;
  }

  get state(): unknown {
    return this.#state;
  }

  setState(next: unknown): unknown {
    this.#state = typeof next === "function" ? (next as (previous: unknown) => unknown)(this.#state) : next;
    return this.#state;
  }

  serializeAttachment(attachment: unknown): void {
    this.setState(attachment);
  }

  deserializeAttachment(): unknown {
    return this.#state;
  }

  /** Frames for a socket that is already closing have nowhere to go; workerd drops them too. */
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.socket.readyState === OPEN) this.socket.send(data);
  }

  /** Closing twice is a no-op, as rooms close sockets the client is already closing. */
  close(code?: number, reason?: string): void {
    if (this.socket.readyState < CLOSING) this.socket.close(code, reason);
  }

  /** The PartyKit type, which is a whole workerd WebSocket; rooms use the part above. */
  asPartyConnection(): Party.Connection {
    return this as unknown as Party.Connection;
  }
}
