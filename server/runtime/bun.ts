// Run with: bun server/runtime/bun.ts
import { getConnInfo } from "hono/bun";
import { banner, boot } from "../boot.js";
import { readEnv } from "../config.js";
import { bunRoomSockets } from "../rooms/bun-rooms.js";

const env = readEnv(process.env);
const { app, startup, rooms, services } = await boot(env, (c) => getConnInfo(c).remote.address ?? "unknown", { hostsRooms: true });
const sockets = rooms ? bunRoomSockets(rooms, services.log) : null;
const server = Bun.serve({
  port: env.PORT,
  hostname: env.HOST,
  fetch: (request, bunServer) => sockets?.upgrade(request, bunServer) ?? app.fetch(request, bunServer),
  ...(sockets ? { websocket: sockets.websocket } : {}),
});
console.log(banner(env, startup, "bun", rooms));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    rooms?.closeAll();
    server.stop();
    process.exit(0);
  });
}
