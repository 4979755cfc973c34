/**
 * Fills a migrated Parley database with a support desk's worth of history for bench/scale.ts:
 * sites, departments, categories, agents, visitors, tickets with their messages, and
 * help-centre articles. Deterministic (one seeded generator per chunk), written in big
 * multi-row INSERTs inside one transaction per chunk, checkpointed after each chunk so the
 * WAL stays small, and resumable: a rerun continues after the last committed chunk.
 */
import type { Client, InValue } from "@libsql/client";
import { getTableColumns, type Table } from "drizzle-orm";
import type { TicketPriority, TicketSource, TicketStatus } from "../protocol/index.js";
import type { Database } from "../server/db/client.js";
import { agents, categories, departments, faqs, messages, sites, slaPolicies, ticketCounters, tickets, visitors } from "../server/db/schema.js";
import { defaultSlaPolicies, slaDueTimes, type SlaDueTimes } from "../server/domain/sla.js";
import { formatTicketNumber } from "../server/domain/ticket-number.js";

export interface ScaleSize {
  tickets: number;
  messages: number;
  articles: number;
}

/** Tickets per transaction: big enough to amortise a commit, small enough to resume cheaply. */
const CHUNK = 10_000;
/** SQLite's default limit is 32766 bound values per statement. */
const MAX_VALUES = 30_000;
const DAY = 86_400_000;
/** History spans three years up to a fixed day, so reruns and resumes write the same rows. */
const END = Date.UTC(2026, 10, 30);
const SPAN = 3 * 365 * DAY;
/** Tickets opened in the last month are still being worked on; older ones are mostly closed. */
const RECENT = 30 * DAY;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const weighted = <T>(choices: readonly (readonly [T, number])[]): T => {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices.at(-1)![0];
  };
  return { next, int, pick, weighted };
}
type Random = ReturnType<typeof generator>;

/** uuid-shaped ids that sort by creation, as ULID/UUIDv7 ids do, so inserts append to the key index. */
const sortableId = (kind: number, at: number, serial: number) => {
  const hex = (at.toString(16).padStart(12, "0") + kind.toString(16).padStart(4, "0") + serial.toString(16).padStart(16, "0")).slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

// ---------------------------------------------------------------------------------------------
// Words

const products = ["mobile app", "dashboard", "API", "billing page", "invoice", "export", "webhook", "SSO login", "team settings", "widget", "report", "integration", "password reset", "two-factor code", "CSV import", "custom domain"];
const problems = ["does not load", "shows an error", "is very slow", "keeps logging me out", "lost my changes", "charged twice", "cannot be found", "stopped syncing", "returns 500", "looks broken", "times out", "needs a refund", "will not update"];
const openers = ["Hi team,", "Hello,", "Good morning,", "Hey there,", "Hi,", "Dear support,"];
const details = [
  "It started after the latest update and happens every time I try again.",
  "I cleared the cache and tried another browser, with the same result.",
  "Our whole team is affected since this morning.",
  "The error message says something about a timeout.",
  "We are on the business plan and need this fixed before Friday.",
  "I attached a screenshot of what I see.",
  "It works on my phone but not on the laptop.",
  "Could you check what is going on with our account?",
];
const replies = [
  "Thanks for reaching out, let me look into this for you.",
  "Could you send me the exact error message and the time it happened?",
  "I have forwarded this to our engineers and will update you shortly.",
  "That should be fixed now, can you try again?",
  "Still not working here, same error as before.",
  "It works now, thank you so much!",
  "I refunded the duplicate charge; it shows on your statement in 3-5 days.",
  "Which browser and version are you using?",
  "We deployed a fix for this a few minutes ago.",
  "Following up: did the steps above help?",
  "Customer confirmed on the phone, waiting for logs.",
  "Escalating to tier two, looks like a sync bug.",
];
const firstNames = ["Alex", "Maria", "Chen", "Fatima", "Lars", "Priya", "Tom", "Aiko", "Omar", "Zoe", "Ivan", "Nia", "Luca", "Sara", "Kwame", "Elif"];
const lastNames = ["Smith", "Garcia", "Wang", "Khan", "Berg", "Patel", "Brown", "Sato", "Haddad", "Müller", "Novak", "Okafor", "Rossi", "Lind", "Mensah", "Yilmaz"];

/**
 * Help-centre vocabulary drawn Zipf-like (a word's share ∝ 1/rank): everyday words at the top,
 * then support words spread among a long tail of rarer made-up ones, so a search for "password"
 * matches a fraction of the articles, as in a real help centre, rather than all of them.
 */
const commonWords = ["the", "to", "you", "and", "a", "your", "of", "in", "is", "for", "on", "can", "with", "this", "it", "if", "or", "from", "then", "click", "select", "open", "page", "settings", "how", "do", "my", "i", "an", "be"];
const supportWords = [
  "account", "password", "reset", "login", "email", "invoice", "billing", "payment", "refund", "plan", "upgrade", "cancel", "subscription",
  "team", "member", "invite", "role", "permission", "admin", "export", "import", "csv", "report", "dashboard", "chart", "api", "token",
  "webhook", "integration", "slack", "calendar", "notification", "mobile", "app", "browser", "cache", "sync", "offline", "backup",
  "restore", "delete", "archive", "search", "filter", "tag", "label", "domain", "sso", "saml", "security", "two-factor", "device",
  "session", "timeout", "error", "limit", "quota", "storage", "upload", "attachment", "file", "folder", "share", "link", "privacy",
  "data", "gdpr", "language", "timezone", "theme", "widget", "chat", "ticket", "agent", "customer", "workflow", "automation", "rule",
];
const syllables = ["ka", "lo", "ven", "tri", "mar", "sol", "qui", "dex", "ro", "ni", "fal", "zen", "por", "lu", "gra", "ext"];
const tailWords = Array.from({ length: 4000 }, (_, i) => syllables[i % 16]! + syllables[Math.floor(i / 16) % 16]! + syllables[Math.floor(i / 256) % 16]!);
const vocabulary = [...commonWords];
for (let i = 0; i < tailWords.length; i++) {
  // One support word every 30 ranks from rank 40 on: "account" is about as common as
  // "password", and neither is anywhere near "the".
  if (i >= 10 && (i - 10) % 30 === 0 && supportWords[(i - 10) / 30]) vocabulary.push(supportWords[(i - 10) / 30]!);
  vocabulary.push(tailWords[i]!);
}
const logVocabulary = Math.log(vocabulary.length + 1);

function zipfWord(random: Random): string {
  // Log-uniform ranks: P(rank r) ∝ 1/(r+1).
  return vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.exp(random.next() * logVocabulary)) - 1)]!;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The table's stored columns as SQL names, keyed by drizzle property; generated columns are SQLite's to fill. */
function storedColumns(table: Table): [string, string][] {
  return Object.entries(getTableColumns(table))
    .filter(([, column]) => !column.generated)
    .map(([key, column]) => [key, column.name]);
}

/** Inserts rows (objects keyed by drizzle property) in as few statements as SQLite's bound-value limit allows. */
async function insertRows(tx: { execute: Client["execute"] }, table: Table, name: string, rows: Record<string, InValue>[]) {
  if (rows.length === 0) return;
  const columns = storedColumns(table);
  const perStatement = Math.max(1, Math.floor(MAX_VALUES / columns.length));
  const tuple = `(${columns.map(() => "?").join(",")})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const slice = rows.slice(start, start + perStatement);
    const args: InValue[] = [];
    for (const row of slice) {
      for (const [key] of columns) {
        const value = row[key];
        if (value === undefined) throw new Error(`${name}.${key} missing in generated row`);
        args.push(value);
      }
    }
    await tx.execute({ sql: `INSERT INTO ${name} (${columns.map(([, column]) => `"${column}"`).join(",")}) VALUES ${slice.map(() => tuple).join(",")}`, args });
  }
}

export interface Fixture {
  siteIds: string[];
  departmentIds: string[];
  categories: { id: string; slug: string; departmentId: string }[];
  agents: { id: string; departmentId: string }[];
}

const siteWeights = [70, 25, 5];
const categorySpecs = [
  ["getting-started", 0, 14],
  ["account", 0, 16],
  ["login", 0, 12],
  ["billing", 1, 15],
  ["refunds", 1, 6],
  ["technical", 2, 14],
  ["integrations", 2, 7],
  ["api", 2, 5],
  ["mobile", 3, 4],
  ["feature-request", 3, 3],
] as const;
const departmentNames = ["Support", "Billing", "Engineering", "Product"];
const agentsPerDepartment = [24, 10, 12, 4];

/** Sites, departments, categories, agents and SLA targets: written once, read back on resume. */
async function ensureFixture(db: Database): Promise<Fixture> {
  const existing = await db.orm.select({ id: sites.id }).from(sites).orderBy(sites.createdAt, sites.id);
  if (existing.length === 0) {
    const at = END - SPAN - DAY;
    await db.write(async (tx) => {
      await tx.insert(sites).values(
        siteWeights.map((_, i) => ({
          id: sortableId(1, at, i),
          publicKey: `pk_scale_${i}`,
          name: `Scale site ${i}`,
          identitySecret: `scale-identity-secret-${i}`.padEnd(64, "0"),
          createdAt: at + i,
        })),
      );
      await tx.insert(departments).values(departmentNames.map((name, i) => ({ id: sortableId(2, at, i), name, createdAt: at })));
      await tx.insert(categories).values(
        categorySpecs.map(([slug, department], i) => ({ id: sortableId(3, at, i), slug, name: slug, departmentId: sortableId(2, at, department), createdAt: at })),
      );
      let serial = 0;
      await tx.insert(agents).values(
        agentsPerDepartment.flatMap((count, department) =>
          Array.from({ length: count }, (_, i) => ({
            id: sortableId(4, at, serial++),
            email: `agent-${department}-${i}@scale.test`,
            name: `Agent ${department}-${i}`,
            // Never logged into: the bench calls the queue code directly.
            passwordHash: "unusable",
            departmentId: sortableId(2, at, department),
            tier: 1 + (i % 3),
            status: "available" as const,
            createdAt: at,
          })),
        ),
      );
      await tx
        .insert(slaPolicies)
        .values(defaultSlaPolicies.map(({ priority, targets }) => ({ priority, categoryId: null, ...targets })))
        .onConflictDoNothing();
    });
  }
  const siteRows = await db.orm.select({ id: sites.id }).from(sites).orderBy(sites.createdAt, sites.id);
  const departmentRows = await db.orm.select({ id: departments.id, name: departments.name }).from(departments);
  const categoryRows = await db.orm.select().from(categories);
  const agentRows = await db.orm.select({ id: agents.id, departmentId: agents.departmentId }).from(agents);
  const departmentIds = departmentNames.map((name) => departmentRows.find((row) => row.name === name)!.id);
  return {
    siteIds: siteRows.map((row) => row.id),
    departmentIds,
    categories: categorySpecs.map(([slug]) => {
      const row = categoryRows.find((category) => category.slug === slug)!;
      return { id: row.id, slug, departmentId: row.departmentId! };
    }),
    agents: agentRows.map((row) => ({ id: row.id, departmentId: row.departmentId! })),
  };
}

const activeStatuses: [TicketStatus, number][] = [
  ["open", 35],
  ["in_progress", 22],
  ["pending_customer", 15],
  ["escalated", 5],
  ["resolved", 15],
  ["closed", 8],
];
const oldStatuses: [TicketStatus, number][] = [
  ["closed", 93],
  ["resolved", 2.5],
  ["open", 1.5],
  ["in_progress", 1],
  ["pending_customer", 1.5],
  ["escalated", 0.5],
];
const priorities: [TicketPriority, number][] = [
  ["low", 15],
  ["normal", 58],
  ["high", 21],
  ["urgent", 6],
];
const sources: [TicketSource, number][] = [
  ["widget", 45],
  ["chat", 25],
  ["contact", 12],
  ["email", 15],
  ["api", 3],
];

/**
 * The SLA monitor's stamps as it would have left them by END: a target's warning once its 80 %
 * mark passed before it was reached, its breach once its due time passed before it was reached
 * (a paused clock stops at the pause, and a finished ticket is paused).
 */
function slaStamps(due: SlaDueTimes, firstResponseAt: number | null, resolvedAt: number | null, pausedAt: number | null) {
  const stamp = (mark: number, reachedAt: number | null, stoppedAt: number | null) => (mark < Math.min(reachedAt ?? END, stoppedAt ?? END, END) ? mark : null);
  return {
    firstResponseWarnedAt: stamp(due.firstResponseWarnAt, firstResponseAt, pausedAt),
    firstResponseBreachedAt: stamp(due.firstResponseDueAt, firstResponseAt, pausedAt),
    resolutionWarnedAt: stamp(due.resolutionWarnAt, resolvedAt, pausedAt),
    resolutionBreachedAt: stamp(due.resolutionDueAt, resolvedAt, pausedAt),
  };
}

/** Rows of one chunk of tickets (and their visitors and messages), generated from the chunk's own seed. */
function chunkRows(fixture: Fixture, size: ScaleSize, chunk: number) {
  const random = generator(0x5ca1e + chunk);
  const step = SPAN / size.tickets;
  const start = END - SPAN;
  const first = chunk * CHUNK;
  const last = Math.min(size.tickets, first + CHUNK);
  const perTicket = size.messages / size.tickets;
  const ticketRows: Record<string, InValue>[] = [];
  const visitorRows: Record<string, InValue>[] = [];
  const messageRows: Record<string, InValue>[] = [];
  const categoryChoices = fixture.categories.map((category, i) => [category, categorySpecs[i]![2]] as const);
  const agentsOf = new Map(fixture.departmentIds.map((id) => [id, fixture.agents.filter((agent) => agent.departmentId === id)]));
  let visitor: { id: string; site: string; name: string; email: string } | null = null;

  for (let i = first; i < last; i++) {
    const createdAt = Math.floor(start + i * step + random.next() * step * 0.9);
    const recent = END - createdAt < RECENT;
    const status = random.weighted(recent ? activeStatuses : oldStatuses);
    const priority = random.weighted(priorities);
    const category = random.next() < 0.08 ? null : random.weighted(categoryChoices);
    const departmentId = category?.departmentId ?? null;
    const working = status === "open" || status === "in_progress" || status === "pending_customer" || status === "escalated";
    const unassigned = status === "open" ? random.next() < 0.7 : working ? random.next() < 0.1 : random.next() < 0.04;
    const team = agentsOf.get(departmentId ?? fixture.departmentIds[0]!)!;
    // Agents carry uneven loads: the first of each team takes more tickets.
    const assignee = unassigned ? null : team[Math.min(team.length - 1, Math.floor(team.length * random.next() ** 1.6))]!.id;

    if (!visitor || random.next() > 0.3) {
      const name = `${random.pick(firstNames)} ${random.pick(lastNames)}`;
      visitor = {
        id: sortableId(5, createdAt, i),
        site: fixture.siteIds[random.weighted(siteWeights.map((weight, s) => [s, weight] as const))]!,
        name,
        email: `${name.toLowerCase().replace(/[^a-z]+/g, ".")}.${i}@example.com`,
      };
      visitorRows.push({
        id: visitor.id,
        siteId: visitor.site,
        externalId: random.next() < 0.4 ? `user-${i}` : null,
        name: visitor.name,
        email: visitor.email,
        verified: random.next() < 0.4 ? 1 : 0,
        nameVerified: 0,
        emailVerified: 0,
        createdAt,
        lastSeenAt: createdAt,
      });
    }

    const targets = defaultSlaPolicies.find((policy) => policy.priority === priority)!.targets;
    const count = Math.max(1, Math.round(perTicket - 8 + random.next() * 16));
    const ticketId = sortableId(6, createdAt, i);
    let at = createdAt;
    let visible = 0;
    /** The visible seq at or below each seq, for the read marks' visible form. */
    const visibleAt = [0];
    let lastMessageAt: number | null = null;
    let firstResponseAt: number | null = null;
    for (let seq = 1; seq <= count; seq++) {
      at += 60_000 + random.int(6 * 3_600_000);
      const fromCustomer = seq === 1 || random.next() < 0.45;
      const internal = !fromCustomer && random.next() < 0.12;
      const agent = assignee ?? team[0]!.id;
      if (!internal) {
        visible++;
        lastMessageAt = at;
        if (!fromCustomer && firstResponseAt === null) firstResponseAt = at;
      }
      messageRows.push({
        id: sortableId(7, at, i * 64 + seq),
        ticketId,
        seq,
        visibleSeq: internal ? null : visible,
        clientId: `c-${i}-${seq}`,
        senderType: fromCustomer ? "customer" : "agent",
        senderId: fromCustomer ? visitor.id : agent,
        senderName: fromCustomer ? visitor.name : "Agent",
        body: seq === 1 ? `${random.pick(openers)} ${random.pick(details)} ${random.pick(details)}` : random.pick(replies),
        internal: internal ? 1 : 0,
        attachments: "[]",
        createdAt: at,
      });
      visibleAt.push(visible);
    }
    const finished = status === "resolved" || status === "closed";
    const agentReadSeq = working ? Math.max(0, count - random.int(3)) : count;
    const updatedAt = Math.min(END, at + random.int(DAY));
    const year = new Date(createdAt).getUTCFullYear();
    const due = slaDueTimes(null, createdAt, targets);
    const paused = status === "pending_customer" || status === "resolved";
    const rating = finished && random.next() < 0.3 ? 1 + random.int(5) : null;
    ticketRows.push({
      id: ticketId,
      number: formatTicketNumber(year, i - firstIndexOfYear(year, size) + 1),
      siteId: visitor.site,
      visitorId: visitor.id,
      customerName: visitor.name,
      customerEmail: visitor.email,
      subject: `${random.pick(products)} ${random.pick(problems)}`,
      description: `${random.pick(openers)} ${random.pick(details)} ${random.pick(details)}`,
      categoryId: category?.id ?? null,
      priority,
      status,
      source: random.weighted(sources),
      tags: "[]",
      assigneeId: assignee,
      departmentId,
      tier: status === "escalated" ? 2 : 1,
      clientId: `t-${i}`,
      // Around the clock (the generated sites have no business hours).
      slaClock: "continuous",
      ...due,
      ...slaStamps(due, firstResponseAt, finished ? updatedAt : null, paused ? updatedAt : null),
      slaPausedAt: paused ? updatedAt : null,
      slaPausedMs: 0,
      firstResponseAt,
      escalatedAt: status === "escalated" ? updatedAt : null,
      resolvedAt: finished ? updatedAt : null,
      resolvedBy: null,
      resolution: null,
      // Where the widget opened it and in which language (the inbox's customer panel shows both).
      pageUrl: i % 3 === 0 ? null : `https://example.com/app/page-${i % 50}`,
      customerLocale: i % 3 === 0 ? null : ["en", "fr", "ar"][i % 3]!,
      closedAt: status === "closed" ? updatedAt : null,
      rating,
      ratingComment: null,
      ratedAt: rating === null ? null : updatedAt,
      handedOffAt: null,
      lastSeq: count,
      messageCount: visible,
      lastMessageAt,
      visitorReadSeq: count,
      visitorReadVisibleSeq: visible,
      // Working tickets often have customer messages the team has not read yet.
      agentReadSeq,
      agentReadVisibleSeq: visibleAt[agentReadSeq]!,
      createdAt,
      updatedAt,
    });
  }
  return { ticketRows, visitorRows, messageRows };
}

/** Ticket numbers count per year; tickets are opened in index order, so a year's first index is arithmetic. */
function firstIndexOfYear(year: number, size: ScaleSize): number {
  const step = SPAN / size.tickets;
  return Math.max(0, Math.ceil((Date.UTC(year, 0, 1) - (END - SPAN)) / step) - 1);
}

function articleRows(fixture: Fixture, size: ScaleSize) {
  const random = generator(0xfa9);
  const rows: Record<string, InValue>[] = [];
  const at = END - SPAN;
  for (let i = 0; i < size.articles; i++) {
    const titleWords = Array.from({ length: 3 + random.int(5) }, () => zipfWord(random));
    const paragraphs = Array.from({ length: 2 + random.int(4) }, () =>
      Array.from({ length: 30 + random.int(60) }, () => zipfWord(random)).join(" ") + ".",
    );
    const category = random.pick(fixture.categories);
    const published = random.next() < 0.92;
    rows.push({
      id: sortableId(8, at, i),
      siteId: fixture.siteIds[random.weighted(siteWeights.map((weight, s) => [s, weight] as const))]!,
      slug: `article-${i}`,
      title: `How to ${titleWords.join(" ")}`,
      body: paragraphs.join("\n\n"),
      categoryId: category.id,
      published: published ? 1 : 0,
      publishedAt: published ? at + i : null,
      tags: JSON.stringify(Array.from({ length: random.int(4) }, () => zipfWord(random).toLowerCase())),
      position: random.int(50),
      helpfulCount: random.int(50),
      notHelpfulCount: random.int(10),
      viewCount: random.int(5000),
      createdAt: at + i,
      updatedAt: at + i,
    });
  }
  return rows;
}

async function countOf(client: Client, table: string): Promise<number> {
  const result = await client.execute(`SELECT count(*) AS n FROM ${table}`);
  return Number(result.rows[0]!.n);
}

async function checkpoint(client: Client) {
  // A 1M-ticket load without checkpoints grew a 36 GB WAL; TRUNCATE also gives the space back.
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
}

/**
 * Brings the database up to `size`, resuming after the last committed chunk. Reports progress
 * on stderr; answers how long the writing took.
 */
export async function generate(db: Database, size: ScaleSize, log: (line: string) => void): Promise<{ seconds: number; resumedAt: number }> {
  const began = performance.now();
  const fixture = await ensureFixture(db);
  const { client } = db;

  const articleCount = await countOf(client, "faqs");
  if (articleCount === 0 && size.articles > 0) {
    const tx = await client.transaction("write");
    try {
      await insertRows(tx, faqs, "faqs", articleRows(fixture, size));
      await tx.commit();
    } finally {
      tx.close();
    }
    log(`articles: ${size.articles}`);
  }

  const existing = await countOf(client, "tickets");
  if (existing % CHUNK !== 0 && existing !== size.tickets) throw new Error(`tickets holds ${existing} rows, not a whole number of chunks: start from an empty file`);
  const chunks = Math.ceil(size.tickets / CHUNK);
  const resumedAt = existing;
  let written = 0;
  for (let chunk = Math.floor(existing / CHUNK); chunk < chunks; chunk++) {
    const { ticketRows, visitorRows, messageRows } = chunkRows(fixture, size, chunk);
    const tx = await client.transaction("write");
    try {
      // The default 2 MB page cache makes every index insert at 1M rows a read from disk.
      await tx.execute("PRAGMA cache_size = -262144");
      await insertRows(tx, visitors, "visitors", visitorRows);
      await insertRows(tx, tickets, "tickets", ticketRows);
      await insertRows(tx, messages, "messages", messageRows);
      await tx.commit();
    } finally {
      tx.close();
    }
    await checkpoint(client);
    written += ticketRows.length;
    const seconds = (performance.now() - began) / 1000;
    const done = chunk * CHUNK + ticketRows.length;
    const eta = ((size.tickets - done) * seconds) / Math.max(1, written);
    log(`tickets ${done}/${size.tickets} (${(written / seconds).toFixed(0)}/s, about ${eta.toFixed(0)} s left)`);
  }

  // New tickets made through the API must continue each year's numbering.
  const years = await client.execute(
    "SELECT cast(substr(number, 5, 4) AS integer) AS year, max(cast(substr(number, 10) AS integer)) AS last FROM tickets WHERE number LIKE 'TKT-%' GROUP BY 1",
  );
  for (const row of years.rows) {
    await db.orm
      .insert(ticketCounters)
      .values({ year: Number(row.year), last: Number(row.last) })
      .onConflictDoUpdate({ target: ticketCounters.year, set: { last: Number(row.last) } });
  }
  // No ANALYZE: the server never runs one, so the planner here sees what it sees in production.
  await checkpoint(client);
  return { seconds: (performance.now() - began) / 1000, resumedAt };
}
