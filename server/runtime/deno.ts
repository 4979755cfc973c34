// Run with: deno run -A server/runtime/deno.ts (node_modules from npm install are used as they are)
import { getConnInfo } from "hono/deno";
import { banner, boot } from "../boot.js";
import { readEnv } from "../config.js";

const env = readEnv(Deno.env.toObject());
const { app, startup } = await boot(env, (c) => getConnInfo(c).remote.address ?? "unknown");
const server = Deno.serve({ port: env.PORT, hostname: env.HOST, onListen: () => console.log(banner(env, startup, "deno")) }, app.fetch);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    server.shutdown().then(() => Deno.exit(0));
  });
}
