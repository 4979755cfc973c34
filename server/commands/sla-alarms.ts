import { and, eq, or } from "drizzle-orm";
import type { SlaTarget } from "../../protocol/index.js";
import type { Tx } from "../db/client.js";
import { claimOnce } from "../db/job-claims.js";
import { agentSites, agents, tickets } from "../db/schema.js";
import { MAX_TIER } from "../domain/escalation.js";
import { isoTime } from "../domain/iso-time.js";
import { slaAlarm } from "../domain/sla.js";
import { recordEvent } from "../tickets/store.js";
import type { TicketRow } from "../tickets/views.js";
import { runCommand, type Actor, type CommandContext } from "./command.js";
import { snapshotOf } from "./snapshot.js";
import { applyEscalation } from "./ticket-actions.js";
import { loadTicket } from "./ticket-ref.js";

const SYSTEM: Actor = { type: "system", id: null };

/** The SLA monitor's claims: one per ticket, target and alarm (`<ticket id>:<target>:warning|breach`). */
export const SLA_MONITOR_CLAIM = "sla-monitor";

const targetName = (target: SlaTarget) => (target === "first_response" ? "first response" : "resolution");

/**
 * raiseSlaAlarm: what the SLA monitor does for one ticket, as `system`, in one write. The
 * alarm is worked out again from the ticket as it is now (`slaAlarm`): a reply, a pause or a
 * run on another server since the job found it leaves nothing to do (null). Then:
 *
 * - at 80 % of the pending target: the warned stamp, a `sla_warning` history row, `sla.warning`
 *   (site room, webhooks, an email to the assignee if any);
 * - at its due time: the breach stamp, a `sla_breached` row, an escalation to the next tier with
 *   the reason (its own `escalated` row and ticket.escalated), and `sla.breached`, emailed to the
 *   agents of the new tier on the site (of the ticket's department, when it has one) and, once
 *   the ticket stands at the top tier, to the admins.
 *
 * Each happens once per ticket and target: the stamps take the ticket out of the alarm index,
 * and the claim (taken in the same transaction) holds even if a stamp were ever cleared.
 */
export function raiseSlaAlarm(context: CommandContext, input: { number: string }): Promise<TicketRow | null> {
  return runCommand(context, async (scope) => {
    const { tx, at } = scope;
    const ticket = await loadTicket(tx, { number: input.number });
    const alarm = slaAlarm(ticket);
    if (!alarm || alarm.at > at) return null;
    const { target } = alarm;
    const dueAt = (target === "first_response" ? ticket.firstResponseDueAt : ticket.resolutionDueAt)!;

    // A warning whose moment passed with the due time (the monitor was down) is not sent late: the breach says more.
    if (alarm.kind === "at_risk" && at < dueAt) {
      if (!(await claimOnce(tx, SLA_MONITOR_CLAIM, `${ticket.id}:${target}:warning`, at))) return null;
      const stamp = target === "first_response" ? { firstResponseWarnedAt: at } : { resolutionWarnedAt: at };
      const [warned] = await tx.update(tickets).set(stamp).where(eq(tickets.id, ticket.id)).returning();
      await recordEvent(tx, ticket.id, "sla_warning", SYSTEM, { target, dueAt }, at);
      await scope.announce({ type: "sla.warning", ticket: snapshotOf(warned!), target, dueAt });
      return warned!;
    }

    if (!(await claimOnce(tx, SLA_MONITOR_CLAIM, `${ticket.id}:${target}:breach`, at))) return null;
    // A ticket that reaches its due time unwarned (the monitor was down) is warned implicitly: the breach says more.
    const stamp =
      target === "first_response"
        ? { firstResponseBreachedAt: at, firstResponseWarnedAt: ticket.firstResponseWarnedAt ?? at }
        : { resolutionBreachedAt: at, resolutionWarnedAt: ticket.resolutionWarnedAt ?? at };
    const [stamped] = await tx.update(tickets).set(stamp).where(eq(tickets.id, ticket.id)).returning();
    await recordEvent(tx, ticket.id, "sla_breached", SYSTEM, { target, dueAt, tier: ticket.tier }, at);
    const escalates = ticket.tier < MAX_TIER;
    const current = escalates
      ? await applyEscalation(scope, stamped!, { reason: `SLA breached: the ${targetName(target)} was due at ${isoTime(dueAt)}`, actor: SYSTEM })
      : stamped!;
    const notifyAgentIds = await breachRecipients(tx, current);
    await scope.announce({
      type: "sla.breached",
      ticket: snapshotOf(current),
      target,
      dueAt,
      fromTier: ticket.tier,
      toTier: escalates ? current.tier : null,
      notifyAgentIds,
    });
    return current;
  });
}

/**
 * Who hears of a breach: the new owner, which for a ticket back in its tier's queue is that
 * tier's team (active members of the site at that tier, of the ticket's department when it has
 * one); at the top tier the admins too. One read over agent_sites' (site, agent) index.
 */
async function breachRecipients(tx: Tx, ticket: TicketRow): Promise<string[]> {
  const team = and(
    eq(agentSites.siteId, ticket.siteId),
    eq(agents.tier, ticket.tier),
    ...(ticket.departmentId === null ? [] : [eq(agents.departmentId, ticket.departmentId)]),
  );
  const rows = await tx
    .selectDistinct({ id: agents.id })
    .from(agents)
    .leftJoin(agentSites, eq(agentSites.agentId, agents.id))
    .where(and(eq(agents.active, true), ticket.tier >= MAX_TIER ? or(team, eq(agents.role, "admin")) : team));
  return rows.map((row) => row.id).sort();
}

