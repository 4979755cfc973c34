import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startApi, type RunningApi } from "../support/server.js";
import { apiClient, type ApiClient } from "../support/client.js";

/** What the loopback provider does with the next request. */
type Mode = "stream" | "fail" | "hang";

const KEY = "sk-loopback-test-key-123";
let mode: Mode = "stream";
const received: { headers: IncomingHttpHeaders; body: any; url: string }[] = [];
const hanging: ServerResponse[] = [];
let provider: Server;
let api: RunningApi;
let client: ApiClient;
let admin: { token: string };
let demoSiteId: string;

/** The streamed answer, cut into chunks that split lines and JSON mid-way, as real networks do. */
const ANSWER_PARTS = ["Open **Settings > Billing > Billing details**", ", enter your VAT number", " and save (see “Download invoices and add VAT details”)."];

function streamAnswer(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const events = [
    ...ANSWER_PARTS.map((text, index) => `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: index === 0 ? { role: "assistant", content: text } : { content: text } }] })}\n\n`),
    `: keep-alive comment\n\n`,
    `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 321, completion_tokens: 23, total_tokens: 344 } })}\n\n`,
    "data: [DONE]\n\n",
  ].join("");
  // Written in uneven slices so the reader must join lines across chunks.
  for (let at = 0; at < events.length; at += 37) res.write(events.slice(at, at + 37));
  res.end();
}

beforeAll(async () => {
  provider = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(raw), url: req.url ?? "" });
      if (mode === "fail") {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "overloaded" } }));
      } else if (mode === "hang") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: "Partial" } }] })}\n\n`);
        hanging.push(res);
      } else {
        streamAnswer(res);
      }
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  const port = (provider.address() as AddressInfo).port;
  api = await startApi({ env: { PARLEY_AI_URL: `http://127.0.0.1:${port}/v1`, PARLEY_AI_KEY: KEY, PARLEY_AI_MODEL: "loopback-model", PARLEY_AI_TIMEOUT_MS: "1500" } });
  client = apiClient(api.url);
  admin = await client.login(ADMIN.email);
  demoSiteId = await client.siteId(admin.token);
});
afterAll(async () => {
  for (const res of hanging) res.end();
  await api?.stop();
  await new Promise<void>((resolve) => provider?.close(() => resolve()));
});

const PII_QUESTION = "How do I add our VAT number to invoices? I'm jane.doe@example.com, card 4111 1111 1111 1111, phone +44 20 7946 0018";

async function askInTicket(question: string) {
  const { token } = await client.visitor();
  const ticket = await client.ticket(token);
  const res = await client.call("POST", "/v1/assistant/query", { token, body: { question, ticket: ticket.number } });
  const messages = await client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0&limit=100`, { token: admin.token });
  return { res, ticket, messages: messages.body.items as { senderType: string; body: string }[] };
}

async function latestInteraction() {
  const page = await client.call("GET", `/v1/admin/assistant/interactions?siteId=${demoSiteId}&limit=1`, { token: admin.token });
  return page.body.items[0];
}

describe("the assistant with an OpenAI-compatible provider", () => {
  it("sends the retrieved articles as context with personal data redacted, streams the answer into the ticket and logs the usage", async () => {
    mode = "stream";
    const before = received.length;
    const { res, messages } = await askInTicket(PII_QUESTION);
    expect(res.status).toBe(200);
    expect(received.length).toBe(before + 1);
    const request = received.at(-1)!;
    expect(request.url).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toMatchObject({ model: "loopback-model", stream: true });
    const sent = JSON.stringify(request.body);
    for (const secret of ["jane.doe@example.com", "4111 1111 1111 1111", "+44 20 7946 0018", "7946"]) expect(sent).not.toContain(secret);
    const [system, user] = request.body.messages;
    expect(system.role).toBe("system");
    expect(system.content).toContain("Download invoices and add VAT details");
    expect(system.content).toContain("We check the VAT number against the official register.");
    expect(user).toEqual({ role: "user", content: "How do I add our VAT number to invoices? I'm [email], card [card], phone [phone]" });

    expect(res.body.answer).toBe(ANSWER_PARTS.join(""));
    expect(res.body.handoff).toBe(false);
    expect(res.body.citations[0].slug).toBe("invoices-receipts-and-vat");
    // The visitor's own words stay in their ticket; the bot's message is the whole streamed answer.
    expect(messages.slice(-2).map((m) => m.senderType)).toEqual(["customer", "bot"]);
    expect(messages.at(-2)!.body).toBe(PII_QUESTION);
    expect(messages.at(-1)!.body).toContain(ANSWER_PARTS.join(""));

    const logged = await latestInteraction();
    expect(logged).toMatchObject({ provider: "openai-compatible", model: "loopback-model", tokensIn: 321, tokensOut: 23, error: null, response: ANSWER_PARTS.join("") });
    expect(logged.prompt).not.toContain("jane.doe@example.com");
    expect(JSON.stringify(logged)).not.toContain(KEY);
    expect(JSON.stringify(res.body)).not.toContain(KEY);
  });

  it("falls back to the offline answer when the provider fails, keeping the visitor's message", async () => {
    mode = "fail";
    const { res, messages } = await askInTicket("My card was declined at renewal");
    expect(res.status).toBe(200);
    expect(res.body.handoff).toBe(false);
    expect(res.body.citations[0].slug).toBe("refunds-and-failed-payments");
    expect(res.body.answer).toContain("(See “Refunds, failed payments and disputed charges”.)");
    expect(messages.slice(-2).map((m) => [m.senderType, m.body.slice(0, 31)])).toEqual([
      ["customer", "My card was declined at renewal"],
      ["bot", res.body.answer.slice(0, 31)],
    ]);
    expect(await latestInteraction()).toMatchObject({ provider: "offline", error: "openai-compatible loopback-model: provider answered 500" });
  });

  it("falls back when the provider does not finish in time", async () => {
    mode = "hang";
    const { res, messages } = await askInTicket("Which ports and hosts should IT allow through?");
    expect(res.status).toBe(200);
    expect(res.body.citations[0].slug).toBe("proxy-firewall-and-api-access");
    expect(res.body.answer).not.toContain("Partial");
    expect(messages.at(-2)!.body).toBe("Which ports and hosts should IT allow through?");
    expect((await latestInteraction()).error).toBe("openai-compatible loopback-model: timed out");
  });

  it("hands off without asking the provider when no article fits", async () => {
    mode = "stream";
    const before = received.length;
    const { res } = await askInTicket("Who won the football match last night?");
    expect(res.body).toMatchObject({ handoff: true, citations: [] });
    expect(received.length).toBe(before);
  });

  it("refuses politely once the month's token budget is spent, answering offline without calling the provider", async () => {
    mode = "stream";
    const budget = await client.call("PATCH", `/v1/admin/sites/${demoSiteId}`, { token: admin.token, body: { assistantMonthlyTokens: 300 } });
    expect(budget.body.assistantMonthlyTokens).toBe(300);
    try {
      // 344 tokens were spent this month by the first test.
      const before = received.length;
      const { res, messages } = await askInTicket("I was charged twice, can I get my money back?");
      expect(received.length).toBe(before);
      expect(res.body.answer).toMatch(/^Our AI assistant has used this month's allowance/);
      expect(res.body.citations[0].slug).toBe("refunds-and-failed-payments");
      expect(messages.at(-2)!.body).toBe("I was charged twice, can I get my money back?");
      expect(await latestInteraction()).toMatchObject({ provider: "offline", error: "monthly token budget spent", tokensIn: 0 });
    } finally {
      await client.call("PATCH", `/v1/admin/sites/${demoSiteId}`, { token: admin.token, body: { assistantMonthlyTokens: 0 } });
    }
  });
});
