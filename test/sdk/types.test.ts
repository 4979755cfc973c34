/**
 * The SDK's types, checked by the compiler: `npm run typecheck` (CI) and vitest's typecheck
 * mode both fail if a wrong payload compiles (every `@ts-expect-error` below must still be an
 * error) or if a response type drifts. Nothing here touches the network: the clients are
 * declared, not created, and the bodies of `compileOnly` are never run.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  ParleyError,
  ParleyNetworkError,
  createClient as createRestClient,
  type AgentTicket,
  type Category,
  type ContactReceipt,
  type ErrorCode,
  type Faq,
  type FaqSummary,
  type Message,
  type OutboxEntry,
  type Page,
  type ParleyAgentClient,
  type ParleyClient,
  type Site,
  type Ticket,
  type TicketEvent,
  type TicketPriority,
  type TicketStatus,
  type Visitor,
  type WidgetConfig,
} from "@parley/sdk";
import {
  createAgentClient,
  createClient,
  type AgentStatus,
  type Participant,
  type SiteFeed,
  type TicketHandlers,
  type TicketState,
  type TicketSubscription,
} from "@parley/sdk/realtime";

type LiveClient = ReturnType<typeof createClient>;
type LiveAgentClient = Awaited<ReturnType<typeof createAgentClient>>;

declare const visitor: ParleyClient;
declare const desk: ParleyAgentClient;
declare const live: LiveClient;
declare const liveDesk: LiveAgentClient;
declare const number: string;

/** Type-checks `check` without running it: the declared clients above do not exist at run time. */
const compileOnly = (check: () => unknown) => void check;

const STATUSES = ["open", "in_progress", "pending_customer", "escalated", "resolved", "closed"] as const;
type ExpectedStatus = (typeof STATUSES)[number];

describe("visitor payloads that must not compile", () => {
  it("refuses a ticket without a subject, an unknown priority and a non-string body", () => {
    compileOnly(() => {
      // @ts-expect-error subject is required
      void visitor.tickets.create({ description: "It broke" });
      // @ts-expect-error "asap" is not a TicketPriority
      void visitor.tickets.create({ subject: "Sync", description: "It broke", priority: "asap" });
      // @ts-expect-error tickets from the widget are never `contact` or `email`
      void visitor.tickets.create({ subject: "Sync", description: "It broke", source: "email" });
      // @ts-expect-error a message body is a string
      void visitor.tickets.send(number, 42);
      // @ts-expect-error only agents write internal notes
      void visitor.tickets.send(number, "psst", { internal: true });
      // @ts-expect-error markRead takes a seq number
      void visitor.tickets.markRead(number, "3");
      // @ts-expect-error "done" is not a TicketStatus
      void visitor.tickets.list({ status: "done" });
      // @ts-expect-error a score is a number from 1 to 5
      void visitor.tickets.rate(number, { score: "5" });
      // @ts-expect-error a vote is helpful or not
      void visitor.faqs.vote("reset-your-password", "yes");
      // @ts-expect-error the contact form needs an email
      void visitor.contact({ name: "Mia", subject: "Hello there", message: "Hi" });
      // @ts-expect-error an identity hash comes with the user id
      void visitor.identify({ hash: "ab".repeat(32) });
    });
  });

  it("refuses client options without a site key", () => {
    compileOnly(() => {
      // @ts-expect-error siteKey is required
      createRestClient({ baseUrl: "http://localhost:8787" });
      // @ts-expect-error storage must be a KeyValueStore
      createRestClient({ baseUrl: "http://localhost:8787", siteKey: "pk_demo", storage: new Map() });
    });
  });
});

describe("agent payloads that must not compile", () => {
  it("refuses an unknown status, a numeric assignee and an escalation without a reason", () => {
    compileOnly(async () => {
      // @ts-expect-error "lost" is not a TicketStatus
      void desk.tickets.update(number, { status: "lost" });
      // @ts-expect-error "p1" is not a TicketPriority
      void desk.tickets.update(number, { priority: "p1" });
      // @ts-expect-error an agent id is a string (or null to unassign)
      void desk.tickets.assign(number, 42);
      // @ts-expect-error an escalation says why
      void desk.tickets.escalate(number, {});
      // @ts-expect-error "newest" is not a TicketSort
      void desk.tickets.list({ sort: "newest" });
      // @ts-expect-error a reply body is a string
      void desk.tickets.reply(number, { text: "hi" });
      // @ts-expect-error "lunch" is not an AgentStatus
      void desk.setStatus("lunch");
      // @ts-expect-error a category needs a slug
      void desk.admin.categories.create({ name: "Returns" });
      // @ts-expect-error the slug of a category never changes
      void desk.admin.categories.update("id", { slug: "other" });
      // @ts-expect-error tier is 1, 2 or 3 as a number
      void desk.admin.agents.update("id", { tier: "2" });
      // @ts-expect-error agents sign in with credentials or a token
      await createAgentClient({ baseUrl: "http://localhost:8787" });
    });
  });

  it("keeps allowed calls compiling", () => {
    compileOnly(async () => {
      await desk.tickets.assign(number, null);
      await desk.tickets.update(number, { status: "pending_customer", tags: ["vip"] });
      await desk.tickets.list({ status: "open", priority: "urgent", assignee: "me", sort: "priority" });
      await desk.tickets.reply(number, "Noted", { internal: true, clientId: "reply-0001" });
    });
  });
});

describe("responses are precisely typed", () => {
  it("types the visitor's calls", () => {
    expectTypeOf<ParleyClient["tickets"]["create"]>().returns.resolves.toEqualTypeOf<Ticket>();
    expectTypeOf<Ticket["status"]>().toEqualTypeOf<ExpectedStatus>();
    expectTypeOf<TicketStatus>().toEqualTypeOf<ExpectedStatus>();
    expectTypeOf<Ticket["priority"]>().toEqualTypeOf<"low" | "normal" | "high" | "urgent">();
    expectTypeOf<Ticket["number"]>().toBeString();
    expectTypeOf<Ticket["rating"]>().toEqualTypeOf<number | null>();
    expectTypeOf<ParleyClient["tickets"]["list"]>().returns.resolves.toEqualTypeOf<Page<Ticket>>();
    expectTypeOf<ParleyClient["tickets"]["send"]>().returns.resolves.toEqualTypeOf<Message>();
    expectTypeOf<ParleyClient["tickets"]["messages"]>().returns.resolves.toEqualTypeOf<{ items: Message[]; nextCursor: string | null }>();
    expectTypeOf<Message["senderType"]>().toEqualTypeOf<"customer" | "agent" | "system" | "bot">();
    expectTypeOf<Message["seq"]>().toBeNumber();
    expectTypeOf<ParleyClient["widgetConfig"]>().returns.resolves.toEqualTypeOf<WidgetConfig>();
    expectTypeOf<ParleyClient["faqs"]["search"]>().returns.resolves.toEqualTypeOf<Page<FaqSummary>>();
    expectTypeOf<ParleyClient["faqs"]["get"]>().returns.resolves.toEqualTypeOf<Faq>();
    expectTypeOf<ParleyClient["contact"]>().returns.resolves.toEqualTypeOf<ContactReceipt>();
    expectTypeOf<ParleyClient["visitor"]>().returns.resolves.toEqualTypeOf<Visitor>();
    expectTypeOf<ParleyClient["pending"]>().returns.resolves.toEqualTypeOf<OutboxEntry[]>();
    expectTypeOf<ParleyClient["flushOutbox"]>().returns.resolves.toEqualTypeOf<Message[]>();
  });

  it("types the agent's calls", () => {
    expectTypeOf<ParleyAgentClient["tickets"]["get"]>().returns.resolves.toEqualTypeOf<AgentTicket>();
    expectTypeOf<AgentTicket>().toMatchTypeOf<Ticket>();
    expectTypeOf<AgentTicket["assigneeId"]>().toEqualTypeOf<string | null>();
    expectTypeOf<ParleyAgentClient["tickets"]["escalate"]>().returns.resolves.toEqualTypeOf<AgentTicket>();
    expectTypeOf<ParleyAgentClient["tickets"]["reply"]>().returns.resolves.toEqualTypeOf<Message>();
    expectTypeOf<ParleyAgentClient["tickets"]["history"]>().returns.resolves.toEqualTypeOf<Page<TicketEvent>>();
    expectTypeOf<ParleyAgentClient["tickets"]["update"]>().parameter(1).toHaveProperty("status").toEqualTypeOf<TicketStatus | undefined>();
    expectTypeOf<ParleyAgentClient["tickets"]["assign"]>().parameter(1).toEqualTypeOf<string | null>();
    expectTypeOf<ParleyAgentClient["admin"]["categories"]["create"]>().returns.resolves.toEqualTypeOf<Category>();
    expectTypeOf<ParleyAgentClient["admin"]["sites"]["create"]>().returns.resolves.toEqualTypeOf<Site & { identitySecret: string }>();
    expectTypeOf<ParleyAgentClient["admin"]["sites"]["get"]>().returns.resolves.not.toHaveProperty("identitySecret");
    expectTypeOf<ParleyAgentClient["agent"]["status"]>().toEqualTypeOf<AgentStatus>();
  });

  it("types errors: status is a number and code an ErrorCode, not any string", () => {
    expectTypeOf<ParleyError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<ParleyError["code"]>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<ErrorCode>().not.toEqualTypeOf<string>();
    expectTypeOf<"rate_limited">().toMatchTypeOf<ErrorCode>();
    expectTypeOf<"teapot">().not.toMatchTypeOf<ErrorCode>();
    expectTypeOf<ParleyError>().toMatchTypeOf<Error>();
    expectTypeOf<ParleyNetworkError>().toMatchTypeOf<Error>();
    compileOnly((error: unknown = null) => {
      if (error instanceof ParleyError) {
        expectTypeOf(error.code).toEqualTypeOf<ErrorCode>();
        // @ts-expect-error codes are a closed set
        if (error.code === "teapot") return;
      }
    });
  });

  it("types live tickets: handlers get Message, typing, presence and state; send resolves a Message", () => {
    expectTypeOf<TicketHandlers["message"]>().toEqualTypeOf<((payload: Message) => void) | undefined>();
    expectTypeOf<LiveClient["tickets"]["subscribe"]>().returns.toEqualTypeOf<TicketSubscription>();
    expectTypeOf<LiveAgentClient["tickets"]["subscribe"]>().returns.toEqualTypeOf<TicketSubscription>();
    expectTypeOf<TicketSubscription["send"]>().returns.resolves.toEqualTypeOf<Message>();
    expectTypeOf<TicketSubscription["messages"]>().toEqualTypeOf<readonly Message[]>();
    expectTypeOf<LiveAgentClient["watchSite"]>().returns.toEqualTypeOf<SiteFeed>();
    compileOnly(() => {
      const sub = live.tickets.subscribe(number, {
        message: (message) => expectTypeOf(message).toEqualTypeOf<Message>(),
        typing: ({ participant, typing }) => {
          expectTypeOf(participant).toEqualTypeOf<Participant>();
          expectTypeOf(typing).toBeBoolean();
        },
        presence: (participants) => expectTypeOf(participants).toEqualTypeOf<Participant[]>(),
        ticket: (state) => expectTypeOf(state.status).toEqualTypeOf<TicketStatus>(),
        read: ({ side }) => expectTypeOf(side).toEqualTypeOf<"customer" | "agent">(),
        // @ts-expect-error there is no such event
        joined: () => undefined,
      });
      sub.on("ticket", (state) => expectTypeOf(state).toEqualTypeOf<TicketState>());
      // @ts-expect-error there is no such event
      sub.on("delivered", () => undefined);
      // @ts-expect-error a message handler gets a Message, not a string
      live.tickets.subscribe(number, { message: (body: string) => body });
      // @ts-expect-error setTyping takes a boolean
      sub.setTyping("yes");
      // @ts-expect-error a message body is a string
      void sub.send(42);

      const feed = liveDesk.watchSite("site-id");
      feed.on("ticketCreated", (ticket) => expectTypeOf(ticket).toEqualTypeOf<AgentTicket>());
      feed.on("unread", ({ unreadCount }) => expectTypeOf(unreadCount).toBeNumber());
      feed.on("agentStatus", ({ status }) => expectTypeOf(status).toEqualTypeOf<AgentStatus>());
    });
  });

  it("keeps realtime out of the REST entry point", () => {
    compileOnly(() => {
      // @ts-expect-error subscribe lives in @parley/sdk/realtime
      visitor.tickets.subscribe(number, {});
      // @ts-expect-error watchSite lives in @parley/sdk/realtime
      desk.watchSite("site-id");
    });
    expectTypeOf<TicketPriority>().toEqualTypeOf<"low" | "normal" | "high" | "urgent">();
  });
});
