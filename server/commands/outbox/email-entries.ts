import { and, eq, inArray } from "drizzle-orm";
import type { NewOutboxEntry } from "../../delivery/channel.js";
import type { Tx } from "../../db/client.js";
import { agents, emailUnsubscribes, sites } from "../../db/schema.js";
import type { DomainEvent } from "../../domain/events.js";
import { agentsConcerned, customerTicketOf, emailNotices, isUsableAddress, type AgentContact } from "../../domain/notification-rules.js";

/**
 * The email outbox entries of one domain event, written in the command's transaction. The
 * rules are in domain/notification-rules.ts; this only gathers the facts they need (at most
 * three small reads, and none for events that send no email). Target = the recipient address,
 * so each person's emails leave in order. Links and the reply address are signed when the
 * email is rendered, so no secret is ever stored in the outbox.
 */
export async function emailEntries(tx: Tx, event: DomainEvent, at: number): Promise<NewOutboxEntry[]> {
  const customerTicket = customerTicketOf(event);
  const agentIds = agentsConcerned(event);
  const ticket = customerTicket ?? ("ticket" in event ? event.ticket : null);
  if (!ticket || (agentIds.length === 0 && !isUsableAddress(customerTicket?.customerEmail))) return [];

  const site = await tx.query.sites.findFirst({ where: eq(sites.id, ticket.siteId), columns: { locale: true } });
  const address = customerTicket?.customerEmail?.toLowerCase();
  const unsubscribed = address
    ? Boolean(await tx.query.emailUnsubscribes.findFirst({ where: and(eq(emailUnsubscribes.siteId, ticket.siteId), eq(emailUnsubscribes.email, address)) }))
    : false;
  const contacts = new Map<string, AgentContact>();
  if (agentIds.length > 0) {
    const rows = await tx.select({ id: agents.id, email: agents.email, name: agents.name, active: agents.active }).from(agents).where(inArray(agents.id, agentIds));
    for (const row of rows) contacts.set(row.id, row);
  }

  const notices = emailNotices(event, { siteLocale: site?.locale ?? "en", customerUnsubscribed: unsubscribed, agent: (id) => contacts.get(id) ?? null }, at);
  return notices.map((notice) => ({
    channel: "email",
    target: notice.to,
    eventType: event.type,
    payload: notice,
    ticketId: notice.ticketId,
    ...(notice.notBefore === undefined ? {} : { notBefore: notice.notBefore }),
  }));
}
