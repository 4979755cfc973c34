import type { AgentStatus, TicketStatus } from "../../protocol/index.js";

/**
 * The routing rule: which agent gets a ticket. Pure: the command reads the candidates and
 * their loads inside its write transaction and hands them here.
 *
 * An agent's load is its *active* tickets: those assigned to it that are not finished
 * (`ACTIVE_STATUSES`: open, in progress, pending customer, escalated; resolved and closed do
 * not count). `capacity` is the most active tickets routing gives an agent; a human may still
 * assign past it.
 */
export const ACTIVE_STATUSES = ["open", "in_progress", "pending_customer", "escalated"] as const satisfies readonly TicketStatus[];

export const isActiveStatus = (status: TicketStatus): boolean => (ACTIVE_STATUSES as readonly TicketStatus[]).includes(status);

/** What routing needs to know of a ticket. */
export interface RoutableTicket {
  siteId: string;
  /** The category's department at creation (or the one an escalation moved it to); null: any department. */
  departmentId: string | null;
  categoryId: string | null;
  tier: number;
}

/** An agent as routing sees it; `memberOfSite` is about the ticket's site, `load` its active tickets now. */
export interface RoutingCandidate {
  id: string;
  active: boolean;
  memberOfSite: boolean;
  status: AgentStatus;
  departmentId: string | null;
  tier: number;
  capacity: number;
  /** Category ids; empty covers every category. */
  skills: readonly string[];
  load: number;
}

export type RoutingDecision = { agentId: string } | { agentId: null; reason: string };

/** Why this agent cannot take this ticket, or null when it can. */
export function candidateRefusal(ticket: RoutableTicket, agent: RoutingCandidate): string | null {
  if (!agent.active) return "inactive";
  if (!agent.memberOfSite) return "not a member of the ticket's site";
  if (agent.status !== "available") return `${agent.status}`;
  if (ticket.departmentId !== null && agent.departmentId !== ticket.departmentId) return "another department";
  if (agent.tier !== ticket.tier) return "another tier";
  if (agent.skills.length > 0 && (ticket.categoryId === null || !agent.skills.includes(ticket.categoryId))) return "skills do not cover the category";
  if (agent.load >= agent.capacity) return "at capacity";
  return null;
}

/**
 * The agent with the fewest active tickets among those who may take it; among equals, the
 * first in id order after `lastAgentId` (the pointer of the ticket's site and department),
 * wrapping round, so equals take turns whatever order they were read in.
 */
export function chooseAssignee(ticket: RoutableTicket, agents: readonly RoutingCandidate[], lastAgentId: string | null): RoutingDecision {
  const eligible = agents.filter((agent) => candidateRefusal(ticket, agent) === null);
  if (eligible.length === 0) return { agentId: null, reason: noCandidateReason(ticket, agents) };
  const least = Math.min(...eligible.map((agent) => agent.load));
  const equals = eligible.filter((agent) => agent.load === least).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const next = lastAgentId === null ? undefined : equals.find((agent) => agent.id > lastAgentId);
  return { agentId: (next ?? equals[0]!).id };
}

/** A short account for the team of why nobody got the ticket. */
function noCandidateReason(ticket: RoutableTicket, agents: readonly RoutingCandidate[]): string {
  const team = agents.filter(
    (agent) => agent.active && agent.memberOfSite && (ticket.departmentId === null || agent.departmentId === ticket.departmentId) && agent.tier === ticket.tier,
  );
  if (team.length === 0) return "no agent of this site, department and tier";
  const skilled = team.filter((agent) => candidateRefusal(ticket, { ...agent, status: "available", load: 0 }) === null);
  if (skilled.length === 0) return "no agent whose skills cover the category";
  if (!skilled.some((agent) => agent.status === "available")) return "no agent available";
  return "every available agent is at capacity";
}
