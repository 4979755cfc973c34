import type { Admission, RoomHost, SocketEvents } from "./room-host.js";

/**
 * The rooms' WebSockets on Bun: `Bun.serve`'s own `websocket` handlers, on the API's port.
 * The types below are the part of Bun's API used here, so the Node-flavoured type-check of
 * the repository can check this file (server/runtime/bun.ts, which Bun runs, is excluded).
 */
interface SocketData {
  admission: Extract<Admission, { ok: true }>;
  events?: SocketEvents;
}
interface BunSocket {
  data: SocketData;
  readonly readyState: number;
  send(data: string | ArrayBuffer | ArrayBufferView): unknown;
  close(code?: number, reason?: string): void;
}
interface BunServer {
  upgrade(request: Request, options: { data: SocketData }): boolean;
}

const isUpgrade = (request: Request) => request.headers.get("upgrade")?.toLowerCase() === "websocket";

export function bunRoomSockets(host: RoomHost, log: (message: string, error?: unknown) => void) {
  return {
    /** Handles a room handshake (answering undefined once upgraded); null for every other request. */
    upgrade(request: Request, server: BunServer): Promise<Response | undefined> | null {
      if (!isUpgrade(request) || !host.hosts(new URL(request.url).pathname)) return null;
      return host.admit(request).then((admission) => {
        if (!admission.ok) return admission.response;
        if (server.upgrade(request, { data: { admission } })) return undefined;
        return Response.json({ error: { code: "bad_request", message: "not a WebSocket handshake" } }, { status: 400 });
      });
    },
    websocket: {
      open(ws: BunSocket) {
        ws.data.events = host.connect(ws.data.admission, ws);
      },
      message(ws: BunSocket, message: string | Uint8Array) {
        const frame = typeof message === "string" ? message : message.slice().buffer;
        ws.data.events?.message(frame);
      },
      close(ws: BunSocket) {
        ws.data.events?.close();
      },
      error(ws: BunSocket, error: Error) {
        if (ws.data.events) ws.data.events.error(error);
        else log(`rooms: socket error before the room saw it: ${error.message}`);
      },
    },
  };
}
