import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, RealtimeToken } from "../../protocol/index.js";
import { TicketStream } from "../../sdk/realtime/ticket-stream.js";
import { apiClient, type ApiClient } from "../support/client.js";
import { startRealtimeStack, type RealtimeStack } from "../support/rooms.js";

const ROOM_SECRET = "room-secret-for-assistant-stream-0123456789";
const PARTS = ["Open **Settings > Billing**", ", enter your VAT number", " and save."];

let stack: RealtimeStack;
let client: ApiClient;
let provider: Server;
/** Resolved by the test once the room has shown the first part: the provider then finishes. */
let releaseRest: () => void = () => undefined;

const chunk = (text: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`;

async function streamInTwoSteps(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(chunk(PARTS[0]!));
  // The rest waits for the visitor to have seen the first part: the draft must arrive while the answer is still being written.
  await new Promise<void>((resolve) => (releaseRest = resolve));
  for (const part of PARTS.slice(1)) res.write(chunk(part));
  res.end("data: [DONE]\n\n");
}

beforeAll(async () => {
  provider = createServer((req, res) => {
    req.resume();
    req.on("end", () => void streamInTwoSteps(res));
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  const port = (provider.address() as AddressInfo).port;
  stack = await startRealtimeStack({
    secret: ROOM_SECRET,
    // A loaded machine must not turn the deliberate pause into a provider timeout.
    env: { PARLEY_AI_URL: `http://127.0.0.1:${port}/v1`, PARLEY_AI_MODEL: "loopback-model", PARLEY_AI_TIMEOUT_MS: "60000" },
  });
  client = apiClient(stack.api.url);
});
afterAll(async () => {
  releaseRest();
  await stack?.stop();
  await new Promise<void>((resolve) => provider?.close(() => resolve()));
});

describe("a provider's answer in the conversation", () => {
  it("streams into the ticket's room as drafts while it is written, then arrives as the bot's message", async () => {
    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    const seen: Array<{ draft: string } | { message: Message }> = [];
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    let firstDraft!: () => void;
    const drafted = new Promise<void>((resolve) => (firstDraft = resolve));
    const stream = new TicketStream({
      WebSocket,
      transport: {
        async connectTicket() {
          const res = await client.call<RealtimeToken>("POST", "/v1/realtime/token", { token: visitor.token, body: { ticket: number } });
          return res.body;
        },
        async messagesAfter(after) {
          return (await client.call("GET", `/v1/tickets/${number}/messages?after=${after}`, { token: visitor.token })).body;
        },
      },
      handlers: {
        presence: () => connected(),
        draft: (text) => {
          seen.push({ draft: text });
          firstDraft();
        },
        message: (message) => seen.push({ message }),
      },
    });
    try {
      await ready;
      const asked = client.call("POST", "/v1/assistant/query", { token: visitor.token, body: { question: "How do I add our VAT number to invoices?", ticket: number } });
      await drafted;
      // The first part reached the visitor while the provider was still writing (the question's own frame may come before or after it).
      expect(seen.flatMap((entry) => ("draft" in entry ? [entry.draft] : entry.message.senderType === "bot" ? ["bot"] : []))).toEqual([PARTS[0]]);
      releaseRest();
      const res = await asked;
      expect(res.status).toBe(200);
      expect(res.body.answer).toBe(PARTS.join(""));
      await stream.sync();
      const bot = seen.findIndex((entry) => "message" in entry && entry.message.senderType === "bot");
      expect(bot, "the bot's message arrived").toBeGreaterThan(0);
      expect((seen[bot] as { message: Message }).message.body).toContain(PARTS.join(""));
      // Every draft is the answer so far, and none comes after the message that replaces them.
      const drafts = seen.flatMap((entry, index) => ("draft" in entry ? [{ text: entry.draft, index }] : []));
      for (const draft of drafts) {
        expect(PARTS.join("").startsWith(draft.text)).toBe(true);
        expect(draft.index).toBeLessThan(bot);
      }
    } finally {
      stream.close();
    }
  });
});
