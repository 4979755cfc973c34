import { and, desc, eq } from "drizzle-orm";
import type { Reader } from "../db/client.js";
import { messages } from "../db/schema.js";
import { suggestAssist, type Assist } from "../domain/assistant/suggested-reply.js";
import { DomainError } from "../domain/errors.js";
import type { SiteScope } from "../domain/site-scope.js";
import { agentTicket } from "../tickets/scope.js";
import { articleLinks, candidateArticles } from "./retrieval.js";

/** Recent customer messages read: what the customer is asking now, not the whole history. */
const RECENT_CUSTOMER_MESSAGES = 3;
/** Text matched at most, so a pasted log does not become a huge search. */
const MAX_MATCHED_CHARS = 2000;

/**
 * Articles and a draft reply for a ticket of the agent's sites (any other is not found); the
 * articles link to the site's help-centre pages under `publicUrl`, so the customer can open them.
 */
export async function assistForTicket(orm: Reader, scope: SiteScope, number: string, publicUrl: string): Promise<Assist> {
  const ticket = await agentTicket(orm, scope, number);
  const recent = await orm
    .select({ body: messages.body })
    .from(messages)
    .where(and(eq(messages.ticketId, ticket.id), eq(messages.senderType, "customer"), eq(messages.internal, false)))
    .orderBy(desc(messages.seq))
    .limit(RECENT_CUSTOMER_MESSAGES);
  // Before any message, the request itself is what the customer asked.
  const text = (recent.length > 0 ? recent.map((row) => row.body).reverse().join("\n") : `${ticket.subject}\n${ticket.description}`).slice(0, MAX_MATCHED_CHARS);
  const site = await orm.query.sites.findFirst({ columns: { assistantThreshold: true, publicKey: true }, where: (sites, { eq: equals }) => equals(sites.id, ticket.siteId) });
  if (!site) throw new DomainError("not_found", `ticket ${number} not found`);
  return suggestAssist(text, await candidateArticles(orm, ticket.siteId, text), { threshold: site.assistantThreshold, urlOf: articleLinks(publicUrl, site.publicKey), customerName: ticket.customerName });
}
