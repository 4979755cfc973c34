import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { AddressInfo } from "node:net";
import { boot, type Boot, type BootOptions } from "../boot.js";
import type { Env } from "../config.js";
import { hostRoomsOnNode } from "../rooms/node-rooms.js";

export interface NodeServer extends Boot {
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
  /** Closes room sockets, then the HTTP server, then stops the jobs, then delivers what the dispatcher holds and lets go of the rest. */
  stop(): Promise<void>;
}

/** The API on Node, with the rooms' WebSockets on the same port when they run in-process. */
export async function startNodeServer(env: Env, options: Pick<BootOptions, "now"> = {}): Promise<NodeServer> {
  const booted = await boot(env, (c) => getConnInfo(c).remote.address ?? "unknown", { hostsRooms: true, ...options });
  const { app, rooms, services, delivery, jobs } = booted;
  let port = env.PORT;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const listening = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info: AddressInfo) => {
      port = info.port;
      resolve(listening);
    });
    listening.once("error", reject);
  });
  const sockets = rooms ? hostRoomsOnNode(server, rooms, services.log) : null;
  await delivery.start();
  if (env.PARLEY_JOBS === "on") jobs.start();
  services.messageIndex.start();
  return {
    ...booted,
    port,
    async stop() {
      // Room sockets first: an open WebSocket would keep server.close() waiting.
      await sockets?.stop();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      // Jobs before the dispatcher: a run cut short has its entries delivered on the way out.
      await jobs.stop();
      await services.messageIndex.stop();
      await delivery.stop();
    },
  };
}

/** Stops the server once on SIGINT or SIGTERM and exits 0, or 1 after reporting a failed stop. */
export function stopOnSignals(server: Pick<NodeServer, "stop">, reportFailure: (error: unknown) => void): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      server.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          reportFailure(error);
          process.exit(1);
        },
      );
    });
  }
}
