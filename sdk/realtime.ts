/**
 * @parley/sdk/realtime — the same clients plus live tickets: `tickets.subscribe(number, handlers)`
 * over PartyKit with reconnect, resume from the last seq, typing, presence and an outbox.
 * In Node 20, pass `WebSocket` from the `ws` package.
 */
import { createAgentClient as createRestAgentClient, type AgentClientOptions } from "./agent-client.js";
import { SiteFeed } from "./realtime/site-feed.js";
import { TicketSubscription, type TicketHandlers } from "./realtime/subscription.js";
import type { Message, Page, RealtimeToken } from "../protocol/index.js";
import type { Sender } from "./sender.js";
import { createClient as createRestClient, type ClientOptions } from "./visitor-client.js";

/** The part of a REST client a live ticket needs. */
interface TicketsRest {
  tickets: {
    messages(number: string, query: { after: number; limit: number }): Promise<Page<Message>>;
    realtimeToken(number: string): Promise<RealtimeToken>;
  };
  sender: Sender;
}

/** `after`: messages up to this seq are already shown (a page read with `before`); the stream resumes there. */
export interface SubscribeOptions {
  after?: number;
}

function subscriber(rest: TicketsRest, WebSocket: unknown) {
  return (number: string, handlers: TicketHandlers = {}, options: SubscribeOptions = {}) =>
    new TicketSubscription(
      {
        number,
        after: options.after,
        messagesAfter: (after) => rest.tickets.messages(number, { after, limit: 200 }),
        sender: rest.sender,
        realtimeToken: () => rest.tickets.realtimeToken(number),
        WebSocket,
      },
      handlers,
    );
}

export interface RealtimeOptions {
  /** A WebSocket constructor for runtimes without a global one (Node 20: `import WebSocket from "ws"`). */
  WebSocket?: unknown;
}

/**
 * A visitor client with live tickets.
 *
 * @example
 * const parley = createClient({ baseUrl, siteKey: "pk_demo" });
 * const live = parley.tickets.subscribe(number, { message: (m) => console.log(m.body) });
 * await live.send("Hello!");
 */
export function createClient(options: ClientOptions & RealtimeOptions) {
  const rest = createRestClient(options);
  return {
    ...rest,
    tickets: { ...rest.tickets, subscribe: subscriber(rest, options.WebSocket) },
  };
}

/** An agent client with live tickets (notes included) and the site feed for the inbox. */
export async function createAgentClient(options: AgentClientOptions & RealtimeOptions) {
  const rest = await createRestAgentClient(options);
  return Object.assign(rest, {
    tickets: { ...rest.tickets, subscribe: subscriber(rest, options.WebSocket) },
    /** The site room: new tickets, changes, unread counts and colleagues' status. */
    watchSite: (siteId: string) => new SiteFeed(() => rest.siteRealtimeToken(siteId), options.WebSocket),
  });
}

export { TicketSubscription, type TicketEvents, type TicketHandlers } from "./realtime/subscription.js";
export { SiteFeed, type SiteEvents } from "./realtime/site-feed.js";
export * from "./index.js";
