import type {
  AssistantAnswer,
  AssistantQueryBody,
  ContactBody,
  ContactReceipt,
  CreateTicketBody,
  Faq,
  FaqListQuery,
  FaqSummary,
  HelpEventBody,
  Message,
  MessageListQuery,
  Page,
  RatingBody,
  ReadMark,
  RealtimeToken,
  Session,
  Ticket,
  Visitor,
  VisitorIdentity,
  VisitorJwtIdentity,
  VisitorTicketListQuery,
  WidgetConfig,
} from "../protocol/index.js";
import { ParleyError } from "./errors.js";
import { createHttp, type CallOptions } from "./http.js";
import { newClientId } from "./ids.js";
import { Outbox } from "./outbox.js";
import { createSender, type SendOptions } from "./sender.js";
import { defaultStore, type KeyValueStore } from "./storage.js";

export interface ClientOptions {
  /** Where the Parley API answers, e.g. `https://support.example.com`. */
  baseUrl: string;
  /** The site's public key, `pk_…`. */
  siteKey: string;
  /**
   * A verified identity from the host site, computed on its server with the site's identity
   * secret: `{ id, email?, name?, hash }` where `hash` is hex HMAC-SHA256 of `id`, or of
   * `id + "\n" + email` to vouch for the email as well; or `{ jwt }` (HS256, `sub`, `exp`, and
   * optional `name` and `email`, which then count as verified). A name or email the signature
   * does not cover is kept as unverified (`visitor.nameVerified` / `emailVerified` false).
   *
   * @example
   * // on the host's server (Node):
   * const hash = createHmac("sha256", IDENTITY_SECRET).update(`${user.id}\n${user.email}`).digest("hex");
   */
  identity?: VisitorIdentity | VisitorJwtIdentity;
  /** Where the session and unsent messages live; localStorage in browsers, memory elsewhere. */
  storage?: KeyValueStore;
  fetch?: typeof fetch;
}

type Query<T> = Partial<T>;

/**
 * Whose session a stored one is, so that it is only ever reused for the same user. A JWT is
 * read (not verified: the server did that) for its `sub`, so a hash and a JWT for one user match.
 */
function identityKeyOf(identity: VisitorIdentity | VisitorJwtIdentity | undefined): string {
  if (!identity) return "anonymous";
  if (!("jwt" in identity)) return `user:${identity.id}`;
  try {
    const claims: unknown = JSON.parse(atob(identity.jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    const sub = (claims as { sub?: unknown } | null)?.sub;
    if (typeof sub === "string") return `user:${sub}`;
  } catch {
    // Not a readable JWT: the server will refuse it; key the session by the token itself meanwhile.
  }
  return `jwt:${identity.jwt}`;
}

/**
 * The visitor's client: the widget's calls, typed. No session is created until the visitor
 * does something that needs one (opening a ticket, say); from then on it is remembered.
 *
 * @example
 * const parley = createClient({ baseUrl: "https://support.example.com", siteKey: "pk_demo" });
 * const ticket = await parley.tickets.create({ subject: "Sync stopped", description: "Since 4.1" });
 * await parley.tickets.send(ticket.number, "Hello!");
 */
export function createClient(options: ClientOptions) {
  const store = options.storage ?? defaultStore();
  let identityKey = identityKeyOf(options.identity);
  const sessionKey = `parley:${options.siteKey}:session`;
  let identity = options.identity;
  let session: Session | null = null;
  let pendingSession: Promise<Session> | null = null;

  const sessionHttp = createHttp({ baseUrl: options.baseUrl, siteKey: options.siteKey, fetch: options.fetch, token: () => ensureSession().then((s) => s.token) });
  const publicHttp = createHttp({ baseUrl: options.baseUrl, siteKey: options.siteKey, fetch: options.fetch });

  async function loadStored(): Promise<Session | null> {
    const raw = await store.get(sessionKey);
    if (!raw) return null;
    try {
      const stored = JSON.parse(raw) as { identity: string; session: Session };
      if (stored.identity !== identityKey || Date.parse(stored.session.expiresAt) <= Date.now() + 60_000) return null;
      return stored.session;
    } catch {
      // A damaged entry is as good as none: a new session replaces it.
      return null;
    }
  }

  /** The visitor's session, created on first use and kept in storage afterwards. */
  function ensureSession(): Promise<Session> {
    if (session) return Promise.resolve(session);
    pendingSession ??= (async () => {
      const stored = await loadStored();
      const fresh =
        stored ??
        (await publicHttp<Session>("POST", "/v1/sessions", { body: { siteKey: options.siteKey, ...(identity ? { visitor: identity } : {}) }, anonymous: true }));
      if (!stored) await store.set(sessionKey, JSON.stringify({ identity: identityKey, session: fresh }));
      session = fresh;
      return fresh;
    })().finally(() => {
      pendingSession = null;
    });
    return pendingSession;
  }

  /**
   * Calls with the visitor's session. A 401 means the server no longer knows the session (it
   * expired early, was revoked, or the database behind the API was reset): it is forgotten and
   * the call made once more with a new one, instead of failing on every call from then on.
   */
  async function http<T>(method: string, path: string, callOptions: CallOptions = {}): Promise<T> {
    try {
      return await sessionHttp<T>(method, path, callOptions);
    } catch (error) {
      // No session means the 401 refused starting one (a wrong identity hash): that is the answer.
      if (!(error instanceof ParleyError) || error.status !== 401 || !session) throw error;
      session = null;
      await store.remove(sessionKey);
      return sessionHttp<T>(method, path, callOptions);
    }
  }

  const sender = createSender(http, new Outbox(store, `parley:${options.siteKey}:outbox`), (number) => `/v1/tickets/${encodeURIComponent(number)}/messages`);

  const tickets = {
    create: (body: CreateTicketBody) => http<Ticket>("POST", "/v1/tickets", { body: { clientId: newClientId(), ...body }, idempotent: true }),
    list: (query: Query<VisitorTicketListQuery> = {}) => http<Page<Ticket>>("GET", "/v1/tickets", { query }),
    get: (number: string) => http<Ticket>("GET", `/v1/tickets/${encodeURIComponent(number)}`),
    messages: (number: string, query: Query<MessageListQuery> = {}) =>
      http<Page<Message>>("GET", `/v1/tickets/${encodeURIComponent(number)}/messages`, { query }),
    /**
     * Sends a message and resolves with it once committed. It sits in the outbox until then,
     * so a send cut off by a network failure or a page reload can be delivered later, once.
     */
    send: (number: string, body: string, sendOptions: Omit<SendOptions, "internal"> = {}) => sender.send(number, body, sendOptions),
    markRead: (number: string, seq: number) => http<ReadMark>("POST", `/v1/tickets/${encodeURIComponent(number)}/read`, { body: { seq }, idempotent: true }),
    rate: (number: string, rating: RatingBody) => http<Ticket>("POST", `/v1/tickets/${encodeURIComponent(number)}/rating`, { body: rating }),
    /** Closes the visitor's own resolved ticket (confirming the fix); any other state is a 409 `illegal_transition`. */
    close: (number: string) => http<Ticket>("POST", `/v1/tickets/${encodeURIComponent(number)}/close`),
    realtimeToken: (number: string) => http<RealtimeToken>("POST", "/v1/realtime/token", { body: { ticket: number }, idempotent: true }),
    /** "Talk to a person": the same ticket goes to the team, with the whole conversation. */
    handoff: (number: string) => http<Ticket>("POST", `/v1/tickets/${encodeURIComponent(number)}/handoff`),
  };

  const assistant = {
    /**
     * Asks the site's assistant. With `ticket` (the visitor's own), the question and the
     * answer join that conversation, and a low-confidence answer hands it to the team.
     *
     * @example const { answer, citations, handoff } = await parley.assistant.query({ question: "How do I reset my password?" });
     */
    query: (body: AssistantQueryBody) => http<AssistantAnswer>("POST", "/v1/assistant/query", { body }),
  };

  return {
    siteKey: options.siteKey,
    assistant,
    /** The current visitor, starting a session if there is none yet. */
    visitor: async (): Promise<Visitor> => (await ensureSession()).visitor,
    /** True once a session exists (the visitor has interacted). */
    hasSession: async () => session !== null || (await loadStored()) !== null,
    /** Switches to a verified identity (see `ClientOptions.identity` for what to sign); the next call starts that user's session. */
    async identify(next: VisitorIdentity | VisitorJwtIdentity) {
      identity = next;
      identityKey = identityKeyOf(next);
      session = null;
      await store.remove(sessionKey);
      // Unsent messages belong to whoever wrote them, not to the user signing in now.
      await sender.clear();
    },
    /** Forgets the visitor (logout): session and unsent messages are dropped. */
    async reset() {
      identity = undefined;
      identityKey = identityKeyOf(undefined);
      session = null;
      await store.remove(sessionKey);
      await sender.clear();
    },
    widgetConfig: () => publicHttp<WidgetConfig>("GET", "/v1/widget/config"),
    faqs: {
      search: (query: Query<FaqListQuery> = {}) => publicHttp<Page<FaqSummary>>("GET", "/v1/faqs", { query }),
      get: (slug: string) => publicHttp<Faq>("GET", `/v1/faqs/${encodeURIComponent(slug)}`),
      vote: (slug: string, helpful: boolean) =>
        http<{ helpfulCount: number; notHelpfulCount: number }>("POST", `/v1/faqs/${encodeURIComponent(slug)}/vote`, { body: { helpful }, idempotent: true }),
    },
    /** Reports help-centre use for the deflection count (a search keeps no text; votes count themselves). */
    helpEvent: (event: HelpEventBody) => http<{ ok: true }>("POST", "/v1/help/events", { body: event }),
    /** The contact form: no session needed; it becomes a ticket. */
    contact: (form: Omit<ContactBody, "siteKey">) => publicHttp<ContactReceipt>("POST", "/v1/contact", { body: form }),
    tickets,
    /** Messages still waiting to be committed, oldest first. */
    pending: sender.pending,
    /** Retries every unsent message (e.g. after coming back online); resolves with what was committed. */
    flushOutbox: sender.flush,
    /** @internal The outbox-backed sender the realtime layer builds on. */
    sender,
  };
}

export type ParleyClient = ReturnType<typeof createClient>;
