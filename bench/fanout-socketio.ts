/**
 * The reference bench/fanout.ts measures Parley against: the broadcast server a developer
 * would otherwise write with Socket.IO. Same shape as Parley's path, HTTP in and a room
 * broadcast out, without persistence, auth or validation.
 *
 *   POST /send?room=<room>  JSON body → io.to(room).emit("message", {seq, ...body}) → 202 {delivered}
 *   socket event "join" (room, ack)   → socket.join(room), then ack()
 *
 * Run as its own process (as Parley's API and rooms are): `PORT=… node --import tsx bench/fanout-socketio.ts`.
 * It prints `listening on <port>` when ready and exits when its parent closes stdin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 0);
let seq = 0;

const http = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method === "GET" && url.pathname === "/health") return reply(res, 200, { ok: true });
  if (req.method !== "POST" || url.pathname !== "/send") return reply(res, 404, { error: { code: "not_found", message: "POST /send?room=…" } });
  const room = url.searchParams.get("room");
  if (!room) return reply(res, 400, { error: { code: "bad_request", message: "room is required" } });
  readJson(req).then(
    (body) => {
      seq += 1;
      io.to(room).emit("message", { seq, ...body });
      reply(res, 202, { seq, delivered: io.sockets.adapter.rooms.get(room)?.size ?? 0 });
    },
    (error: unknown) => reply(res, 400, { error: { code: "bad_request", message: String(error) } }),
  );
});

const io = new Server(http, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => {
  socket.on("join", (room: unknown, ack: unknown) => {
    if (typeof room !== "string" || typeof ack !== "function") return socket.disconnect(true);
    void socket.join(room);
    ack();
  });
});

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", reject);
    req.on("end", () => {
      try {
        const value: unknown = JSON.parse(Buffer.concat(chunks).toString());
        if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("body must be a JSON object");
        resolve(value as Record<string, unknown>);
      } catch (error) {
        reject(error);
      }
    });
  });
}

http.listen(port, "127.0.0.1", () => {
  const address = http.address();
  console.log(`listening on ${typeof address === "object" && address ? address.port : port}`);
});

// The bench holds our stdin open; when it goes away, for whatever reason, so do we.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
process.on("SIGTERM", () => {
  io.close();
  process.exit(0);
});
