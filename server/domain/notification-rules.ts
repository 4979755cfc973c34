import { EmailTemplateSchema, type EmailTemplateName } from "../../protocol/index.js";
import type { DomainEvent, TicketSnapshot } from "./events.js";
import { isoTime } from "./iso-time.js";

/**
 * Which emails a domain event causes, and to whom. Pure: the few facts that need the
 * database (has this customer unsubscribed, who is that agent, what locale does the site
 * speak) are gathered by the caller and handed in.
 */
export type EmailTemplate = EmailTemplateName;
export const EMAIL_TEMPLATES: readonly EmailTemplate[] = EmailTemplateSchema.options;
export type EmailLocale = "en" | "fr" | "ar";
export const EMAIL_LOCALES: readonly EmailLocale[] = ["en", "fr", "ar"];

/**
 * How long an agent's reply waits before it is emailed. A visitor still in the widget reads
 * it within this time and gets no email; the check is made at delivery, not now.
 */
export const AWAY_DELAY_MS = 2 * 60_000;
/** Longest message body quoted in an email; the rest is behind the conversation link. */
export const QUOTED_BODY_LIMIT = 2_000;

export type EmailVars = Record<string, string | number | null>;

/** One email to send: exactly what the email outbox entry carries (stored as written). */
export interface EmailNotice {
  template: EmailTemplate;
  locale: EmailLocale;
  audience: "customer" | "agent";
  /** The recipient address, lower-cased. */
  to: string;
  toName: string | null;
  siteId: string;
  ticketId: string;
  ticketNumber: string;
  vars: EmailVars;
  notBefore?: number;
}

export interface AgentContact {
  email: string;
  name: string;
  active: boolean;
}

export interface EmailFacts {
  /** The ticket's site locale tag (`en`, `fr-CA`, `ar`…). */
  siteLocale: string;
  /** The customer's address has opted out of email on this site. */
  customerUnsubscribed: boolean;
  agent(id: string): AgentContact | null;
}

/** `fr-CA` → `fr`; anything we have no templates for → `en`. */
export function emailLocale(tag: string | null | undefined): EmailLocale {
  const language = (tag ?? "").toLowerCase().split(/[-_]/)[0];
  return EMAIL_LOCALES.find((locale) => locale === language) ?? "en";
}

// A deliberately plain check: we only refuse what is clearly not a mailbox; the MTA judges the rest.
const MAILBOX = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
export const isUsableAddress = (address: string | null | undefined): address is string => typeof address === "string" && address.length <= 254 && MAILBOX.test(address);

/** The agents whose contact details `emailNotices` will ask for. */
export function agentsConcerned(event: DomainEvent): string[] {
  switch (event.type) {
    case "ticket.assigned":
      return event.to ? [event.to] : [];
    case "ticket.escalated":
      return event.toAgentId ? [event.toAgentId] : [];
    case "sla.warning":
      return event.ticket.assigneeId ? [event.ticket.assigneeId] : [];
    case "sla.breached":
      return event.notifyAgentIds;
    default:
      return [];
  }
}

/** The ticket whose customer `emailNotices` may write to, if any. */
export function customerTicketOf(event: DomainEvent): TicketSnapshot | null {
  switch (event.type) {
    case "ticket.created":
    case "ticket.resolved":
    case "ticket.closed":
    case "rating.requested":
    case "chat.archived":
      return event.ticket;
    case "message.created":
      return event.senderType === "agent" && !event.message.internal && !event.closing ? event.ticket : null;
    default:
      return null;
  }
}

export function emailNotices(event: DomainEvent, facts: EmailFacts, at: number): EmailNotice[] {
  const locale = emailLocale(facts.siteLocale);
  const base = (ticket: TicketSnapshot) => ({ locale, siteId: ticket.siteId, ticketId: ticket.id, ticketNumber: ticket.number });
  const toCustomer = (ticket: TicketSnapshot, template: EmailTemplate, vars: EmailVars, notBefore?: number): EmailNotice[] => {
    if (!isUsableAddress(ticket.customerEmail) || facts.customerUnsubscribed) return [];
    const notice: EmailNotice = { ...base(ticket), template, audience: "customer", to: ticket.customerEmail.toLowerCase(), toName: ticket.customerName, vars };
    return [notBefore === undefined ? notice : { ...notice, notBefore }];
  };
  const toAgent = (ticket: TicketSnapshot, agentId: string | null, template: EmailTemplate, vars: EmailVars): EmailNotice[] => {
    const agent = agentId ? facts.agent(agentId) : null;
    if (!agent || !agent.active || !isUsableAddress(agent.email)) return [];
    return [{ ...base(ticket), template, audience: "agent", to: agent.email.toLowerCase(), toName: agent.name, vars }];
  };
  const about = (ticket: TicketSnapshot) => ({ number: ticket.number, subject: ticket.subject, customerName: ticket.customerName });

  switch (event.type) {
    case "ticket.created":
      return toCustomer(event.ticket, "ticket-created", about(event.ticket));
    case "message.created": {
      // Only an agent's visible reply: never notes, nor the customer's own words, nor bots;
      // nor the words a close posted, which the ticket.closed email of the same command carries.
      if (event.senderType !== "agent" || event.message.internal || event.closing) return [];
      const body = event.message.body.length > QUOTED_BODY_LIMIT ? `${event.message.body.slice(0, QUOTED_BODY_LIMIT)}…` : event.message.body;
      const vars = { ...about(event.ticket), agentName: event.message.senderName, body, seq: event.message.seq };
      return toCustomer(event.ticket, "agent-replied", vars, at + AWAY_DELAY_MS);
    }
    case "ticket.resolved":
      return toCustomer(event.ticket, "ticket-resolved", { ...about(event.ticket), resolution: event.resolution });
    case "ticket.closed":
      return event.viaTranscript ? [] : toCustomer(event.ticket, "ticket-closed", { ...about(event.ticket), message: event.message });
    case "rating.requested":
      return toCustomer(event.ticket, "rating-reminder", about(event.ticket));
    case "chat.archived":
      // The lines travel as JSON text (a variable is a string); the template lays them out in the email's language.
      return toCustomer(event.ticket, "chat-transcript", {
        ...about(event.ticket),
        transcript: JSON.stringify(event.transcript),
        omitted: event.omitted,
        closed: event.closed ? 1 : 0,
      });
    case "ticket.assigned":
      return toAgent(event.ticket, event.to, "ticket-assigned", { ...about(event.ticket), priority: event.ticket.priority });
    case "ticket.escalated":
      return toAgent(event.ticket, event.toAgentId, "ticket-escalated", {
        ...about(event.ticket),
        priority: event.ticket.priority,
        fromTier: event.fromTier,
        toTier: event.toTier,
        reason: event.reason,
      });
    case "sla.warning":
      return toAgent(event.ticket, event.ticket.assigneeId, "sla-warning", { ...about(event.ticket), priority: event.ticket.priority, target: event.target, dueAt: isoTime(event.dueAt) });
    case "sla.breached":
      return event.notifyAgentIds.flatMap((agentId) =>
        toAgent(event.ticket, agentId, "sla-breached", {
          ...about(event.ticket),
          priority: event.ticket.priority,
          target: event.target,
          dueAt: isoTime(event.dueAt),
          tier: event.ticket.tier,
          escalated: event.toTier === null ? 0 : 1,
        }),
      );
    // The contact form's ticket announces ticket.created too, which already confirms it.
    case "contact.created":
    case "ticket.unrouted":
    case "ticket.updated":
    case "read.updated":
    case "rating.created":
    case "agent.status_changed":
    case "agent.deactivated":
    case "agent.sites_removed":
    case "category.deleted":
      return [];
  }
}

/**
 * Decided at delivery: an "agent replied" email goes out only if the visitor has not read
 * that message in the meantime (they were away after all); a rating reminder only while the
 * ticket is still resolved and unrated.
 */
export function stillWorthSending(
  notice: Pick<EmailNotice, "template" | "vars">,
  ticket: { visitorReadSeq: number; status: TicketSnapshot["status"]; rating: number | null },
): boolean {
  switch (notice.template) {
    case "agent-replied": {
      const seq = notice.vars.seq;
      return typeof seq !== "number" || ticket.visitorReadSeq < seq;
    }
    case "rating-reminder":
      return ticket.status === "resolved" && ticket.rating === null;
    default:
      return true;
  }
}
