import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { banner, boot } from "../boot.js";
import { readEnv } from "../config.js";
import { hostRoomsOnNode } from "../rooms/node-rooms.js";

const env = readEnv(process.env);
const { app, seeded, rooms, services } = await boot(env, (c) => getConnInfo(c).remote.address ?? "unknown", { hostsRooms: true });
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, () => console.log(banner(env, seeded, "node", rooms)));
const sockets = rooms ? hostRoomsOnNode(server, rooms, services.log) : null;

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Room sockets first: an open WebSocket would keep server.close() waiting.
    void (sockets?.stop() ?? Promise.resolve()).then(() => server.close(() => process.exit(0)));
  });
}
