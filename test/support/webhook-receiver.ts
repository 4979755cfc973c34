import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** One request the receiver got, and whether its signature verified. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  headers: IncomingHttpHeaders;
  path: string;
  body: string;
  /** The body as `Webhook.verify` returned it; null when verification failed. */
  verified: unknown;
  verifyError: string | null;
}

/** How the receiver answers the next request; the default is 204. */
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | "hang";

/**
 * A webhook receiver on loopback, as a site would run one: it checks every request with the
 * `standardwebhooks` library's `Webhook.verify` against the secret it was given, records
 * it, and answers with the queued replies (then 204). Waits are for requests, never for time.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const replies: Reply[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging: ServerResponse[] = [];
  let secret: string | null = null;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = (name: string) => String(req.headers[name] ?? "");
      let verified: unknown = null;
      let verifyError: string | null = null;
      try {
        if (!secret) throw new Error("the receiver has no secret yet");
        verified = new Webhook(secret).verify(body, {
          "webhook-id": header("webhook-id"),
          "webhook-timestamp": header("webhook-timestamp"),
          "webhook-signature": header("webhook-signature"),
        });
      } catch (error) {
        verifyError = (error as Error).message;
      }
      received.push({
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        headers: req.headers,
        path: req.url ?? "/",
        body,
        verified,
        verifyError,
      });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const reply = replies.shift() ?? { status: 204 };
      if (reply === "hang") {
        hanging.push(res);
        return;
      }
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    /** The secret deliveries must verify with (the one the API answered for the endpoint). */
    useSecret(value: string) {
      secret = value;
    },
    /** Answers for the next requests, in order. */
    reply(...next: Reply[]) {
      replies.push(...next);
    },
    /** Resolves once `count` requests in all have arrived. */
    waitFor(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async stop() {
      for (const res of hanging.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
