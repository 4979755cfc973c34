import { sql, type SQL } from "drizzle-orm";
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import type {
  ActorType,
  AgentRole,
  AgentStatus,
  RoutingMode,
  Attachment,
  Branding,
  BusinessHours,
  CannedScope,
  HelpEventKind,
  SenderType,
  TicketEventType,
  TicketPriority,
  TicketSource,
  TicketStatus,
  WebhookEventType,
} from "../../protocol/index.js";

// Timestamps are integer milliseconds since the epoch; the API renders them as ISO strings.
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
/** Where the `due` sort puts tickets with no pending target (paused, finished, no policy): after every real one. */
export const NO_DUE_DATE = 9_000_000_000_000_000;

export type SlaClockKind = "business" | "continuous";

/**
 * The pending SLA target's column, as SQL: the first-response one until the first response,
 * then the resolution one; `none` while the clock is paused (waiting on the customer), once the
 * ticket is finished, or without targets. Mirrors `pendingTarget` in server/domain/sla.ts.
 */
function slaPending(firstResponse: string, resolution: string, none: SQL) {
  return sql`(case when status in ('pending_customer', 'resolved', 'closed') then ${none} when first_response_at is null and first_response_due_at is not null then coalesce(${sql.raw(firstResponse)}, ${none}) else coalesce(${sql.raw(resolution)}, ${none}) end)`;
}

/** One target's next alarm (`slaAlarm` in server/domain/sla.ts): null when breached or without a due time. */
const targetAlarm = (target: "first_response" | "resolution") =>
  `(case when ${target}_due_at is null or ${target}_breached_at is not null then null when ${target}_warned_at is null then ${target}_warn_at else ${target}_due_at end)`;
const firstResponseAlarm = `(case when first_response_at is null then ${targetAlarm("first_response")} end)`;
/** `sla_alarm_at`: the earlier of the running targets' alarms (SQLite's two-argument min is null if either is). */
const SLA_ALARM_AT = `(case when status in ('pending_customer', 'resolved', 'closed') then null
  else coalesce(min(${firstResponseAlarm}, ${targetAlarm("resolution")}), ${firstResponseAlarm}, ${targetAlarm("resolution")}) end)`;

const createdAt = () => integer("created_at").notNull().default(now);

export const sites = sqliteTable("sites", {
  id: text("id").primaryKey(),
  publicKey: text("public_key").notNull().unique(),
  name: text("name").notNull(),
  allowedOrigins: text("allowed_origins", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  identitySecret: text("identity_secret").notNull(),
  requireVerifiedIdentity: integer("require_verified_identity", { mode: "boolean" }).notNull().default(false),
  branding: text("branding", { mode: "json" }).$type<Partial<Branding>>().notNull().default(sql`'{}'`),
  locale: text("locale").notNull().default("en"),
  businessHours: text("business_hours", { mode: "json" }).$type<BusinessHours>(),
  /**
   * Visitor tokens carry the epoch they were issued under; rotating the identity secret or
   * starting to require verified identity bumps it, and older tokens stop working.
   */
  tokenEpoch: integer("token_epoch").notNull().default(0),
  /**
   * What the scheduled jobs (server/jobs/) do for this site; null turns that job off here.
   * Resolved tickets close after `autoCloseDays`; a rating reminder goes out
   * `ratingReminderHours` after resolution; a ticket open and unassigned for
   * `unassignedEscalationHours` goes up a tier; a live chat with no message for
   * `chatIdleHours` is archived and its transcript emailed.
   */
  autoCloseDays: integer("auto_close_days").default(7),
  ratingReminderHours: integer("rating_reminder_hours").default(24),
  unassignedEscalationHours: integer("unassigned_escalation_hours").default(48),
  chatIdleHours: integer("chat_idle_hours").default(24),
  /**
   * `automatic`: a new ticket goes to an agent by the routing rule (server/domain/routing.ts)
   * inside the command that opens it; `manual`: it waits in the queue for a claim or an assignment.
   */
  routing: text("routing").$type<RoutingMode>().notNull().default("manual"),
  /** An agent of this site who goes away hands its unfinished tickets of this site back to the queue. */
  releaseOnAway: integer("release_on_away", { mode: "boolean" }).notNull().default(false),
  /** The widget hands a new conversation to the assistant first (the visitor can ask for a person at any time). */
  assistantEnabled: integer("assistant_enabled", { mode: "boolean" }).notNull().default(false),
  /** The assistant answers only at or above this confidence (0–1); under it the question goes to a person. */
  assistantThreshold: real("assistant_threshold").notNull().default(0.35),
  /** Tokens an external AI provider may spend for this site per calendar month (UTC); 0 = no limit. */
  assistantMonthlyTokens: integer("assistant_monthly_tokens").notNull().default(0),
  createdAt: createdAt(),
});

export const visitors = sqliteTable(
  "visitors",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id),
    externalId: text("external_id"),
    name: text("name"),
    email: text("email"),
    /** The id was vouched for by the site (identity hash or JWT). */
    verified: integer("verified", { mode: "boolean" }).notNull().default(false),
    /** The name and the email were each covered by the site's signature, not just sent alongside it. */
    nameVerified: integer("name_verified", { mode: "boolean" }).notNull().default(false),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at").notNull().default(now),
  },
  (t) => [uniqueIndex("visitors_site_external_idx").on(t.siteId, t.externalId)],
);

export const departments = sqliteTable("departments", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  description: text("description"),
  createdAt: createdAt(),
});

export const categories = sqliteTable("categories", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  departmentId: text("department_id").references(() => departments.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

export const agents = sqliteTable("agents", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role").$type<AgentRole>().notNull().default("agent"),
  departmentId: text("department_id").references(() => departments.id, { onDelete: "set null" }),
  tier: integer("tier").notNull().default(1),
  status: text("status").$type<AgentStatus>().notNull().default("away"),
  capacity: integer("capacity").notNull().default(5),
  /** Category ids this agent handles; empty: any category. Routing only gives them tickets of these. */
  skills: text("skills", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  /** Agent tokens carry the epoch they were issued under; a password change or deactivation bumps it. */
  tokenEpoch: integer("token_epoch").notNull().default(0),
  createdAt: createdAt(),
});

/**
 * Which sites an agent works on: an agent lists, reads, acts on and subscribes to the tickets
 * of these sites only (server/tickets/scope.ts); an admin works on every site whatever is
 * stored here. An agent with no row sees no ticket at all. The primary key serves "the sites
 * of this agent" (every agent request reads it); the second index "the agents of this site".
 */
export const agentSites = sqliteTable(
  "agent_sites",
  {
    agentId: text("agent_id").notNull().references(() => agents.id, { onDelete: "cascade" }),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.siteId] }), index("agent_sites_site_idx").on(t.siteId, t.agentId)],
);

/**
 * Routing's round-robin pointer: the agent who last got a ticket routed, per site and
 * department ('' for none), so that among equally loaded candidates the next one in id order
 * gets the next ticket, across restarts and servers (written in the routing command's transaction).
 */
export const routingPointers = sqliteTable(
  "routing_pointers",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    departmentKey: text("department_key").notNull(),
    lastAgentId: text("last_agent_id").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.departmentKey] })],
);

/** Per-year counter behind ticket numbers like TKT-2026-000123. */
export const ticketCounters = sqliteTable("ticket_counters", {
  year: integer("year").primaryKey(),
  last: integer("last").notNull(),
});

export const tickets = sqliteTable(
  "tickets",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull().unique(),
    siteId: text("site_id").notNull().references(() => sites.id),
    visitorId: text("visitor_id").references(() => visitors.id),
    customerName: text("customer_name"),
    customerEmail: text("customer_email"),
    /** Where the customer was when they opened the ticket (origin and path only) and their language, as the widget or SDK said. */
    pageUrl: text("page_url"),
    customerLocale: text("customer_locale"),
    subject: text("subject").notNull(),
    description: text("description").notNull(),
    categoryId: text("category_id").references(() => categories.id, { onDelete: "set null" }),
    priority: text("priority").$type<TicketPriority>().notNull().default("normal"),
    /**
     * The priority sort's key, urgent 0 … low 3 (`priorityRank`), derived by SQLite itself so no
     * write can leave it behind its `priority`.
     */
    priorityRank: integer("priority_rank")
      .notNull()
      .generatedAlwaysAs(sql`(case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end)`, { mode: "virtual" }),
    status: text("status").$type<TicketStatus>().notNull().default("open"),
    source: text("source").$type<TicketSource>().notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    assigneeId: text("assignee_id").references(() => agents.id, { onDelete: "set null" }),
    departmentId: text("department_id").references(() => departments.id, { onDelete: "set null" }),
    tier: integer("tier").notNull().default(1),
    clientId: text("client_id"),
    firstResponseDueAt: integer("first_response_due_at"),
    resolutionDueAt: integer("resolution_due_at"),
    firstResponseAt: integer("first_response_at"),
    escalatedAt: integer("escalated_at"),
    resolvedAt: integer("resolved_at"),
    /** Who resolved it (an agent's id; null for a bot, the system, or a ticket not resolved) and what they wrote. */
    resolvedBy: text("resolved_by"),
    resolution: text("resolution"),
    closedAt: integer("closed_at"),
    rating: integer("rating"),
    ratingComment: text("rating_comment"),
    ratedAt: integer("rated_at"),
    /** When the conversation went from the assistant to the team (the visitor asked, or the assistant could not answer); null while the assistant may answer. */
    handedOffAt: integer("handed_off_at"),
    // The SLA clock (server/domain/sla.ts). Each target has a due time and its 80 % mark (the
    // warning), both in the policy's clock (business hours or around the clock), pushed later by
    // the business time spent paused. A breach is stamped once per target and never cleared; the
    // warned stamps are the SLA monitor's, so that each warning goes out once.
    firstResponseWarnAt: integer("first_response_warn_at"),
    resolutionWarnAt: integer("resolution_warn_at"),
    firstResponseBreachedAt: integer("first_response_breached_at"),
    resolutionBreachedAt: integer("resolution_breached_at"),
    firstResponseWarnedAt: integer("first_response_warned_at"),
    resolutionWarnedAt: integer("resolution_warned_at"),
    /** How the targets are measured: the site's business hours, around the clock, or null with no policy. */
    slaClock: text("sla_clock").$type<SlaClockKind>(),
    /** When the clock stopped (waiting on the customer, or resolved); null while it runs. */
    slaPausedAt: integer("sla_paused_at"),
    /** Business time (ms) the clock has stood still so far, so a re-computed target keeps the credit. */
    slaPausedMs: integer("sla_paused_ms").notNull().default(0),
    /**
     * The due time of the pending target (first response until there is one, then resolution),
     * or after every real one when the clock is paused, the ticket finished or without targets:
     * the `due` sort's key and the SLA filters' comparison with now.
     */
    slaDueAt: integer("sla_due_at")
      .notNull()
      .generatedAlwaysAs(slaPending("first_response_due_at", "resolution_due_at", sql.raw(String(NO_DUE_DATE))), { mode: "virtual" }),
    /** The pending target's 80 % mark, on the same terms: at risk is `sla_warn_at <= now < sla_due_at`. */
    slaWarnAt: integer("sla_warn_at")
      .notNull()
      .generatedAlwaysAs(slaPending("first_response_warn_at", "resolution_warn_at", sql.raw(String(NO_DUE_DATE))), { mode: "virtual" }),
    /**
     * When the SLA monitor next has something to do for this ticket (`slaAlarm`): per target whose
     * clock runs (the first response until there is one, the resolution throughout), its warning
     * until it was sent, then its due time until its breach is stamped; the earlier of the two;
     * null when nothing is left (paused, finished, no targets). Indexed, so "what is overdue" is a
     * range read.
     */
    slaAlarmAt: integer("sla_alarm_at").generatedAlwaysAs(sql.raw(SLA_ALARM_AT), { mode: "virtual" }),
    /**
     * 1 while the clock runs toward a target and none has been missed (the ticket is `ok` or `at
     * risk` by the clock, or overdue and not yet stamped), else null: `isWatched` in
     * server/domain/sla.ts. Few tickets are, so the at-risk filter reads them along
     * tickets_watched_* (one per queue order) instead of walking the whole queue.
     */
    slaWatched: integer("sla_watched").generatedAlwaysAs(
      sql.raw(`(case when status in ('pending_customer', 'resolved', 'closed') then null
        when first_response_breached_at is not null or resolution_breached_at is not null then null
        when (first_response_at is null and first_response_due_at is not null) or resolution_due_at is not null then 1 end)`),
      { mode: "virtual" },
    ),
    /** Highest message seq handed out, notes included. */
    lastSeq: integer("last_seq").notNull().default(0),
    /** Messages a customer can see. */
    messageCount: integer("message_count").notNull().default(0),
    lastMessageAt: integer("last_message_at"),
    /** The customer's read mark as a message seq (the team's view of it). */
    visitorReadSeq: integer("visitor_read_seq").notNull().default(0),
    agentReadSeq: integer("agent_read_seq").notNull().default(0),
    /**
     * The same two marks as visible seqs (messages.visible_seq), the only numbering the
     * customer sees: a full seq would show by its gaps where internal notes are.
     */
    visitorReadVisibleSeq: integer("visitor_read_visible_seq").notNull().default(0),
    agentReadVisibleSeq: integer("agent_read_visible_seq").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => {
    // The agent queue's orders (server/tickets/queue.ts). Each index ends in its sort key, so
    // SQLite reads a page in order and stops instead of sorting every matching row; the rowid,
    // which every index carries last, is the tiebreak. Status and assignee lead their own
    // copies because their values follow time (open and unassigned tickets are the recent
    // ones), so scanning a sort index and skipping other rows would cross most of the table.
    // Other filters (priority, category, department, site) are spread over time and common
    // enough that reading along the order's index and skipping finds a page quickly.
    const orders = (name: string, ...lead: SQLiteColumn[]) => {
      const on = (key: SQLiteColumn, ...rest: SQLiteColumn[]): [SQLiteColumn, ...SQLiteColumn[]] => [...lead, key, ...rest] as [SQLiteColumn, ...SQLiteColumn[]];
      return [
        // Without a lead, tickets_created_idx below serves the created orders.
        ...(lead.length > 0 ? [index(`tickets_${name}_created_idx`).on(...on(t.createdAt))] : []),
        index(`tickets_${name}_updated_idx`).on(...on(t.updatedAt)),
        index(`tickets_${name}_priority_idx`).on(...on(t.priorityRank, t.createdAt)),
        index(`tickets_${name}_due_idx`).on(...on(t.slaDueAt)),
      ];
    };
    return [
      ...orders("queue"),
      ...orders("status", t.status),
      ...orders("assignee", t.assigneeId),
      // "My open tickets": an agent holds a handful of open tickets among thousands of closed
      // ones, so neither a status nor an assignee index finds a page of them in order. Its
      // (assignee, status) prefix also serves the agent load counts of routing.
      ...orders("assignee_status", t.assigneeId, t.status),
      index("tickets_created_idx").on(t.createdAt),
      index("tickets_visitor_idx").on(t.visitorId, t.createdAt),
      index("tickets_site_status_idx").on(t.siteId, t.status),
      // The dashboard counts (server/tickets/dashboard-counts.ts): per site and unfinished
      // status, every column they test, so the counts are read from this index alone. Base
      // columns, not sla_due_at/sla_warn_at: SQLite would read the row to compute a virtual one.
      index("tickets_site_dashboard_idx").on(
        t.siteId,
        t.status,
        t.assigneeId,
        t.firstResponseAt,
        t.firstResponseDueAt,
        t.firstResponseWarnAt,
        t.resolutionDueAt,
        t.resolutionWarnAt,
        t.firstResponseBreachedAt,
        t.resolutionBreachedAt,
      ),
      uniqueIndex("tickets_visitor_client_idx").on(t.visitorId, t.clientId),
      index("tickets_sla_alarm_idx").on(t.slaAlarmAt).where(sql`sla_alarm_at is not null`),
      // The at-risk filter (server/tickets/queue.ts): the watched tickets only, in each queue
      // order, so `sla_watched = 1` is an index range read in order; the due order's also seeks
      // past the overdue ones.
      ...(
        [
          ["created", [t.createdAt]],
          ["updated", [t.updatedAt]],
          ["priority", [t.priorityRank, t.createdAt]],
          ["due", [t.slaDueAt]],
        ] as const
      ).map(([name, keys]) =>
        index(`tickets_watched_${name}_idx`)
          .on(t.slaWatched, ...keys)
          .where(sql`sla_watched = 1`),
      ),
    ];
  },
);

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    ticketId: text("ticket_id").notNull().references(() => tickets.id),
    seq: integer("seq").notNull(),
    /**
     * 1, 2, 3… over the messages a customer can see (null on internal notes): the seq the
     * customer's views, paging and read marks use, so its gaps reveal no notes.
     */
    visibleSeq: integer("visible_seq"),
    clientId: text("client_id"),
    senderType: text("sender_type").$type<SenderType>().notNull(),
    senderId: text("sender_id"),
    senderName: text("sender_name"),
    body: text("body").notNull(),
    internal: integer("internal", { mode: "boolean" }).notNull().default(false),
    attachments: text("attachments", { mode: "json" }).$type<Attachment[]>().notNull().default(sql`'[]'`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_ticket_seq_idx").on(t.ticketId, t.seq),
    uniqueIndex("messages_ticket_visible_seq_idx").on(t.ticketId, t.visibleSeq),
    uniqueIndex("messages_ticket_client_idx").on(t.ticketId, t.clientId),
  ],
);

/**
 * How far the search index (`messages_fts`) has got: every message whose rowid is at most
 * `through` is in it, and none above. A message write adds nothing for the index; the indexer
 * (tickets/message-index.ts) takes the messages above the mark in batches after their commits
 * and moves it, and a search first catches up, so it never misses a committed message. Triggers
 * keep an edit or a delete of an indexed message exact in the index, and a delete of the newest
 * messages lowers the mark below the rowid SQLite will give the next one.
 */
export const searchIndexMarks = sqliteTable("search_index_marks", {
  name: text("name").primaryKey(),
  through: integer("through").notNull(),
});

/** Append-only: a trigger in the migrations refuses UPDATE and DELETE. */
export const ticketEvents = sqliteTable(
  "ticket_events",
  {
    id: text("id").primaryKey(),
    ticketId: text("ticket_id").notNull().references(() => tickets.id),
    type: text("type").$type<TicketEventType>().notNull(),
    actorType: text("actor_type").$type<ActorType>().notNull(),
    actorId: text("actor_id"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [index("ticket_events_ticket_idx").on(t.ticketId, t.createdAt)],
);

/**
 * SLA targets in minutes: per priority, per category (any priority), or per both. The most
 * specific policy wins (server/domain/sla.ts `pickPolicy`). `business_hours` says whether the
 * targets run in the site's business calendar or around the clock.
 */
export const slaPolicies = sqliteTable(
  "sla_policies",
  {
    // A default so that the rows of the old per-priority table keep working when copied over.
    id: text("id").primaryKey().default(sql`(lower(hex(randomblob(16))))`),
    priority: text("priority").$type<TicketPriority>(),
    categoryId: text("category_id").references(() => categories.id, { onDelete: "cascade" }),
    firstResponseMinutes: integer("first_response_minutes").notNull(),
    resolutionMinutes: integer("resolution_minutes").notNull(),
    businessHours: integer("business_hours", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  // One policy per scope. NULLs repeat in a unique index, so each kind of scope has its own partial one.
  (t) => [
    uniqueIndex("sla_policies_priority_category_idx").on(t.priority, t.categoryId).where(sql`priority is not null and category_id is not null`),
    uniqueIndex("sla_policies_priority_idx").on(t.priority).where(sql`category_id is null`),
    uniqueIndex("sla_policies_category_idx").on(t.categoryId).where(sql`priority is null`),
  ],
);

/** Articles; `faqs_fts` (FTS5, external content) is kept in sync by triggers in the migrations. */
export const faqs = sqliteTable(
  "faqs",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    categoryId: text("category_id").references(() => categories.id, { onDelete: "set null" }),
    /** The article's status: true is published (visitors see it), false a draft. */
    published: integer("published", { mode: "boolean" }).notNull().default(true),
    /** When the article was last published (null while it never was). */
    publishedAt: integer("published_at"),
    /** Lowercase labels, a JSON array. */
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Order within its category: lower first, then by title. */
    position: integer("position").notNull().default(0),
    helpfulCount: integer("helpful_count").notNull().default(0),
    notHelpfulCount: integer("not_helpful_count").notNull().default(0),
    viewCount: integer("view_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("faqs_site_slug_idx").on(t.siteId, t.slug)],
);

/** "See also" links between articles of one site, in the order the editor gave them. */
export const faqRelated = sqliteTable(
  "faq_related",
  {
    faqId: text("faq_id").notNull().references(() => faqs.id, { onDelete: "cascade" }),
    relatedId: text("related_id").notNull().references(() => faqs.id, { onDelete: "cascade" }),
    rank: integer("rank").notNull(),
  },
  (t) => [primaryKey({ columns: [t.faqId, t.relatedId] })],
);

/**
 * One vote per visitor per article; changing one's mind moves the vote. An anonymous visitor
 * can start a new session at will, so their votes also carry a keyed hash of the network
 * address and the UTC day: one new anonymous vote per article per address per day. Verified
 * visitors are stable people and leave both null (SQLite lets NULLs repeat in a unique index).
 */
export const faqVotes = sqliteTable(
  "faq_votes",
  {
    faqId: text("faq_id").notNull().references(() => faqs.id, { onDelete: "cascade" }),
    visitorId: text("visitor_id").notNull().references(() => visitors.id),
    helpful: integer("helpful", { mode: "boolean" }).notNull(),
    addressHash: text("address_hash"),
    /** Days since the epoch (UTC) when the vote was first cast. */
    day: integer("day"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.faqId, t.visitorId] }), uniqueIndex("faq_votes_address_day_idx").on(t.faqId, t.addressHash, t.day)],
);

/**
 * What a visitor did in the help centre (searched, opened an article, voted), one row each,
 * for the deflection report: did their session end without a ticket? A search keeps no text.
 */
export const helpEvents = sqliteTable(
  "help_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    visitorId: text("visitor_id").notNull().references(() => visitors.id, { onDelete: "cascade" }),
    kind: text("kind").$type<HelpEventKind>().notNull(),
    faqId: text("faq_id").references(() => faqs.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("help_events_site_created_idx").on(t.siteId, t.createdAt), index("help_events_visitor_created_idx").on(t.visitorId, t.createdAt)],
);

export const contactMessages = sqliteTable("contact_messages", {
  id: text("id").primaryKey(),
  siteId: text("site_id").notNull().references(() => sites.id),
  ticketId: text("ticket_id").notNull().references(() => tickets.id),
  name: text("name").notNull(),
  email: text("email").notNull(),
  subject: text("subject").notNull(),
  message: text("message").notNull(),
  createdAt: createdAt(),
});

/**
 * Where a site's events are POSTed (Standard Webhooks). The secret signs every delivery and is
 * answered only at creation and rotation. Deliveries themselves live in the outbox.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    events: text("events", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** `whsec_<base64>`. */
    secret: text("secret").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  // Serves the per-event lookup inside every command's transaction: "the enabled endpoints of this site".
  (t) => [index("webhook_endpoints_site_enabled_idx").on(t.siteId, t.enabled)],
);

/**
 * A stamp per cached table, changed by triggers (see the migration) on every insert, update and
 * delete of that table, by whoever writes it: this server's admin routes, another server on the
 * same database, the CLI. A process keeps the table in memory and, inside each write
 * transaction, compares one stamp instead of reading the table (webhook-endpoint-cache.ts).
 * A random stamp rather than a counter: a change rolled back can never be mistaken for a
 * later committed one with the same number.
 */
export const tableStamps = sqliteTable("table_stamps", {
  name: text("name").primaryKey(),
  /** Random hex, never read for its value: only whether it is still the one a copy was read under. */
  stamp: text("stamp").notNull(),
});

/** Customers who asked for no more email from a site (one row per site and address, lower-cased). */
export const emailUnsubscribes = sqliteTable(
  "email_unsubscribes",
  {
    siteId: text("site_id").notNull().references(() => sites.id),
    email: text("email").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.email] })],
);

/**
 * Inbound mail we refused (forged or expired reply address, unknown ticket or site, nothing
 * left after stripping quotes…), kept byte for byte so that nothing sent to us is lost.
 */
export const inboundDeadLetters = sqliteTable(
  "inbound_dead_letters",
  {
    id: text("id").primaryKey(),
    reason: text("reason").notNull(),
    detail: text("detail"),
    sender: text("sender"),
    recipients: text("recipients", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    subject: text("subject"),
    messageId: text("message_id"),
    raw: blob("raw", { mode: "buffer" }).notNull(),
    size: integer("size").notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index("inbound_dead_letters_received_idx").on(t.receivedAt)],
);

export type OutboxStatus = "pending" | "delivered" | "dead";

/**
 * The transactional outbox: written in the same transaction as the change it announces,
 * delivered at least once by the dispatcher (server/delivery/dispatcher.ts). The id is the
 * global order; entries of one (channel, target) go out one after another in id order.
 * `ticket_id` is deliberately not a foreign key: it is a label for the log, and an insert on
 * the message-write path should not pay for a lookup.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    channel: text("channel").$type<"room" | "webhook" | "email">().notNull(),
    target: text("target").notNull(),
    eventType: text("event_type").notNull(),
    /** JSON text exactly as the command wrote it, so a replay sends the same bytes. */
    payload: text("payload").notNull(),
    ticketId: text("ticket_id"),
    status: text("status").$type<OutboxStatus>().notNull().default("pending"),
    /** Attempts made so far. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** A dispatcher holds the entry until then; nobody else may deliver it meanwhile. */
    leaseUntil: integer("lease_until"),
    claimedBy: text("claimed_by"),
    createdAt: createdAt(),
    deliveredAt: integer("delivered_at"),
    lastError: text("last_error"),
  },
  // Partial indexes over the pending entries only: they stay small however long the history
  // grows, and delivered rows leave them. Queries must spell `status = 'pending'` literally.
  (t) => [
    index("outbox_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index("outbox_queue_idx").on(t.channel, t.target, t.id).where(sql`status = 'pending'`),
    // The admins' email log, newest first. Partial: entries of the other channels (nearly all
    // of them: room frames) do not pay for it on the write path.
    index("outbox_email_idx").on(t.id).where(sql`channel = 'email'`),
  ],
);

/** Every delivery attempt, per channel: the log admins read and replay from. */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    outboxId: integer("outbox_id").notNull().references(() => outbox.id, { onDelete: "cascade" }),
    channel: text("channel").$type<"room" | "webhook" | "email">().notNull(),
    target: text("target").notNull(),
    /** 1 for the first attempt (counting restarts when an entry is replayed). */
    attempt: integer("attempt").notNull(),
    /** What the attempt led to: the entry delivered, to be retried, or dead. */
    outcome: text("outcome").$type<"delivered" | "retry" | "dead">().notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    /** What the channel said of a success: an email it chose not to send, and why. */
    note: text("note"),
    at: integer("at").notNull(),
  },
  (t) => [index("deliveries_outbox_idx").on(t.outboxId, t.id), index("deliveries_target_idx").on(t.channel, t.target, t.id)],
);

/**
 * Canned responses: texts with placeholders an agent sends by shortcut (server/domain/canned-template.ts).
 * Exactly one of site_id, department_id and agent_id is set, the one its scope names; each
 * goes with its owner. A shortcut is unique within one owner.
 */
export const cannedResponses = sqliteTable(
  "canned_responses",
  {
    id: text("id").primaryKey(),
    scope: text("scope").$type<CannedScope>().notNull(),
    siteId: text("site_id").references(() => sites.id, { onDelete: "cascade" }),
    departmentId: text("department_id").references(() => departments.id, { onDelete: "cascade" }),
    agentId: text("agent_id").references(() => agents.id, { onDelete: "cascade" }),
    /** Whichever of the three is set, derived by SQLite so that the shortcut's uniqueness can name one column. */
    ownerId: text("owner_id")
      .notNull()
      .generatedAlwaysAs(sql`coalesce(site_id, department_id, agent_id)`, { mode: "virtual" }),
    shortcut: text("shortcut").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdBy: text("created_by").references(() => agents.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("canned_responses_owner_shortcut_idx").on(t.scope, t.ownerId, t.shortcut),
    // The list a caller may use reads each owner's responses in shortcut order.
    index("canned_responses_agent_idx").on(t.agentId, t.shortcut),
    index("canned_responses_department_idx").on(t.departmentId, t.shortcut),
    index("canned_responses_site_idx").on(t.siteId, t.shortcut),
  ],
);

/**
 * One row per scheduled job: whoever holds an unexpired lease runs it, everyone else skips
 * that turn. Taken with one conditional upsert in a write transaction (server/jobs/lease.ts),
 * renewed while the run lasts, released (expired) at its end.
 */
export const jobLeases = sqliteTable("job_leases", {
  name: text("name").primaryKey(),
  /** The run holding it: `<server>:<run id>`. */
  holder: text("holder").notNull(),
  expiresAt: integer("expires_at").notNull(),
  takenAt: integer("taken_at").notNull(),
});

export type JobRunStatus = "running" | "succeeded" | "failed";

/** What each run of a job did, for admins (GET /v1/admin/jobs); the newest few per job are kept. */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    job: text("job").notNull(),
    holder: text("holder").notNull(),
    /** What started it: the schedule, the CLI or an admin. */
    trigger: text("trigger").$type<"schedule" | "cli" | "admin">().notNull(),
    status: text("status").$type<JobRunStatus>().notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    /** Items the run changed; items it found already done (a claim or the command's own condition said no); items that failed. */
    itemsDone: integer("items_done").notNull().default(0),
    itemsSkipped: integer("items_skipped").notNull().default(0),
    itemsFailed: integer("items_failed").notNull().default(0),
    error: text("error"),
  },
  (t) => [index("job_runs_job_idx").on(t.job, t.id)],
);

/**
 * A job's claim on one item (a ticket, usually): written in the same transaction as the
 * change it guards, so a second run, on this server or another, finds the claim and changes
 * nothing. `claimedAt` lets a job claim an item again once it has changed since (a chat
 * that became active again).
 */
export const jobClaims = sqliteTable(
  "job_claims",
  {
    job: text("job").notNull(),
    item: text("item").notNull(),
    claimedAt: integer("claimed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.job, t.item] })],
);

/**
 * The daily stats rollup (server/jobs/stats-rollup.ts): one row per UTC day, site, department
 * and agent with what that day adds to the stats (server/domain/stats.ts `StatsGroup`), so a
 * range reads a row per day and group instead of every ticket. No department or no agent is
 * stored as '' (a primary key column cannot be null). Histograms are JSON objects of bucket
 * upper bound (minutes) → count; ratings a JSON array of the counts of 1…5.
 */
export const statsDaily = sqliteTable(
  "stats_daily",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    departmentId: text("department_id").notNull().default(""),
    agentId: text("agent_id").notNull().default(""),
    created: integer("created").notNull().default(0),
    resolved: integer("resolved").notNull().default(0),
    closed: integer("closed").notNull().default(0),
    firstResponse: text("first_response", { mode: "json" }).$type<Record<string, number>>().notNull(),
    resolution: text("resolution", { mode: "json" }).$type<Record<string, number>>().notNull(),
    firstResponseMet: integer("first_response_met").notNull().default(0),
    firstResponseMissed: integer("first_response_missed").notNull().default(0),
    resolutionMet: integer("resolution_met").notNull().default(0),
    resolutionMissed: integer("resolution_missed").notNull().default(0),
    ratings: text("ratings", { mode: "json" }).$type<number[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.departmentId, t.agentId] })],
);

/**
 * The days of a site the rollup has written (even a day with no row in stats_daily): the stats
 * endpoint reads these days from stats_daily and computes every other day live.
 */
export const statsDays = sqliteTable(
  "stats_days",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    rolledAt: integer("rolled_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day] })],
);

/**
 * Every question the assistant answered: who asked (visitor, and the ticket when asked in one),
 * which provider and model, what it was given and said, what it cited, how long it took, how
 * sure it was, the tokens spent, and whether it handed off or failed.
 */
export const assistantInteractions = sqliteTable(
  "assistant_interactions",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    ticketId: text("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    visitorId: text("visitor_id"),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    prompt: text("prompt").notNull(),
    response: text("response").notNull(),
    citations: text("citations", { mode: "json" }).$type<{ slug: string; title: string; url: string }[]>().notNull(),
    latencyMs: integer("latency_ms").notNull(),
    confidence: real("confidence").notNull(),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    handoff: integer("handoff", { mode: "boolean" }).notNull(),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [index("assistant_interactions_site_idx").on(t.siteId, t.createdAt, t.id)],
);

/**
 * Tokens the assistant's provider spent per site and UTC day, written by the ai-usage job;
 * `anomaly` marks a day above three times the mean of the seven days before it.
 */
export const assistantUsageDaily = sqliteTable(
  "assistant_usage_daily",
  {
    siteId: text("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    interactions: integer("interactions").notNull(),
    tokens: integer("tokens").notNull(),
    trailingMean: real("trailing_mean").notNull(),
    anomaly: integer("anomaly", { mode: "boolean" }).notNull(),
    computedAt: integer("computed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day] })],
);
