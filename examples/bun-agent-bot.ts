/**
 * An agent bot on Bun: signs in as an agent, watches the site room for new and changed tickets
 * (polling the queue as a fallback), and answers each new customer message from the help
 * centre — the best-matching article, or a handoff line when none fits or a person is asked for.
 * It leaves tickets alone once a human has taken them.
 *
 *   npm start                  # the API and the rooms, in another terminal
 *   npm run example:bot        # then ask something with `npm run example:node`
 *
 * Environment: PARLEY_URL (http://localhost:8787); PARLEY_SITE (pk_demo), whose help centre to
 * search; PARLEY_SITE_ID, the site room to watch (learned from the queue when unset, and then
 * every site's tickets are answered); PARLEY_BOT_EMAIL / PARLEY_BOT_PASSWORD (the demo agent
 * ada@parley.test); PARLEY_BOT_MAX, stop after answering this many messages (default: never);
 * PARLEY_BOT_POLL_MS (5000); PARLEY_HELP_URL, where articles live on the web (`<url>/<slug>`).
 */
import {
  ParleyError,
  ParleyNetworkError,
  createAgentClient,
  createClient,
  memoryStore,
  type AgentTicket,
  type FaqSummary,
  type Message,
  type SiteFeed,
} from "@parley/sdk/realtime";

const env = process.env; // Bun reads the environment through process.env too
const baseUrl = env.PARLEY_URL ?? "http://localhost:8787";
const siteKey = env.PARLEY_SITE ?? "pk_demo";
const maxAnswers = env.PARLEY_BOT_MAX ? Number(env.PARLEY_BOT_MAX) : Infinity;
const pollMs = Number(env.PARLEY_BOT_POLL_MS ?? 5_000);
const helpUrl = env.PARLEY_HELP_URL?.replace(/\/$/, "");
/** Messages written up to this long before the bot started still count as new (clock drift, start-up races). */
const CLOCK_SLACK_MS = 2_000;

const STOP_WORDS = new Set(
  "a about after again all also am an and any are as at be been before but by can could did do does doing for from get got had has have how i if in into is it its just me my no not of on or our please so some than that the their them then there these they this to too up us was we what when where which who why will with would you your hello hi hey thanks thank".split(" "),
);
const WANTS_A_PERSON = /\b(human|person|someone|real agent|talk to (an )?agent)\b/i;
const HANDOFF = "I could not find a help article for that, so I have passed your question to the team: a person will answer here shortly.";

/** The words worth searching for: no stop words, no repeats, at most eight. */
function keywords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((word) => word.length > 2 && !STOP_WORDS.has(word)))].slice(0, 8);
}

const help = createClient({ baseUrl, siteKey, storage: memoryStore() }); // FAQ search only: no session is ever started

/**
 * The article that best answers `text`: one matching every keyword if there is one (the search
 * ANDs its terms), else the one found by the most keywords, ranked hits counting more.
 */
async function bestArticle(text: string): Promise<FaqSummary | null> {
  const words = keywords(text);
  if (words.length === 0) return null;
  const everyWord = await help.faqs.search({ q: words.join(" "), limit: 1 });
  if (everyWord.items[0]) return everyWord.items[0];
  const scores = new Map<string, { faq: FaqSummary; score: number }>();
  for (const word of words) {
    const { items } = await help.faqs.search({ q: word, limit: 5 });
    items.forEach((faq, rank) => {
      const entry = scores.get(faq.slug) ?? { faq, score: 0 };
      entry.score += 1 / (rank + 1);
      scores.set(faq.slug, entry);
    });
  }
  const [best] = [...scores.values()].sort((a, b) => b.score - a.score);
  return best && best.score >= 1 ? best.faq : null;
}

async function replyTo(message: Message): Promise<{ text: string; article: FaqSummary | null }> {
  if (WANTS_A_PERSON.test(message.body)) return { text: "Of course: a person from the team will answer here shortly.", article: null };
  const article = await bestArticle(message.body);
  if (!article) return { text: HANDOFF, article: null };
  const where = helpUrl ? `${helpUrl}/${article.slug}` : `help article: ${article.slug}`;
  return { text: `This article should help: "${article.title}" (${where}). Reply "human" if it does not, and a person will take over.`, article };
}

const explain = (error: unknown) =>
  error instanceof ParleyError ? `${error.status} ${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);

async function runBot() {
  const startedAt = Date.now() - CLOCK_SLACK_MS;
  const desk = await createAgentClient({
    baseUrl,
    credentials: { email: env.PARLEY_BOT_EMAIL ?? "ada@parley.test", password: env.PARLEY_BOT_PASSWORD ?? "parley-agent-demo" },
  });
  const lastSeq = new Map<string, number>(); // per ticket: the last message looked at
  const lastUpdate = new Map<string, string>(); // per ticket: updatedAt when last looked at
  const answered = new Set<string>(); // message ids
  const feeds = new Map<string, SiteFeed>();
  const working = new Map<string, Promise<void>>(); // one look at a time per ticket
  let stopping = false;

  function stop(reason: string) {
    if (stopping) return;
    stopping = true;
    clearInterval(poller);
    for (const feed of feeds.values()) feed.close();
    console.log(`bot done: ${reason}`);
    process.exit(0);
  }

  /** Reads a ticket's messages since the last look and answers the customer's new ones. */
  async function answerNew(ticket: AgentTicket) {
    if (stopping || ticket.status === "closed") return;
    if (env.PARLEY_SITE_ID && ticket.siteId !== env.PARLEY_SITE_ID) return;
    if (ticket.assigneeId && ticket.assigneeId !== desk.agent.id) return; // a person has it now
    const fresh: Message[] = [];
    for (let after = lastSeq.get(ticket.number) ?? 0; ; ) {
      const page = await desk.tickets.messages(ticket.number, { after, limit: 200 });
      fresh.push(...page.items);
      if (!page.nextCursor) break;
      after = page.items.at(-1)!.seq;
    }
    if (fresh.length) lastSeq.set(ticket.number, fresh.at(-1)!.seq);
    // A reply's clientId names the question it answers, so a restarted bot sees what it already did.
    const replied = new Set(fresh.map((message) => message.clientId));
    for (const message of fresh) {
      if (message.senderType !== "customer" || Date.parse(message.createdAt) < startedAt) continue;
      if (answered.has(message.id) || replied.has(`bot-${message.id}`)) continue;
      const { text, article } = await replyTo(message);
      // Should this run twice for one question, the clientId still lets the server store one reply.
      await desk.tickets.reply(ticket.number, text, { clientId: `bot-${message.id}` });
      answered.add(message.id);
      console.log(`answered ${ticket.number} #${message.seq} ${article ? `with ${article.slug}` : "with a handoff"}`);
      if (answered.size >= maxAnswers) return stop(`answered ${answered.size} message${answered.size === 1 ? "" : "s"}`);
    }
  }

  function check(ticket: AgentTicket) {
    lastUpdate.set(ticket.number, ticket.updatedAt);
    const previous = working.get(ticket.number) ?? Promise.resolve();
    const next = previous.then(() => answerNew(ticket)).catch((error: unknown) => console.error(`could not answer ${ticket.number}: ${explain(error)}`));
    working.set(ticket.number, next);
  }

  /** Joins a site room; resolves once connected (or after a few seconds: the poll covers the gap). */
  function watch(siteId: string): Promise<void> {
    if (feeds.has(siteId)) return Promise.resolve();
    const feed = desk.watchSite(siteId);
    feeds.set(siteId, feed);
    feed.on("ticketCreated", check);
    feed.on("ticketUpdated", check);
    feed.on("error", (error) => console.error(`site room ${siteId}: ${error.message}`));
    return new Promise((resolve) => {
      const off = feed.on("presence", () => (off(), resolve()));
      setTimeout(resolve, 5_000);
    });
  }

  /** The fallback: recently changed tickets that the site room has not already brought. */
  async function poll() {
    const { items } = await desk.tickets.list({ sort: "-updated", limit: 25, ...(env.PARLEY_SITE_ID ? { site: env.PARLEY_SITE_ID } : {}) });
    for (const ticket of items) {
      if (!env.PARLEY_SITE_ID) void watch(ticket.siteId);
      if (Date.parse(ticket.updatedAt) < startedAt || lastUpdate.get(ticket.number) === ticket.updatedAt) continue;
      check(ticket);
    }
  }

  const poller = setInterval(() => poll().catch((error: unknown) => console.error(`queue poll failed: ${explain(error)}`)), pollMs);
  process.on("SIGINT", () => stop("interrupted"));
  process.on("SIGTERM", () => stop("terminated"));

  if (env.PARLEY_SITE_ID) await watch(env.PARLEY_SITE_ID);
  await poll();
  console.log(
    `bot ready: ${desk.agent.name} answering from ${siteKey}'s help centre, ` +
      (feeds.size ? `watching ${feeds.size} site room${feeds.size === 1 ? "" : "s"}` : `polling the queue every ${pollMs} ms until a ticket shows its site`),
  );
}

runBot().catch((error: unknown) => {
  console.error(`bot could not start: ${explain(error)}${error instanceof ParleyNetworkError ? " (is `npm start` running?)" : ""}`);
  process.exit(1);
});
