import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { VettedTarget } from "./ssrf-guard.js";

export interface WebhookRequestLimits {
  /** Whole request, connect to last byte read. */
  timeoutMs: number;
  /** Response bytes read for the log; the rest is never read. */
  maxResponseBytes: number;
}

export const DEFAULT_WEBHOOK_LIMITS: WebhookRequestLimits = { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 };

export interface WebhookResponse {
  statusCode: number;
  /** At most `maxResponseBytes` of the body, as text. */
  body: string;
  truncated: boolean;
}

/** The request never reached an answer: refused connection, TLS failure, timeout. */
export class WebhookRequestFailed extends Error {
  override readonly name = "WebhookRequestFailed";
}

/**
 * POSTs `body` to a vetted target, connecting to its vetted address only. The Host header
 * and TLS server name stay the URL's host, so virtual hosts and certificates work as if the
 * name had been resolved here. Redirects are answers like any other (never followed: a 3xx
 * could point anywhere, including inside our network).
 */
export function postWebhook(target: VettedTarget, headers: Record<string, string>, body: string, limits: WebhookRequestLimits = DEFAULT_WEBHOOK_LIMITS): Promise<WebhookResponse> {
  const { url } = target;
  const secure = url.protocol === "https:";
  // Connecting to an IP literal needs no resolution; the lookup is there so that no code path
  // (an agent, a runtime's own quirks) can resolve the name a second time.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const options: https.RequestOptions = {
    method: "POST",
    host: target.address,
    family: target.family,
    port: url.port ? Number(url.port) : secure ? 443 : 80,
    path: `${url.pathname}${url.search}`,
    lookup: pinned,
    agent: false,
    headers: {
      ...headers,
      host: url.host,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "user-agent": "Parley-Webhooks/1",
    },
    ...(secure && !isIP(target.hostname) ? { servername: target.hostname } : {}),
  };

  return new Promise<WebhookResponse>((resolve, reject) => {
    const request = (secure ? https : http).request(options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () => {
        clearTimeout(timer);
        resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), truncated });
      };
      response.on("data", (chunk: Buffer) => {
        if (truncated) return;
        const room = limits.maxResponseBytes - size;
        if (chunk.length >= room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          truncated = chunk.length > room;
          if (truncated) {
            // Enough for the log; an endless body must not hold the delivery open.
            finish();
            response.destroy();
            return;
          }
        } else {
          chunks.push(chunk);
          size += chunk.length;
        }
      });
      response.on("end", () => {
        if (!truncated) finish();
      });
      response.on("error", (error) => {
        if (truncated) return; // we hung up on purpose
        clearTimeout(timer);
        reject(new WebhookRequestFailed(`the response broke off: ${error.message}`));
      });
    });
    const timer = setTimeout(() => {
      const error = new WebhookRequestFailed(`no complete answer within ${limits.timeoutMs / 1000} s`);
      // Rejected here too: once a response has begun, destroying the request need not report back.
      reject(error);
      request.destroy(error);
    }, limits.timeoutMs);
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error instanceof WebhookRequestFailed ? error : new WebhookRequestFailed(describeNetworkError(error)));
    });
    request.end(body);
  });
}

function describeNetworkError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message}` : error.message;
}
