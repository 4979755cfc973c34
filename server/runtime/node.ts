import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { banner, boot } from "../boot.js";
import { readEnv } from "../config.js";

const env = readEnv(process.env);
const { app, startup } = await boot(env, (c) => getConnInfo(c).remote.address ?? "unknown");
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, () => console.log(banner(env, startup, "node")));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
