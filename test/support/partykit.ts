import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import { notifySigningInput, type RoomClaims, type RoomNotify } from "../../protocol/realtime.js";
import { freePort } from "./server.js";

const root = new URL("../..", import.meta.url).pathname;

export interface RunningPartykit {
  /** `127.0.0.1:<port>`, for ws:// URLs. */
  host: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Everything partykit dev printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real room server (`partykit dev`) on a free port with its own state directory
 * and waits until its rooms answer HTTP. Pass `secret: null` to start it without a room secret.
 *
 * partykit 0.0.115 has no inspector-port flag: it takes 9229 when free and otherwise a free
 * port of its own choosing, so several instances can run side by side. On a loaded machine an
 * instance now and then never gets past "starting server"; such a start is abandoned after
 * 40 s and made once more on a new port, within the 90 s the realtime suites give a hook.
 */
export async function startPartykit(options: { secret: string | null }): Promise<RunningPartykit> {
  const first = await startPartykitOnce(options, 40_000);
  if (first.ok) return first.running;
  const second = await startPartykitOnce(options, 40_000);
  if (second.ok) return second.running;
  throw new Error(`partykit dev did not answer within 40 s, twice:\n--- first start\n${first.output}\n--- second start\n${second.output}`);
}

async function startPartykitOnce(options: { secret: string | null }, timeoutMs: number): Promise<{ ok: true; running: RunningPartykit } | { ok: false; output: string }> {
  const port = await freePort();
  const stateDir = mkdtempSync(join(tmpdir(), "parley-partykit-"));
  const args = ["dev", "--port", String(port), "--disable-request-cf-fetch", "--persist", stateDir, "--no-hotkeys"];
  if (options.secret !== null) args.push("--var", `PARLEY_ROOM_SECRET=${options.secret}`);
  const child: ChildProcess = spawn(join(root, "node_modules", ".bin", "partykit"), args, {
    cwd: root,
    env: { ...process.env, CI: "true", NO_UPDATE_NOTIFIER: "1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stop() can take workerd down with it.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error; // ESRCH: already gone
    }
  };
  const stop = async () => {
    killGroup("SIGTERM");
    const timedOut = await Promise.race([exited.then(() => false), delay(3000).then(() => true)]);
    if (timedOut) killGroup("SIGKILL");
    // workerd may outlive the CLI by a moment; make sure the whole group is gone.
    killGroup("SIGKILL");
    rmSync(stateDir, { recursive: true, force: true });
  };

  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`partykit dev exited early (${child.exitCode}):\n${output}`);
    }
    try {
      // The main party answers 404 once the rooms are built and serving. The dev server's own
      // proxy answers 500 while its worker is still starting: not ready yet (a WebSocket
      // handshake then would be refused with the same empty 500).
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // not listening yet; retry until the deadline
    }
    if (Date.now() > deadline) {
      await stop();
      return { ok: false, output };
    }
    await delay(150);
  }
  return { ok: true, running: { host, url, output: () => output, stop } };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** Claims for a connect ticket, valid for 60 s; override whatever a test needs. */
export function roomClaims(overrides: Partial<RoomClaims> & Pick<RoomClaims, "party" | "room">): RoomClaims {
  return {
    site: "site-test",
    sub: `user-${randomUUID().slice(0, 8)}`,
    kind: "visitor",
    name: null,
    origins: ["*"],
    jti: randomUUID(),
    exp: Math.floor(Date.now() / 1000) + 60,
    ...overrides,
  };
}

/** A connect ticket as the API mints it: compact HS256 JWT over the claims. */
export function mintConnectTicket(secret: string, claims: RoomClaims, header: object = { alg: "HS256", typ: "JWT" }): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac("sha256", secret).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

/**
 * The `X-Parley-Signature` value for a notify call as the API signs it:
 * `t=<unix s>,n=<nonce>,v1=<hex HMAC of the timestamp, nonce, party, room and body>`.
 */
export function notifySignature(
  secret: string,
  target: { party: string; room: string; body: string },
  options: { t?: number; nonce?: string } = {},
): string {
  const t = options.t ?? Math.floor(Date.now() / 1000);
  const nonce = options.nonce ?? randomUUID().replaceAll("-", "");
  const mac = createHmac("sha256", secret).update(notifySigningInput({ t, nonce, ...target })).digest("hex");
  return `t=${t},n=${nonce},v1=${mac}`;
}

/** POSTs a notification to a room the way the API does; `signature` overrides the header. */
export function notifyRoom(
  room: { url: string; party: RoomClaims["party"]; id: string },
  notify: RoomNotify | string,
  auth: { secret: string; t?: number; nonce?: string; signature?: string | null },
): Promise<Response> {
  const body = typeof notify === "string" ? notify : JSON.stringify(notify);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const signature =
    auth.signature === undefined ? notifySignature(auth.secret, { party: room.party, room: room.id, body }, auth) : auth.signature;
  if (signature !== null) headers["x-parley-signature"] = signature;
  return fetch(`${room.url}/parties/${room.party}/${encodeURIComponent(room.id)}`, { method: "POST", headers, body });
}

/** A handshake the room answered with something other than 101. */
export class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`handshake refused with ${status}: ${body}`);
  }
}

export interface RoomSocket {
  ws: WebSocket;
  /** The next frame matching `match` (buffered or yet to come); rejects after `timeoutMs`. */
  next<T = any>(match?: (frame: any) => boolean, timeoutMs?: number): Promise<T>;
  /** Waits `ms` and answers the frames matching `match` that arrived meanwhile (unconsumed). */
  quiet(ms: number, match?: (frame: any) => boolean): Promise<unknown[]>;
  /** Resolves when the socket closes, with the code and reason the room sent. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/**
 * Opens `ws://host/parties/<party>/<room>?ticket=…` with Node's `ws` (Node 20 has no global
 * WebSocket) and collects the JSON frames. Rejects with `HandshakeRefused` on a non-101.
 */
export function openRoomSocket(
  host: string,
  party: RoomClaims["party"],
  room: string,
  ticket: string,
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<RoomSocket> {
  const address = `ws://${host}/parties/${party}/${encodeURIComponent(room)}?ticket=${encodeURIComponent(ticket)}`;
  const ws = new WebSocket(address, { ...(options.origin ? { origin: options.origin } : {}), headers: options.headers ?? {} });
  const inbox: unknown[] = [];
  const waiters = new Set<{ match: (frame: any) => boolean; resolve: (frame: any) => void }>();
  ws.on("message", (data) => {
    const frame: unknown = JSON.parse(data.toString());
    for (const waiter of waiters) {
      if (waiter.match(frame)) {
        waiters.delete(waiter);
        return waiter.resolve(frame);
      }
    }
    inbox.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );

  const socket: RoomSocket = {
    ws,
    closed,
    next<T>(match: (frame: any) => boolean = () => true, timeoutMs = 3000): Promise<T> {
      const index = inbox.findIndex(match);
      if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0] as T);
      return new Promise<T>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (frame: any) => {
            clearTimeout(timer);
            resolve(frame);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching frame within ${timeoutMs} ms; unconsumed: ${JSON.stringify(inbox)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async quiet(ms, match = () => true) {
      await delay(ms);
      return inbox.filter(match);
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };

  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(socket));
    ws.once("unexpected-response", (request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => {
        reject(new HandshakeRefused(response.statusCode ?? 0, body));
        request.destroy();
      });
    });
    ws.on("error", reject);
  });
}
