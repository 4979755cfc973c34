import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";
import { ANSWERABLE, UNRELATED } from "./assistant-questions.js";

let api: RunningApi;
let client: ApiClient;
let admin: { token: string; agentId: string };
let demoSiteId: string;
/** Where citations link to: the help-centre pages under the public URL (PARLEY_PUBLIC_URL). */
const PUBLIC_URL = "https://support.example.test";
const helpPage = (slug: string) => `${PUBLIC_URL}/help/pk_demo/${slug}`;

beforeAll(async () => {
  api = await startApi({ env: { PARLEY_PUBLIC_URL: PUBLIC_URL } });
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
  demoSiteId = await client.siteId(admin.token);
});
afterAll(() => api?.stop());

/** Visitors to ask from, a new one before the per-visitor limit is reached. */
function askers() {
  let current: { token: string } | null = null;
  let asked = 0;
  return async () => {
    if (!current || asked >= 15) {
      current = await client.visitor();
      asked = 0;
    }
    asked++;
    return current.token;
  };
}

describe("the offline answerer over the seeded articles", () => {
  it("cites the right article for questions in the visitors' own words, and hands off unrelated ones", async () => {
    const token = askers();
    let correct = 0;
    const misses: string[] = [];
    for (const { question, slug } of ANSWERABLE) {
      const res = await client.call("POST", "/v1/assistant/query", { token: await token(), body: { question } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(["answer", "citations", "confidence", "handoff"]);
      if (!res.body.handoff && res.body.citations[0]?.slug === slug) correct++;
      else misses.push(`${question} → ${res.body.citations[0]?.slug ?? "handoff"} (${res.body.confidence})`);
    }
    let handedOff = 0;
    for (const question of UNRELATED) {
      const res = await client.call("POST", "/v1/assistant/query", { token: await token(), body: { question } });
      expect(res.status).toBe(200);
      if (res.body.handoff) {
        handedOff++;
        expect(res.body.citations).toEqual([]);
      }
    }
    const precisionAt1 = correct / ANSWERABLE.length;
    const handoffRate = handedOff / UNRELATED.length;
    console.log(`assistant: precision@1 ${precisionAt1.toFixed(3)} over ${ANSWERABLE.length} questions; handoff rate on unrelated ${handoffRate.toFixed(3)} over ${UNRELATED.length}; misses: ${misses.join("; ") || "none"}`);
    expect(ANSWERABLE.length).toBeGreaterThanOrEqual(30);
    expect(precisionAt1).toBeGreaterThanOrEqual(0.85);
    expect(handoffRate).toBe(1);
  });

  it("answers 'Sync stopped / It shows error 42' from the sync article, never the invoices one", async () => {
    const { token } = await client.visitor();
    const res = await client.call("POST", "/v1/assistant/query", { token, body: { question: "Sync stopped / It shows error 42" } });
    expect(res.body.handoff).toBe(false);
    expect(res.body.citations[0]).toEqual({ slug: "fix-sync-conflicts", title: "Fix sync conflicts and files that won't sync", url: helpPage("fix-sync-conflicts") });
    expect(res.body.citations.map((c: { slug: string }) => c.slug)).not.toContain("invoices-receipts-and-vat");
    // The answer quotes the article, it does not invent.
    expect(res.body.answer).toMatch(/tray icon shows a warning|stuck/);
  });

  it("follows the site's threshold, which admins set", async () => {
    const { token } = await client.visitor();
    const question = "I was charged twice, can I get my money back?";
    const before = await client.call("POST", "/v1/assistant/query", { token, body: { question } });
    expect(before.body.handoff).toBe(false);
    const strict = await client.call("PATCH", `/v1/admin/sites/${demoSiteId}`, { token: admin.token, body: { assistantThreshold: 1 } });
    expect(strict.status).toBe(200);
    expect(strict.body.assistantThreshold).toBe(1);
    try {
      const after = await client.call("POST", "/v1/assistant/query", { token, body: { question } });
      expect(after.body).toMatchObject({ handoff: true, citations: [] });
      expect(after.body.confidence).toBe(before.body.confidence);
    } finally {
      await client.call("PATCH", `/v1/admin/sites/${demoSiteId}`, { token: admin.token, body: { assistantThreshold: 0.35 } });
    }
    const invalid = await client.call("PATCH", `/v1/admin/sites/${demoSiteId}`, { token: admin.token, body: { assistantThreshold: 2 } });
    expect(invalid.status).toBe(400);
  });
});

describe("POST /v1/assistant/query", () => {
  it("refuses an empty or over-long question and a call without a visitor token", async () => {
    const { token } = await client.visitor();
    expect((await client.call("POST", "/v1/assistant/query", { token, body: { question: "  " } })).status).toBe(400);
    expect((await client.call("POST", "/v1/assistant/query", { token, body: { question: "x".repeat(2001) } })).status).toBe(400);
    expect((await client.call("POST", "/v1/assistant/query", { token, body: { question: "hi", extra: 1, ticket: "nope" } })).status).toBe(400);
    expect((await client.call("POST", "/v1/assistant/query", { body: { question: "How do I reset my password?" } })).status).toBe(401);
  });

  it("posts the question and the bot's answer into the visitor's own ticket, so the agent sees them", async () => {
    const { token } = await client.visitor();
    const ticket = await client.ticket(token);
    const question = "How do I put our company tax number on the receipts?";
    const res = await client.call("POST", "/v1/assistant/query", { token, body: { question, ticket: ticket.number } });
    expect(res.status).toBe(200);
    expect(res.body.handoff).toBe(false);
    const seen = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: admin.token });
    expect(seen.status).toBe(200);
    const lastTwo = seen.body.items.slice(-2);
    expect(lastTwo.map((m: { senderType: string }) => m.senderType)).toEqual(["customer", "bot"]);
    expect(lastTwo[0].body).toBe(question);
    expect(lastTwo[1].body).toContain(res.body.answer);
    expect(lastTwo[1].body).toContain(`[Download invoices and add VAT details](${helpPage("invoices-receipts-and-vat")})`);
    const mine = await client.call("GET", `/v1/tickets/${ticket.number}/messages?after=0`, { token });
    expect(mine.body.items.slice(-1)[0].senderType).toBe("bot");
  });

  it("answers another visitor's ticket as unknown and posts nothing into it", async () => {
    const owner = await client.visitor();
    const ticket = await client.ticket(owner.token);
    const intruder = await client.visitor();
    const res = await client.call("POST", "/v1/assistant/query", { token: intruder.token, body: { question: "reset password", ticket: ticket.number } });
    expect([res.status, res.body.error.code]).toEqual([404, "not_found"]);
    const unknown = await client.call("POST", "/v1/assistant/query", { token: intruder.token, body: { question: "reset password", ticket: "TKT-2099-999999" } });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
    expect(res.body.error.message.replace(ticket.number, "N")).toBe(unknown.body.error.message.replace("TKT-2099-999999", "N"));
    const seen = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: admin.token });
    expect(seen.body.items.map((m: { senderType: string }) => m.senderType)).not.toContain("bot");
  });

  it("on a handoff flags the ticket for the team: the question stays, and the history records assistant.handoff", async () => {
    const { token } = await client.visitor();
    const ticket = await client.ticket(token);
    const question = "Give me a recipe for banana bread";
    const res = await client.call("POST", "/v1/assistant/query", { token, body: { question, ticket: ticket.number } });
    expect(res.body.handoff).toBe(true);
    const history = await client.call("GET", `/v1/agent/tickets/${ticket.number}/history`, { token: admin.token });
    const handoffs = history.body.items.filter((e: { type: string }) => e.type === "assistant.handoff");
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0].data).toEqual({ reason: "low_confidence" });
    const seen = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: admin.token });
    expect(seen.body.items.map((m: { body: string }) => m.body)).toContain(question);
    // The ticket is the team's now: the visitor sees when, and the assistant takes no more questions in it.
    const after = await client.call("GET", `/v1/tickets/${ticket.number}`, { token });
    expect(after.body.handedOffAt).toEqual(expect.any(String));
    const refused = await client.call("POST", "/v1/assistant/query", { token, body: { question: "How do I reset my password?", ticket: ticket.number } });
    expect([refused.status, refused.body.error.code]).toEqual([409, "illegal_transition"]);
    const unchanged = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: admin.token });
    expect(unchanged.body.items).toHaveLength(seen.body.items.length);
  });

  it("answers a new conversation's request without posting it twice, and gives the question the client's id", async () => {
    const { token } = await client.visitor();
    const opened = await client.call("POST", "/v1/tickets", {
      token,
      body: { subject: "Receipts", description: "How do I put our company tax number on the receipts?", source: "chat", clientId: "opening-ticket-0001" },
    });
    expect(opened.status).toBe(201);
    expect(opened.body.handedOffAt).toBeNull();
    const number = opened.body.number as string;
    const first = await client.call("POST", "/v1/assistant/query", { token, body: { question: opened.body.description, ticket: number } });
    expect(first.body.handoff).toBe(false);
    const second = await client.call("POST", "/v1/assistant/query", { token, body: { question: "And where do I download them?", ticket: number, clientId: "follow-up-question-1" } });
    expect(second.status).toBe(200);
    const mine = await client.call("GET", `/v1/tickets/${number}/messages?after=0`, { token });
    expect(mine.body.items.map((m: { senderType: string; clientId: string | null }) => [m.senderType, m.senderType === "customer" ? m.clientId : "-"])).toEqual([
      ["bot", "-"],
      ["customer", "follow-up-question-1"],
      ["bot", "-"],
    ]);
  });

  it("limits questions per visitor", async () => {
    const { token } = await client.visitor();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await client.call("POST", "/v1/assistant/query", { token, body: { question: "reset password" } })).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe("POST /v1/tickets/:number/handoff", () => {
  it("continues the same ticket with a system message and the event; another visitor is refused", async () => {
    const { token } = await client.visitor();
    const ticket = await client.ticket(token);
    await client.call("POST", "/v1/assistant/query", { token, body: { question: "My card was declined at renewal", ticket: ticket.number } });
    const res = await client.call("POST", `/v1/tickets/${ticket.number}/handoff`, { token });
    expect(res.status).toBe(200);
    expect(res.body.number).toBe(ticket.number);
    const seen = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: admin.token });
    expect(seen.body.items.map((m: { senderType: string }) => m.senderType).slice(-3)).toEqual(["customer", "bot", "system"]);
    const history = await client.call("GET", `/v1/agent/tickets/${ticket.number}/history`, { token: admin.token });
    expect(history.body.items.filter((e: { type: string }) => e.type === "assistant.handoff").map((e: { data: unknown }) => e.data)).toEqual([{ reason: "requested" }]);
    expect(res.body.handedOffAt).toEqual(expect.any(String));
    // A second click changes nothing.
    const again = await client.call("POST", `/v1/tickets/${ticket.number}/handoff`, { token });
    expect([again.status, again.body.handedOffAt]).toEqual([200, res.body.handedOffAt]);
    expect((await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: admin.token })).body.items).toHaveLength(seen.body.items.length);
    const intruder = await client.visitor();
    expect((await client.call("POST", `/v1/tickets/${ticket.number}/handoff`, { token: intruder.token })).status).toBe(403);
  });
});

describe("GET /v1/admin/assistant/interactions", () => {
  it("lists every interaction of a site newest first, in keyset pages, for admins only", async () => {
    const { token } = await client.visitor();
    const ticket = await client.ticket(token);
    await client.call("POST", "/v1/assistant/query", { token, body: { question: "Which ports and hosts should IT allow through?", ticket: ticket.number } });
    await client.call("POST", "/v1/assistant/query", { token, body: { question: "How tall is the Eiffel tower?" } });
    const first = await client.call("GET", `/v1/admin/assistant/interactions?siteId=${demoSiteId}&limit=1`, { token: admin.token });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toMatchObject({ siteId: demoSiteId, ticketId: null, provider: "offline", prompt: "How tall is the Eiffel tower?", handoff: true, citations: [], tokensIn: 0, tokensOut: 0, error: null });
    expect(first.body.items[0].latencyMs).toBeGreaterThanOrEqual(0);
    const second = await client.call("GET", `/v1/admin/assistant/interactions?siteId=${demoSiteId}&limit=1&cursor=${first.body.nextCursor}`, { token: admin.token });
    expect(second.body.items[0]).toMatchObject({ prompt: "Which ports and hosts should IT allow through?", handoff: false });
    expect(second.body.items[0].ticketId).toEqual(expect.any(String));
    expect(second.body.items[0].citations[0].slug).toBe("proxy-firewall-and-api-access");
    const all = await client.call("GET", `/v1/admin/assistant/interactions?siteId=${demoSiteId}&limit=100`, { token: admin.token });
    const ids = all.body.items.map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 2)).toEqual([first.body.items[0].id, second.body.items[0].id]);
    const made = await client.createAgent(admin.token, { email: "assistant-log-reader@parley.test", password: "assistant-agent-pass-1", siteIds: [demoSiteId] });
    const agent = await client.login(made.email, "assistant-agent-pass-1");
    expect((await client.call("GET", `/v1/admin/assistant/interactions?siteId=${demoSiteId}`, { token: agent.token })).status).toBe(403);
    const openapi = await client.call("GET", "/openapi.json");
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(["/v1/assistant/query", "/v1/tickets/{number}/handoff", "/v1/admin/assistant/interactions"]));
  });
});

describe("GET /v1/agent/tickets/:number/assist", () => {
  it("suggests articles for the latest customer messages and a draft reply, and sends nothing", async () => {
    const { token } = await client.visitor();
    const ticket = await client.ticket(token, { subject: "Help", description: "Hello" });
    await client.call("POST", `/v1/tickets/${ticket.number}/messages`, { token, body: { body: "I accidentally removed a folder, can I bring it back?", clientId: `assist-${Date.now()}` } });
    const before = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: admin.token });
    const res = await client.call("GET", `/v1/agent/tickets/${ticket.number}/assist`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.articles[0]).toMatchObject({ slug: "restore-deleted-files-and-versions", title: "Restore deleted files and earlier versions", url: helpPage("restore-deleted-files-and-versions") });
    expect(res.body.articles[0].snippet.length).toBeGreaterThan(10);
    expect(res.body.suggestedReply).toContain(`“Restore deleted files and earlier versions”: ${helpPage("restore-deleted-files-and-versions")}`);
    const after = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: admin.token });
    expect(after.body.items).toHaveLength(before.body.items.length);
    expect((await client.call("GET", `/v1/agent/tickets/${ticket.number}/assist`, { token })).status).toBe(401);
  });
});
