// Run with: deno run -A server/runtime/deno.ts (node_modules from npm install are used as they are)
import { getConnInfo } from "hono/deno";
import { banner, boot } from "../boot.js";
import { readEnv } from "../config.js";
import { denoRoomSockets } from "../rooms/deno-rooms.js";

const env = readEnv(Deno.env.toObject());
const { app, startup, rooms, services, delivery, jobs } = await boot(env, (c) => getConnInfo(c).remote.address ?? "unknown", { hostsRooms: true });
await delivery.start();
if (env.PARLEY_JOBS === "on") jobs.start();
services.messageIndex.start();
const sockets = rooms ? denoRoomSockets(rooms, services.log) : null;
const server = Deno.serve(
  { port: env.PORT, hostname: env.HOST, onListen: () => console.log(banner(env, startup, "deno", rooms)) },
  (request, info) => sockets?.upgrade(request) ?? app.fetch(request, info),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    rooms?.closeAll();
    server
      .shutdown()
      .then(() => jobs.stop())
      .then(() => services.messageIndex.stop())
      .then(() => delivery.stop())
      .then(
        () => Deno.exit(0),
        (error: unknown) => {
          services.log("stopping failed", error);
          Deno.exit(1);
        },
      );
  });
}
