// Run with: bun server/runtime/bun.ts
import { getConnInfo } from "hono/bun";
import { banner, boot } from "../boot.js";
import { readEnv } from "../config.js";

const env = readEnv(process.env);
const { app, startup } = await boot(env, (c) => getConnInfo(c).remote.address ?? "unknown");
const server = Bun.serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST });
console.log(banner(env, startup, "bun"));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.stop();
    process.exit(0);
  });
}
