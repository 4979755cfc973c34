/**
 * A visitor on Node: opens a ticket, chats live, and waits for an agent's (or a bot's) reply.
 *
 *   npm start                  # the API and the rooms, in another terminal
 *   npm run example:node       # then this; answer it from the inbox or `npm run example:bot`
 *
 * Environment: PARLEY_URL (http://localhost:8787), PARLEY_SITE (pk_demo), PARLEY_QUESTION,
 * PARLEY_WAIT_MS (how long to wait for a reply, default 120000).
 */
import WebSocket from "ws"; // Node 20 has no global WebSocket; Node 22+ could leave this out.
import { ParleyError, ParleyNetworkError, createClient, type Message } from "@parley/sdk/realtime";

const baseUrl = process.env.PARLEY_URL ?? "http://localhost:8787";
const siteKey = process.env.PARLEY_SITE ?? "pk_demo";
const question = process.env.PARLEY_QUESTION ?? "How do I get a refund after a chargeback?";
const waitMs = Number(process.env.PARLEY_WAIT_MS ?? 120_000);

async function main(): Promise<number> {
  const parley = createClient({ baseUrl, siteKey, WebSocket });
  const config = await parley.widgetConfig();
  console.log(`connected to ${config.site.name} (${config.agentsOnline} agents online)`);

  const ticket = await parley.tickets.create({ subject: "Question from the Node example", description: question, source: "chat" });
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ParleyError) console.error(`Parley refused: ${error.status} ${error.code}: ${error.message}`);
    else if (error instanceof ParleyNetworkError) console.error(`cannot reach ${baseUrl}: ${error.message} (is \`npm start\` running?)`);
    else console.error(error);
    process.exit(1);
  },
);
