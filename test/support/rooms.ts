import { startPartykit, type RunningPartykit } from "./partykit.js";
import { startApi, type RunningApi, type Runtime } from "./server.js";

/**
 * Which room runtime the realtime tests run against; vitest projects set it (see
 * vitest.config.ts): `inprocess` is the default stack (the party/ classes hosted in the API
 * process, on its port), `partykit` a real `partykit dev` beside the API (the scale-out path).
 */
export type RoomsRuntime = "inprocess" | "partykit";

export const roomsRuntime: RoomsRuntime = readRoomsRuntime(process.env.PARLEY_TEST_ROOMS);

function readRoomsRuntime(value: string | undefined): RoomsRuntime {
  if (value === undefined || value === "inprocess") return "inprocess";
  if (value === "partykit") return value;
  throw new Error(`PARLEY_TEST_ROOMS must be "inprocess" or "partykit", not "${value}"`);
}

export interface RunningRooms {
  runtime: RoomsRuntime;
  /** `127.0.0.1:<port>` where the rooms answer, for ws:// URLs. */
  host: string;
  /** `http://127.0.0.1:<port>`: where signed notify POSTs go. */
  url: string;
  /** partykit dev's output (empty for in-process rooms, whose output is the API's). */
  output(): string;
}

export interface RealtimeStack {
  api: RunningApi;
  rooms: RunningRooms;
  stop(): Promise<void>;
}

/**
 * The API with its rooms on the chosen runtime, sharing `secret` (so tests can mint connect
 * tickets and sign notifications as the API does). In-process rooms are the API's own port.
 */
export async function startRealtimeStack(options: {
  secret: string;
  rooms?: RoomsRuntime;
  runtime?: Runtime;
  env?: Record<string, string>;
}): Promise<RealtimeStack> {
  const runtime = options.rooms ?? roomsRuntime;
  if (runtime === "inprocess") {
    const api = await startApi({ runtime: options.runtime ?? "node", env: { PARLEY_ROOM_SECRET: options.secret, ...options.env } });
    const host = new URL(api.url).host;
    return { api, rooms: { runtime, host, url: api.url, output: () => "" }, stop: () => api.stop() };
  }
  const partykit: RunningPartykit = await startPartykit({ secret: options.secret });
  let api: RunningApi;
  try {
    api = await startApi({
      runtime: options.runtime ?? "node",
      env: { PARLEY_REALTIME_URL: partykit.url, PARLEY_ROOM_SECRET: options.secret, ...options.env },
    });
  } catch (error) {
    await partykit.stop();
    throw error;
  }
  return {
    api,
    rooms: { runtime, host: partykit.host, url: partykit.url, output: partykit.output },
    async stop() {
      await api.stop();
      await partykit.stop();
    },
  };
}
