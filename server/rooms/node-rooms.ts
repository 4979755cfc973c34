import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { MAX_CLIENT_FRAME_BYTES } from "../../protocol/index.js";
import type { RoomSocket } from "./hosted-connection.js";
import type { RoomHost } from "./room-host.js";

/** Anything with Node's `upgrade` event: the http.Server that @hono/node-server's serve() returns. */
interface UpgradeSource {
  on(event: "upgrade", listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
}

/**
 * Far above the rooms' own frame limit, which they enforce with an error frame and 1008;
 * this only stops a client from making ws buffer megabytes before the room can say no.
 */
const MAX_PAYLOAD_BYTES = 64 * MAX_CLIENT_FRAME_BYTES;

function requestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), { headers });
}

/** Answers a refused upgrade with the room's status and body, then hangs up. */
async function refuse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const head = [
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}`,
    `content-type: ${response.headers.get("content-type") ?? "text/plain; charset=utf-8"}`,
    `content-length: ${body.length}`,
    "connection: close",
    "",
    "",
  ].join("\r\n");
  socket.end(Buffer.concat([Buffer.from(head), body]));
}

const frameOf = (data: RawData, isBinary: boolean): string | ArrayBuffer => {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return isBinary ? buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer : buffer.toString("utf8");
};

/**
 * A room broadcasts one JSON string to every member; ws would UTF-8 encode it again for each
 * socket. Remembering the last encoding makes a broadcast encode once (the buffer is never
 * written to, so sockets may share it while it waits in their queues).
 */
function textEncoderCache(): (text: string) => Buffer {
  let lastText: string | undefined;
  let lastBytes = Buffer.alloc(0);
  return (text) => {
    if (text !== lastText) {
      lastText = text;
      lastBytes = Buffer.from(text, "utf8");
    }
    return lastBytes;
  };
}

function roomSocketOf(ws: WebSocket, encode: (text: string) => Buffer): RoomSocket {
  return {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => (typeof data === "string" ? ws.send(encode(data), { binary: false }) : ws.send(data)),
    close: (code, reason) => ws.close(code, reason),
  };
}

export interface NodeRooms {
  /** Closes every room socket (1001) and waits briefly for them to go, then cuts the rest. */
  stop(): Promise<void>;
}

/**
 * Serves the rooms' WebSockets on the API's own port: `ws` without a server of its own,
 * fed by the node server's `upgrade` event for `/parties/<party>/<room>`.
 */
export function hostRoomsOnNode(server: UpgradeSource, host: RoomHost, log: (message: string, error?: unknown) => void): NodeRooms {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  const encode = textEncoderCache();

  server.on("upgrade", (req, socket, head) => {
    // Until ws owns the socket, a client that resets it must not become an uncaught error.
    const early = (error: Error) => log(`rooms: handshake socket error: ${error.message}`);
    socket.on("error", early);
    const request = requestOf(req);
    if (!host.hosts(new URL(request.url).pathname)) {
      void refuse(socket, Response.json({ error: { code: "not_found", message: "WebSockets are served at /parties/<party>/<room>" } }, { status: 404 }));
      return;
    }
    host
      .admit(request)
      .then(async (admission) => {
        if (!admission.ok) return refuse(socket, admission.response);
        sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          socket.off("error", early);
          const events = host.connect(admission, roomSocketOf(ws, encode));
          ws.on("message", (data, isBinary) => events.message(frameOf(data, isBinary)));
          ws.on("close", () => events.close());
          ws.on("error", (error) => events.error(error));
        });
      })
      .catch(async (error: unknown) => {
        log("rooms: handshake failed", error);
        await refuse(socket, Response.json({ error: { code: "internal", message: "the room could not be opened" } }, { status: 500 }));
      });
  });

  return {
    async stop() {
      host.closeAll();
      const open = [...sockets.clients];
      const gone = Promise.all(open.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once("close", () => resolve())))));
      const timer = new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref());
      await Promise.race([gone, timer]);
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
    },
  };
}
