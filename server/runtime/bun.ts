// Run with: bun server/runtime/bun.ts
import { getConnInfo } from "hono/bun";
import { banner, boot } from "../boot.js";
import { readEnv } from "../config.js";
import { bunRoomSockets } from "../rooms/bun-rooms.js";

const env = readEnv(process.env);
const { app, startup, rooms, services, delivery, jobs } = await boot(env, (c) => getConnInfo(c).remote.address ?? "unknown", { hostsRooms: true });
await delivery.start();
if (env.PARLEY_JOBS === "on") jobs.start();
services.messageIndex.start();
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
    // Jobs stop between items; then what the dispatcher holds goes out (or back to the outbox for the next start) before exit.
    jobs
      .stop()
      .then(() => services.messageIndex.stop())
      .then(() => delivery.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          services.log("stopping failed", error);
          process.exit(1);
        },
      );
  });
}
