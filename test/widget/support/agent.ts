import WebSocket from "ws";
import { createAgentClient } from "../../../sdk/realtime.js";
import { AGENT_PASSWORD } from "../../support/server.js";

export type Agent = Awaited<ReturnType<typeof createAgentClient>>;

/** An agent driven through the SDK, the way the inbox would: REST plus the ticket's room. */
export async function signInAgent(apiUrl: string, email = "ada@parley.test") {
  const agent = await createAgentClient({ baseUrl: apiUrl, credentials: { email, password: AGENT_PASSWORD }, WebSocket });
  return {
    agent,
    /** Joins a ticket's room (presence, typing) and answers the live subscription. */
    join(number: string) {
      const errors: Error[] = [];
      const live = agent.tickets.subscribe(number, { error: (error) => errors.push(error) });
      return { live, errors };
    },
  };
}
