import { z } from "zod";

/** Where a ticket sits in its lifecycle; see server/domain/ticket-lifecycle.ts for the legal moves. */
export const TicketStatusSchema = z.enum([
  "open",
  "in_progress",
  "pending_customer",
  "escalated",
  "resolved",
  "closed",
]);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

/** Ordered from least to most urgent. */
export const TicketPrioritySchema = z.enum(["low", "normal", "high", "urgent"]);
export type TicketPriority = z.infer<typeof TicketPrioritySchema>;

export const TicketSourceSchema = z.enum(["widget", "chat", "contact", "email", "api"]);
export type TicketSource = z.infer<typeof TicketSourceSchema>;

export const SenderTypeSchema = z.enum(["customer", "agent", "system", "bot"]);
export type SenderType = z.infer<typeof SenderTypeSchema>;

export const AgentRoleSchema = z.enum(["agent", "admin"]);
export type AgentRole = z.infer<typeof AgentRoleSchema>;

export const AgentStatusSchema = z.enum(["available", "busy", "away"]);
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

/** How a site's new tickets find an agent: by the routing rule (`automatic`) or by hand (`manual`). */
export const RoutingModeSchema = z.enum(["manual", "automatic"]);
export type RoutingMode = z.infer<typeof RoutingModeSchema>;

export const AgentTierSchema = z.number().int().min(1).max(3);
export type AgentTier = z.infer<typeof AgentTierSchema>;

/** Every kind of row written to a ticket's immutable history. */
export const TicketEventTypeSchema = z.enum([
  "created",
  "status_changed",
  "priority_changed",
  "category_changed",
  "tags_changed",
  "assigned",
  "escalated",
  "message",
  "note",
  "read",
  "rated",
  /** A scheduled job asked the customer for a rating (once per ticket). */
  "rating_requested",
  /** A scheduled job ended an idle live chat and emailed its transcript. */
  "chat_archived",
  /** The SLA monitor: the pending target passed its 80 % mark. */
  "sla_warning",
  /** The SLA monitor: a target was missed (an `escalated` row follows when it went up a tier). */
  "sla_breached",
  /** The assistant could not answer, or the visitor asked for a person: the ticket waits for the team. */
  "assistant.handoff",
]);
export type TicketEventType = z.infer<typeof TicketEventTypeSchema>;

export const ActorTypeSchema = z.enum(["customer", "agent", "system", "bot"]);
export type ActorType = z.infer<typeof ActorTypeSchema>;

/** The two SLA targets a ticket is measured against. */
export const SlaTargetSchema = z.enum(["first_response", "resolution"]);
export type SlaTarget = z.infer<typeof SlaTargetSchema>;

/**
 * Where a ticket stands against its SLA now: `ok`, `at_risk` (past 80 % of the pending
 * target), `breached` (a target missed), `paused` (waiting on the customer) or `met` (finished).
 */
export const SlaStateSchema = z.enum(["ok", "at_risk", "breached", "paused", "met"]);
export type SlaState = z.infer<typeof SlaStateSchema>;
