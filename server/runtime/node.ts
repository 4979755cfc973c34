import { banner } from "../boot.js";
import { readEnv } from "../config.js";
import { startNodeServer } from "./node-server.js";

const env = readEnv(process.env);
const api = await startNodeServer(env);
console.log(banner({ ...env, PORT: api.port }, api.startup, "node", api.rooms));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    api.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("[parley] stopping failed", error);
        process.exit(1);
      },
    );
  });
}
