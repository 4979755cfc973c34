import type { AssistantAnswer } from "../../protocol/index.js";
import { articleUrl, candidateArticles } from "../assistant/retrieval.js";
import { logInteraction } from "../assistant/interactions.js";
import type { SiteRow, VisitorRow } from "../db/rows.js";
import { answerQuestion } from "../domain/assistant/answerer.js";
import { DomainError } from "../domain/errors.js";
import { isActiveStatus } from "../domain/routing.js";
import { siteRouting } from "../tickets/routing-store.js";
import { recordEvent } from "../tickets/store.js";
import type { TicketRow } from "../tickets/views.js";
import { runCommand, type CommandContext, type CommandScope } from "./command.js";
import { routeInScope } from "./route-ticket.js";
import { snapshotOf } from "./snapshot.js";
import { appendAndAnnounce } from "./ticket-messages.js";
import { loadTicket } from "./ticket-ref.js";

/** How the bot signs its messages. */
export const ASSISTANT_SENDER = { type: "bot" as const, id: null, name: "Assistant" };
const HANDOFF_MESSAGE = "You asked for a person. The team can see this conversation and will reply here.";

/** The offline answerer's name in the interaction log. */
const OFFLINE = { provider: "offline", model: "term-overlap-v1" };

/** The visitor's own ticket; any other is answered as unknown, so numbers cannot be probed. */
async function ownTicket(scope: CommandScope, visitor: VisitorRow, number: string): Promise<TicketRow> {
  try {
    return await loadTicket(scope.tx, { number, visitor });
  } catch (error) {
    if (error instanceof DomainError && error.code === "forbidden") throw new DomainError("not_found", `ticket ${number} not found`);
    throw error;
  }
}

/** The bot's message: the answer, then each cited article as a link. */
function botMessageBody(answer: AssistantAnswer): string {
  const links = answer.citations.map((citation) => `- [${citation.title.replace(/[[\]]/g, "")}](${citation.url})`);
  return links.length > 0 ? `${answer.answer}\n\n${links.join("\n")}` : answer.answer;
}

/**
 * Puts the ticket in front of the team: records why, tells the queue, and on a site that
 * routes automatically gives an unassigned open ticket to an agent, as a new ticket would be.
 */
async function flagForTeam(scope: CommandScope, ticket: TicketRow, reason: "low_confidence" | "requested"): Promise<TicketRow> {
  await recordEvent(scope.tx, ticket.id, "assistant.handoff", ASSISTANT_SENDER, { reason }, scope.at);
  await scope.announce({ type: "ticket.updated", ticket: snapshotOf(ticket), changes: ["handoff"] });
  if (ticket.assigneeId !== null || !isActiveStatus(ticket.status)) return ticket;
  if ((await siteRouting(scope.tx, ticket.siteId)).routing !== "automatic") return ticket;
  return (await routeInScope(scope, ticket)).ticket;
}

export interface AskInput {
  site: SiteRow;
  visitor: VisitorRow;
  question: string;
  /** A ticket number of this visitor's: the question and the answer are posted into it. */
  ticket?: string | undefined;
}

/**
 * askAssistant: answers from the site's published articles. With a ticket, the visitor's
 * question (as the customer) and the answer (as the bot) join its conversation, and a handoff
 * flags it for the team, all in one transaction with the interaction's log row.
 */
export async function askAssistant(context: CommandContext, input: AskInput): Promise<AssistantAnswer> {
  const started = context.now();
  const articles = await candidateArticles(context.db.orm, input.site.id, input.question);
  const answer = answerQuestion(input.question, articles, { threshold: input.site.assistantThreshold, urlOf: articleUrl });
  await runCommand(context, async (scope) => {
    let ticketId: string | null = null;
    if (input.ticket) {
      let ticket = await ownTicket(scope, input.visitor, input.ticket);
      ticketId = ticket.id;
      const asked = await appendAndAnnounce(scope, ticket, {
        clientId: `assistant-q-${crypto.randomUUID()}`,
        body: input.question,
        sender: { type: "customer", id: input.visitor.id, name: input.visitor.name },
        internal: false,
        attachments: [],
      });
      const answered = await appendAndAnnounce(scope, asked.ticket, { clientId: `assistant-a-${crypto.randomUUID()}`, body: botMessageBody(answer), sender: ASSISTANT_SENDER, internal: false, attachments: [] });
      ticket = answered.ticket;
      if (answer.handoff) await flagForTeam(scope, ticket, "low_confidence");
    }
    await logInteraction(scope.tx, {
      siteId: input.site.id,
      ticketId,
      visitorId: input.visitor.id,
      ...OFFLINE,
      prompt: input.question,
      response: answer.answer,
      citations: answer.citations,
      latencyMs: Math.max(0, context.now() - started),
      confidence: answer.confidence,
      tokensIn: 0,
      tokensOut: 0,
      handoff: answer.handoff,
      error: null,
      at: scope.at,
    });
  });
  return answer;
}

/** handOffToPerson: "talk to a person" on the visitor's ticket: a system message, the event, and the team is told. */
export function handOffToPerson(context: CommandContext, input: { visitor: VisitorRow; ticket: string }): Promise<TicketRow> {
  return runCommand(context, async (scope) => {
    // A ticket route like the others: another visitor's ticket is refused (403), as on every /v1/tickets/{number} route.
    const ticket = await loadTicket(scope.tx, { number: input.ticket, visitor: input.visitor });
    const posted = await appendAndAnnounce(scope, ticket, {
      clientId: `handoff-${crypto.randomUUID()}`,
      body: HANDOFF_MESSAGE,
      sender: { type: "system", id: null, name: null },
      internal: false,
      attachments: [],
    });
    return flagForTeam(scope, posted.ticket, "requested");
  });
}
