import type {
  AgentAssist,
  Agent,
  AgentDirectoryEntry,
  AgentMessageListQuery,
  AgentNotifications,
  AgentStats,
  AgentStatsQuery,
  AgentStatus,
  AgentTicket,
  AgentTicketListQuery,
  AssignTicketBody,
  BulkActionBody,
  BulkActionResult,
  CannedRendering,
  CannedResponse,
  CannedResponseListQuery,
  Category,
  CreateAgentBody,
  CreateCannedResponseBody,
  CreateCategoryBody,
  CreateDepartmentBody,
  CreateFaqBody,
  CreateSiteBody,
  CreateSlaPolicyBody,
  CreateWebhookEndpointBody,
  Department,
  EscalateTicketBody,
  Faq,
  LoginResult,
  Message,
  Page,
  ReadMark,
  RealtimeToken,
  Site,
  SlaPolicy,
  TicketEvent,
  UpdateSlaPolicyBody,
  UpdateWebhookEndpointBody,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookReplay,
  UpdateAgentBody,
  UpdateCannedResponseBody,
  UpdateFaqBody,
  UpdateSiteBody,
  UpdateTicketBody,
} from "../protocol/index.js";
import { createHttp } from "./http.js";
import { Outbox } from "./outbox.js";
import { createSender, type SendOptions } from "./sender.js";
import { memoryStore, type KeyValueStore } from "./storage.js";

export type AgentClientOptions = {
  baseUrl: string;
  fetch?: typeof fetch;
  storage?: KeyValueStore;
} & ({ token: string } | { credentials: { email: string; password: string } });

type Query<T> = Partial<T>;
type Ok = { ok: true };
type SiteWithSecret = Site & { identitySecret: string };

/**
 * The agent's client: queue, conversation, workflow and admin calls, typed.
 *
 * @example
 * const desk = await createAgentClient({ baseUrl, credentials: { email, password } });
 * const { items } = await desk.tickets.list({ status: "open", sort: "priority" });
 */
export async function createAgentClient(options: AgentClientOptions) {
  let token = "token" in options ? options.token : null;
  const http = createHttp({ baseUrl: options.baseUrl, fetch: options.fetch, token: () => token });
  let me: Agent;
  if ("credentials" in options) {
    const login = await http<LoginResult>("POST", "/v1/auth/login", { body: options.credentials, anonymous: true });
    token = login.token;
    me = login.agent;
  } else {
    me = await http<Agent>("GET", "/v1/agent/me");
  }

  const ticketPath = (number: string, rest = "") => `/v1/agent/tickets/${encodeURIComponent(number)}${rest}`;
  const sender = createSender(http, new Outbox(options.storage ?? memoryStore(), "parley:agent:outbox"), (number) => ticketPath(number, "/messages"));
  const crud = <Row, Create, Update>(path: string) => ({
    list: (query: { cursor?: string; limit?: number } = {}) => http<Page<Row>>("GET", path, { query }),
    create: (body: Create) => http<Row>("POST", path, { body }),
    update: (id: string, body: Update) => http<Row>("PATCH", `${path}/${encodeURIComponent(id)}`, { body }),
    remove: (id: string) => http<Ok>("DELETE", `${path}/${encodeURIComponent(id)}`),
  });

  return {
    /** The signed-in agent, as of sign-in (`refresh()` reloads). */
    get agent(): Agent {
      return me;
    },
    /** The bearer token, to persist a sign-in. */
    get token(): string {
      return token!;
    },
    async refresh() {
      me = await http<Agent>("GET", "/v1/agent/me");
      return me;
    },
    async setStatus(status: AgentStatus) {
      me = await http<Agent>("PATCH", "/v1/agent/me", { body: { status } });
      return me;
    },
    colleagues: () => http<{ items: AgentDirectoryEntry[]; nextCursor: null }>("GET", "/v1/agent/agents"),
    tickets: {
      list: (query: Query<AgentTicketListQuery> = {}) => http<Page<AgentTicket>>("GET", "/v1/agent/tickets", { query }),
      get: (number: string) => http<AgentTicket>("GET", ticketPath(number)),
      /** Suggested articles and a reply draft for the ticket's latest customer messages; nothing is sent. */
      assist: (number: string) => http<AgentAssist>("GET", ticketPath(number, "/assist")),
      update: (number: string, change: UpdateTicketBody) => http<AgentTicket>("PATCH", ticketPath(number), { body: change }),
      assign: (number: string, agentId: AssignTicketBody["agentId"]) => http<AgentTicket>("POST", ticketPath(number, "/assign"), { body: { agentId } }),
      escalate: (number: string, body: EscalateTicketBody) => http<AgentTicket>("POST", ticketPath(number, "/escalate"), { body }),
      resolve: (number: string, note?: string) => http<AgentTicket>("POST", ticketPath(number, "/resolve"), { body: note ? { note } : {} }),
      /** Takes an unassigned ticket; a ParleyError with status 409 when another agent has it. */
      claim: (number: string) => http<AgentTicket>("POST", ticketPath(number, "/claim")),
      /** `note` is said to the customer: a message in the conversation, quoted in the closed email. */
      close: (number: string, note?: string) => http<AgentTicket>("POST", ticketPath(number, "/close"), { body: note ? { note } : {} }),
      /** Messages after a seq, or with `before` the page just below one (newest first paging: `before: 2147483647`). */
      messages: (number: string, query: Query<AgentMessageListQuery> = {}) => http<Page<Message>>("GET", ticketPath(number, "/messages"), { query }),
      /** Replies to the customer (or, with `internal: true`, adds a note); resolves once committed. */
      reply: (number: string, body: string, sendOptions: SendOptions = {}) => sender.send(number, body, sendOptions),
      note: (number: string, body: string) => sender.send(number, body, { internal: true }),
      history: (number: string) => http<Page<TicketEvent>>("GET", ticketPath(number, "/history")),
      markRead: (number: string, seq: number) => http<ReadMark>("POST", ticketPath(number, "/read"), { body: { seq }, idempotent: true }),
      realtimeToken: (number: string) => http<RealtimeToken>("POST", "/v1/realtime/token", { body: { ticket: number }, idempotent: true }),
      /**
       * One action over up to 500 tickets, each changed on its own: check `results` for the
       * tickets that were refused (the others are changed).
       *
       * @example
       * const { failed, results } = await desk.tickets.bulk({ action: "status", status: "pending_customer", numbers });
       */
      bulk: (body: BulkActionBody) => http<BulkActionResult>("POST", "/v1/agent/tickets/bulk", { body }),
      /** A canned response filled in for the ticket; `{ send: true, clientId }` posts it as the caller's reply. */
      useCanned: (number: string, responseId: string, body: { send?: false } | { send: true; clientId: string; internal?: boolean } = {}) =>
        http<CannedRendering>("POST", ticketPath(number, `/canned/${encodeURIComponent(responseId)}`), { body, idempotent: body.send === true }),
    },
    /** The canned responses the agent may use (their own, their team's, the site's), and their own to write. */
    cannedResponses: {
      ...crud<CannedResponse, CreateCannedResponseBody, UpdateCannedResponseBody>("/v1/agent/canned-responses"),
      list: (query: Query<CannedResponseListQuery> = {}) => http<Page<CannedResponse>>("GET", "/v1/agent/canned-responses", { query }),
      get: (id: string) => http<CannedResponse>("GET", `/v1/agent/canned-responses/${encodeURIComponent(id)}`),
    },
    /** Counts, response and resolution times, SLA attainment and CSAT over a range of days. */
    stats: (query: Query<AgentStatsQuery> = {}) => http<AgentStats>("GET", "/v1/agent/stats", { query }),
    /** The dashboard counts (open, unassigned, at risk, breached, my unread) over the caller's sites. */
    notifications: () => http<AgentNotifications>("GET", "/v1/agent/notifications"),
    /** A connect ticket for the site room that feeds the inbox. */
    siteRealtimeToken: (siteId: string) => http<RealtimeToken>("POST", "/v1/realtime/token", { body: { site: siteId }, idempotent: true }),
    admin: {
      agents: {
        ...crud<Agent, CreateAgentBody, UpdateAgentBody>("/v1/admin/agents"),
        get: (id: string) => http<Agent>("GET", `/v1/admin/agents/${encodeURIComponent(id)}`),
        /** The agent works on this site's tickets from its next request on. */
        addSite: (id: string, siteId: string) => http<Agent>("POST", `/v1/admin/agents/${encodeURIComponent(id)}/sites`, { body: { siteId } }),
        /** The agent stops seeing this site's tickets at once, live connections included. */
        removeSite: (id: string, siteId: string) => http<Agent>("DELETE", `/v1/admin/agents/${encodeURIComponent(id)}/sites/${encodeURIComponent(siteId)}`),
      },
      slaPolicies: crud<SlaPolicy, CreateSlaPolicyBody, UpdateSlaPolicyBody>("/v1/admin/sla-policies"),
      webhooks: {
        ...crud<WebhookEndpoint, CreateWebhookEndpointBody, UpdateWebhookEndpointBody>("/v1/admin/webhooks"),
        /** The signing secret is answered here, once. */
        create: (body: CreateWebhookEndpointBody) => http<WebhookEndpointWithSecret>("POST", "/v1/admin/webhooks", { body }),
        deliveries: (id: string, query: { cursor?: string; limit?: number } = {}) => http<Page<WebhookDelivery>>("GET", `/v1/admin/webhooks/${encodeURIComponent(id)}/deliveries`, { query }),
        replay: (id: string, deliveryId: number) => http<WebhookReplay>("POST", `/v1/admin/webhooks/${encodeURIComponent(id)}/deliveries/${deliveryId}/replay`),
      },
      departments: crud<Department, CreateDepartmentBody, Partial<CreateDepartmentBody>>("/v1/admin/departments"),
      categories: crud<Category, CreateCategoryBody, Partial<Omit<CreateCategoryBody, "slug">>>("/v1/admin/categories"),
      faqs: {
        ...crud<Faq, CreateFaqBody, UpdateFaqBody>("/v1/admin/faqs"),
        get: (id: string) => http<Faq>("GET", `/v1/admin/faqs/${encodeURIComponent(id)}`),
      },
      sites: {
        list: (query: { cursor?: string; limit?: number } = {}) => http<Page<Site>>("GET", "/v1/admin/sites", { query }),
        get: (id: string) => http<Site>("GET", `/v1/admin/sites/${encodeURIComponent(id)}`),
        create: (body: CreateSiteBody) => http<SiteWithSecret>("POST", "/v1/admin/sites", { body }),
        update: (id: string, body: UpdateSiteBody) => http<Site>("PATCH", `/v1/admin/sites/${encodeURIComponent(id)}`, { body }),
        rotateSecret: (id: string) => http<SiteWithSecret>("POST", `/v1/admin/sites/${encodeURIComponent(id)}/rotate-secret`),
        /** The site's members (admins work on every site and appear only if they are members). */
        agents: (id: string, query: { cursor?: string; limit?: number } = {}) => http<Page<Agent>>("GET", `/v1/admin/sites/${encodeURIComponent(id)}/agents`, { query }),
      },
    },
    pending: sender.pending,
    flushOutbox: sender.flush,
    /** @internal The outbox-backed sender the realtime layer builds on. */
    sender,
  };
}

export type ParleyAgentClient = Awaited<ReturnType<typeof createAgentClient>>;
