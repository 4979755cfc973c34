import type { RoomSocket } from "./hosted-connection.js";
import type { RoomHost, SocketEvents } from "./room-host.js";

/**
 * The rooms' WebSockets on Deno: `Deno.upgradeWebSocket` inside `Deno.serve`, on the API's
 * port. Declared here for the repository's Node-flavoured type-check; Deno knows it already.
 */
declare const Deno: { upgradeWebSocket(request: Request): { socket: WebSocket; response: Response } };

const isUpgrade = (request: Request) => request.headers.get("upgrade")?.toLowerCase() === "websocket";

export function denoRoomSockets(host: RoomHost, log: (message: string, error?: unknown) => void) {
  return {
    /** Handles a room handshake; null for every other request (the API answers those). */
    upgrade(request: Request): Promise<Response> | null {
      if (!isUpgrade(request) || !host.hosts(new URL(request.url).pathname)) return null;
      return host.admit(request).then((admission) => {
        if (!admission.ok) return admission.response;
        const { socket, response } = Deno.upgradeWebSocket(request);
        socket.binaryType = "arraybuffer";
        let events: SocketEvents | undefined;
        const roomSocket: RoomSocket = {
          get readyState() {
            return socket.readyState;
          },
          // The rooms send JSON text; a view is only ever over a plain ArrayBuffer.
          send: (data) => socket.send(data as string | ArrayBuffer),
          close: (code, reason) => socket.close(code, reason),
        };
        socket.onopen = () => (events = host.connect(admission, roomSocket));
        socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => events?.message(event.data);
        socket.onclose = () => events?.close();
        socket.onerror = (event) => {
          const message = event instanceof ErrorEvent ? event.message : "socket error";
          if (events) events.error(new Error(message));
          else log(`rooms: socket error before the room saw it: ${message}`);
        };
        return response;
      });
    },
  };
}
