import { eq } from "drizzle-orm";
import type { AssistantAnswer } from "../../protocol/index.js";
import { articleLinks, candidateArticles } from "../assistant/retrieval.js";
import { logInteraction, tokensSpentSince } from "../assistant/interactions.js";
import type { LiveDrafts } from "../assistant/live-drafts.js";
import type { AiProvider } from "../assistant/provider.js";
import type { SiteRow, VisitorRow } from "../db/rows.js";
import { tickets } from "../db/schema.js";
import { answerQuestion, MAX_ANSWER_CHARS, rankArticles, sentencesOf, type ArticleText } from "../domain/assistant/answerer.js";
import { chatMessages, monthStart } from "../domain/assistant/chat-stream.js";
import { redactPersonalData } from "../domain/assistant/redact.js";
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
  if (ticket.handedOffAt !== null) return ticket;
  const [flagged] = await scope.tx.update(tickets).set({ handedOffAt: scope.at, updatedAt: scope.at }).where(eq(tickets.id, ticket.id)).returning();
  ticket = flagged!;
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
  /** The visitor's id for the question's message, so its "sending" bubble meets the stored one. */
  clientId?: string | undefined;
}

/**
 * The visitor's ticket the question joins. One the team has taken (handed off) is refused
 * before anything is written: the visitor writes to the team there, as a message.
 */
async function askableTicket(scope: CommandScope, visitor: VisitorRow, number: string): Promise<TicketRow> {
  const ticket = await ownTicket(scope, visitor, number);
  if (ticket.handedOffAt !== null) throw new DomainError("illegal_transition", `ticket ${number} is with the team now: send it a message instead`);
  return ticket;
}

/** A new conversation's first question is its request: already on the ticket, so not posted again. */
const isOpeningQuestion = (ticket: TicketRow, question: string) => ticket.messageCount === 0 && ticket.description.trim() === question.trim();

/** Commands plus the external provider, when one is configured. */
export interface AssistantContext extends CommandContext {
  ai: AiProvider | null;
  /** Where the provider's answer is shown while it streams (the ticket's room); absent with the rooms off. */
  assistantDrafts?: LiveDrafts | null;
  /** The server's public origin, which citation links start with (PARLEY_PUBLIC_URL). */
  publicUrl: string;
}

/** Articles given to the provider as context: the best few the offline ranking found. */
const CONTEXT_ARTICLES = 3;
const BUDGET_SPENT_NOTE = "Our AI assistant has used this month's allowance, so here is the closest article instead.";

interface Composed {
  answer: AssistantAnswer;
  provider: string;
  model: string;
  prompt: string;
  tokensIn: number;
  tokensOut: number;
  error: string | null;
}

/**
 * The answer to give: the offline one when it hands off or no provider is set; else the
 * provider's, written from the redacted question and articles. A spent budget, a failure or
 * a timeout falls back to the offline answer, and says why in the log.
 */
async function compose(context: AssistantContext, site: SiteRow, ticketId: string | null, question: string, articles: ArticleText[], offline: AssistantAnswer): Promise<Composed> {
  const fallback = (error: string | null, answer = offline): Composed => ({ answer, ...OFFLINE, prompt: question, tokensIn: 0, tokensOut: 0, error });
  const { ai } = context;
  if (!ai || offline.handoff) return fallback(null);
  if (site.assistantMonthlyTokens > 0) {
    const spent = await tokensSpentSince(context.db.orm, site.id, monthStart(context.now()));
    if (spent >= site.assistantMonthlyTokens) return fallback("monthly token budget spent", { ...offline, answer: `${BUDGET_SPENT_NOTE} ${offline.answer}` });
  }
  const context3 = rankArticles(question, articles)
    .slice(0, CONTEXT_ARTICLES)
    .map(({ article }) => ({ title: redactPersonalData(article.title), url: articleLinks(context.publicUrl, site.publicKey)(article.slug), text: redactPersonalData(sentencesOf(article.body).join(" ")) }));
  const messages = chatMessages(redactPersonalData(question), context3);
  const drafts = ticketId ? context.assistantDrafts : null;
  try {
    // In a ticket, the room sees the answer grow; the bot's message replaces it once committed.
    const completion = await ai.complete(messages, drafts ? (soFar) => drafts.show(ticketId!, soFar.slice(0, MAX_ANSWER_CHARS)) : undefined);
    if (drafts) await drafts.settled(ticketId!);
    return {
      answer: { ...offline, answer: completion.text.slice(0, MAX_ANSWER_CHARS) },
      provider: ai.name,
      model: ai.model,
      prompt: JSON.stringify(messages),
      tokensIn: completion.tokensIn,
      tokensOut: completion.tokensOut,
      error: null,
    };
  } catch (error) {
    if (drafts) await drafts.settled(ticketId!);
    const reason = error instanceof Error ? (error.name === "TimeoutError" ? "timed out" : error.message) : String(error);
    return fallback(`${ai.name} ${ai.model}: ${reason}`);
  }
}

/**
 * askAssistant: answers from the site's published articles. With a ticket, the visitor's
 * question is stored first (as the customer, so nothing the provider does can lose it), then
 * the answer (as the bot) with the interaction's log row, and a handoff flags it for the team.
 */
export async function askAssistant(context: AssistantContext, input: AskInput): Promise<AssistantAnswer> {
  const started = context.now();
  let ticketId: string | null = null;
  if (input.ticket) {
    const ticket = input.ticket;
    ticketId = await runCommand(context, async (scope) => {
      const found = await askableTicket(scope, input.visitor, ticket);
      if (isOpeningQuestion(found, input.question)) return found.id;
      await appendAndAnnounce(scope, found, {
        clientId: input.clientId ?? `assistant-q-${crypto.randomUUID()}`,
        body: input.question,
        sender: { type: "customer", id: input.visitor.id, name: input.visitor.name },
        internal: false,
        attachments: [],
      });
      return found.id;
    });
  }
  const articles = await candidateArticles(context.db.orm, input.site.id, input.question);
  const offline = answerQuestion(input.question, articles, { threshold: input.site.assistantThreshold, urlOf: articleLinks(context.publicUrl, input.site.publicKey) });
  const composed = await compose(context, input.site, ticketId, input.question, articles, offline);
  const { answer } = composed;
  await runCommand(context, async (scope) => {
    if (input.ticket) {
      const ticket = await ownTicket(scope, input.visitor, input.ticket);
      const answered = await appendAndAnnounce(scope, ticket, { clientId: `assistant-a-${crypto.randomUUID()}`, body: botMessageBody(answer), sender: ASSISTANT_SENDER, internal: false, attachments: [] });
      if (answer.handoff) await flagForTeam(scope, answered.ticket, "low_confidence");
    }
    await logInteraction(scope.tx, {
      siteId: input.site.id,
      ticketId,
      visitorId: input.visitor.id,
      provider: composed.provider,
      model: composed.model,
      prompt: composed.prompt,
      response: answer.answer,
      citations: answer.citations,
      latencyMs: Math.max(0, context.now() - started),
      confidence: answer.confidence,
      tokensIn: composed.tokensIn,
      tokensOut: composed.tokensOut,
      handoff: answer.handoff,
      error: composed.error,
      at: scope.at,
    });
  });
  return answer;
}

/** handOffToPerson: "talk to a person" on the visitor's ticket: a system message, the event, and the team is told (once). */
export function handOffToPerson(context: CommandContext, input: { visitor: VisitorRow; ticket: string }): Promise<TicketRow> {
  return runCommand(context, async (scope) => {
    // A ticket route like the others: another visitor's ticket is refused (403), as on every /v1/tickets/{number} route.
    const ticket = await loadTicket(scope.tx, { number: input.ticket, visitor: input.visitor });
    // Asking twice changes nothing: the team already has it.
    if (ticket.handedOffAt !== null) return ticket;
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
