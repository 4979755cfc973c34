import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { TokenSigner } from "./auth/tokens.js";
import type { Database } from "./db/client.js";
import type { ReferenceCache } from "./db/reference-cache.js";
import type { WebhookEndpointCache } from "./db/webhook-endpoint-cache.js";
import type { Outbox } from "./delivery/delivery-runtime.js";
import type { Dispatcher } from "./delivery/dispatcher.js";
import type { WebhookChannel } from "./delivery/webhooks/webhook-channel.js";
import type { EmailServices } from "./delivery/email/email-setup.js";
import type { Jobs } from "./jobs/scheduler.js";
import type { LiveDrafts } from "./assistant/live-drafts.js";
import type { MessageIndexer } from "./tickets/message-index.js";
import type { AiProvider } from "./assistant/provider.js";
import type { TicketRoomMemory } from "./realtime/revocation.js";
import type { SiteScope } from "./domain/site-scope.js";
import { respondWithError } from "./middleware/errors.js";

import type { AgentRow, SiteRow, VisitorRow } from "./db/rows.js";

export type { AgentRow, SiteRow, VisitorRow };

/** What every route group is built from. Passed in, never imported as a global. */
export interface Services {
  db: Database;
  /** Site and category rows kept in memory; admin routes tell it when they change them. */
  reference: ReferenceCache;
  /** Each site's enabled webhook endpoints, checked against the table's stamp in every command (webhook-endpoint-cache.ts). */
  webhookEndpoints: WebhookEndpointCache;
  tokens: TokenSigner;
  /** Milliseconds since the epoch; injectable so SLA and expiry rules can be tested. */
  now: () => number;
  passwordIterations: number;
  /** Off only for benchmarks, where one address plays every visitor. */
  rateLimits: boolean;
  /** The caller's network address, as the runtime or a trusted proxy reports it. */
  clientAddress: (c: Context) => string;
  /** A keyed digest of an address, for rules that compare addresses without storing them. */
  addressHash: (address: string) => Promise<string>;
  log: (message: string, error?: unknown) => void;
  /** Where commands write their announcements, and who delivers them after the commit (delivery-runtime.ts). */
  outbox: Outbox;
  /** The ticket rooms each agent was let into here, so that a deactivation closes their sockets there too. */
  ticketRooms: TicketRoomMemory;
  /**
   * The "webhook" channel the dispatcher delivers through (SSRF guard, signing); the admin
   * routes vet URLs and send the test event with it.
   */
  webhooks: WebhookChannel;
  /**
   * This process's outbox dispatcher, woken when a route puts an entry back in line (a webhook
   * replay); null when none runs here, and the entry waits for whichever dispatcher polls this
   * database (another server, a scheduled drain).
   */
  dispatcher: Pick<Dispatcher, "wake"> | null;
  /**
   * The secret the rooms verify connect tickets with, and the ws(s):// origin clients connect
   * to for this request (this API's own origin for in-process rooms); null when realtime is off.
   */
  realtime: { url: (c: Context) => string; secret: string } | null;
  /** Outgoing email (the "email" channel) and what the email routes verify: signed links, reply addresses, the inbound secret. */
  email: EmailServices;
  /** The scheduled jobs: the admin routes list them and run one on demand. */
  jobs: Jobs;
  /** The origin whose image attachments the inbox shows inline (PARLEY_ATTACHMENT_ORIGIN); null: links only. */
  attachmentOrigin?: string | null;
  /** The external AI provider the assistant writes answers with (PARLEY_AI_URL); null: offline answers only. */
  ai: AiProvider | null;
  /** Moves committed messages into the search index after their commit; a search catches it up first. */
  messageIndex: MessageIndexer;
  /** Shows the provider's answer in the ticket's room while it streams; null with the rooms off. */
  assistantDrafts?: LiveDrafts | null;
}

export type AppEnv = {
  Variables: {
    site: SiteRow;
    visitor: VisitorRow;
    agent: AgentRow;
    /** Set with `agent`: the sites whose tickets this agent may see and act on (tickets/scope.ts). */
    siteScope: SiteScope;
    /** Set on routes open to both sides: which kind of token the request carried. */
    caller: "visitor" | "agent";
    /**
     * Set with `visitor` or `agent`: the database's change stamp read before the request's first
     * query, which its kept reads are checked against (db/stamped-cache.ts); null on a request
     * that writes, which reads everything fresh.
     */
    changeStamp: number | null;
  };
};

/**
 * A route group: an OpenAPIHono whose validation failures answer with the shared
 * error body (400 `validation_failed`, details listing each issue).
 */
export function routeGroup() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const details = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
      const first = details[0];
      const message = first ? `${first.path || "body"}: ${first.message}` : "the request is not valid";
      return respondWithError(c, "validation_failed", message, details);
    },
  });
}
