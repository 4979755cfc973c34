import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One delivery as the receiver saw it. */
export interface Received {
  key: string;
  target: string;
  /** Which sender delivered it (the dispatcher's owner, from the body). */
  from: string;
}

export interface ReceiverOptions {
  /** The idempotency key of a request: `webhook-id` when a webhook sends it, else the body's `key`. */
  keyOf?: (request: IncomingMessage, body: { key?: string; target?: string; from?: string }) => string;
  /** Answers 503 to this share of requests (a receiver that is down now and then). */
  failureRate?: number;
  /** Holds each request this long before answering, so deliveries lag behind commits. */
  holdMs?: number;
  random?: () => number;
}

/**
 * A real HTTP receiver on loopback for delivery tests. It records every request, processes
 * each key once (deduping as a webhook receiver does), notices a key delivered twice at the
 * same time, and keeps, per target, the order in which keys were first processed.
 */
export interface DeliveryReceiver {
  url: string;
  /** Every request that was answered 2xx, in arrival order. */
  readonly accepted: Received[];
  /** Keys processed (first 2xx), per target, in order. */
  readonly processedOrder: Map<string, string[]>;
  /** Keys that arrived while a delivery of the same key was still being answered. */
  readonly concurrent: string[];
  /** How many times each key was answered 2xx. */
  readonly counts: Map<string, number>;
  requests(): number;
  /** Resolves once every key has been processed at least once. */
  until(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<DeliveryReceiver> {
  const random = options.random ?? Math.random;
  const keyOf = options.keyOf ?? ((request, body) => String(request.headers["webhook-id"] ?? body.key));
  const accepted: Received[] = [];
  const processedOrder = new Map<string, string[]>();
  const concurrent: string[] = [];
  const counts = new Map<string, number>();
  const inFlight = new Set<string>();
  let requests = 0;
  let waiters: { keys: readonly string[]; resolve: () => void }[] = [];
  const settle = () => {
    waiters = waiters.filter((w) => (w.keys.every((k) => counts.has(k)) ? (w.resolve(), false) : true));
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests += 1;
      let body: { key?: string; target?: string; from?: string };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch (error) {
        response.writeHead(400).end(String(error));
        return;
      }
      const key = keyOf(request, body);
      if (inFlight.has(key)) concurrent.push(key);
      inFlight.add(key);
      const answer = () => {
        inFlight.delete(key);
        if (random() < (options.failureRate ?? 0)) {
          response.writeHead(503).end("try later");
          return;
        }
        const target = body.target ?? "";
        if (!counts.has(key)) {
          const order = processedOrder.get(target) ?? [];
          order.push(key);
          processedOrder.set(target, order);
        }
        counts.set(key, (counts.get(key) ?? 0) + 1);
        accepted.push({ key, target, from: body.from ?? "" });
        response.writeHead(200).end("ok");
        settle();
      };
      if (options.holdMs) setTimeout(answer, options.holdMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    processedOrder,
    concurrent,
    counts,
    requests: () => requests,
    until(keys) {
      if (keys.every((k) => counts.has(k))) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ keys, resolve }));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
