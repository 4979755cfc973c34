import { banner } from "../boot.js";
import { readEnv } from "../config.js";
import { startNodeServer, stopOnSignals } from "./node-server.js";

const env = readEnv(process.env);
const api = await startNodeServer(env);
console.log(banner({ ...env, PORT: api.port }, api.startup, "node", api.rooms));

stopOnSignals(api, (error) => console.error("[parley] stopping failed", error));
