/**
 * A visitor on Deno: the same flow as node-visitor.ts with Deno's own globals (WebSocket,
 * Deno.env). Deno resolves `@parley/sdk` from this repository's node_modules.
 *
 *   npm start                  # the API and the rooms, in another terminal
 *   npm run example:deno       # deno run --allow-all --unstable-sloppy-imports examples/deno-visitor.ts
 *
 * Environment: PARLEY_URL (http://localhost:8787), PARLEY_SITE (pk_demo), PARLEY_QUESTION,
 * PARLEY_WAIT_MS (how long to wait for a reply, default 120000).
 */
import { ParleyError, ParleyNetworkError, createClient, memoryStore, type Message } from "@parley/sdk/realtime";

// Deno's globals, declared for the repository's Node-flavoured type-check; Deno knows them already.
declare const Deno: { env: { get(name: string): string | undefined }; exit(code: number): never };

const baseUrl = Deno.env.get("PARLEY_URL") ?? "http://localhost:8787";
const siteKey = Deno.env.get("PARLEY_SITE") ?? "pk_demo";
const question = Deno.env.get("PARLEY_QUESTION") ?? "How do I get a refund after a chargeback?";
const waitMs = Number(Deno.env.get("PARLEY_WAIT_MS") ?? 120_000);

async function main(): Promise<number> {
  // Deno has a global WebSocket, so there is nothing to pass. It has localStorage too, which the
  // SDK would use to keep the session across runs; this one-shot script starts afresh each time.
  const parley = createClient({ baseUrl, siteKey, storage: memoryStore() });
  const config = await parley.widgetConfig();
  console.log(`connected to ${config.site.name} (${config.agentsOnline} agents online)`);

  const ticket = await parley.tickets.create({ subject: "Question from the Deno example", description: question, source: "chat" });
  console.log(`opened ticket ${ticket.number} (${ticket.status})`);

  let resolveReply: (reply: Message) => void = () => undefined;
  const replied = new Promise<Message>((resolve) => (resolveReply = resolve));
  const live = parley.tickets.subscribe(ticket.number, {
    message: (message) => {
      if (message.senderType === "customer") return;
      console.log(`reply from ${message.senderName ?? message.senderType}: ${message.body}`);
      resolveReply(message);
    },
    typing: ({ participant, typing }) => typing && console.log(`${participant.name ?? "an agent"} is typing…`),
    error: (error) => console.error(`realtime: ${error.message}`),
  });

  try {
    const sent = await live.send(question);
    console.log(`sent message #${sent.seq}: ${sent.body}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
    const reply = await Promise.race([replied, timedOut]);
    clearTimeout(timer);
    if (!reply) {
      console.log(`no reply within ${Math.round(waitMs / 1000)} s; ticket ${ticket.number} stays open for the agents`);
      return 0;
    }
    await parley.tickets.markRead(ticket.number, reply.seq);
    console.log("done");
    return 0;
  } finally {
    live.close();
  }
}

try {
  Deno.exit(await main());
} catch (error) {
  if (error instanceof ParleyError) console.error(`Parley refused: ${error.status} ${error.code}: ${error.message}`);
  else if (error instanceof ParleyNetworkError) console.error(`cannot reach ${baseUrl}: ${error.message} (is \`npm start\` running?)`);
  else console.error(error);
  Deno.exit(1);
}
