import { raiseSlaAlarm } from "../commands/sla-alarms.js";
import { slaAlarm } from "../domain/sla.js";
import { ticketsWithSlaAlarms } from "../tickets/sla-clock.js";
import { PAGE_SIZE, type Job } from "./job.js";

/**
 * Every minute: the tickets whose SLA alarm time has come (tickets_sla_alarm_idx), oldest first,
 * each through raiseSlaAlarm (the warning at 80 %, or the breach with its escalation).
 *
 * Pages are read again from the start rather than after a cursor: an alarm raised drops the
 * ticket out of the index or moves its alarm on (warning → due time), so the next read finds
 * what is left, including a breach already due behind a warning just sent (a monitor that was
 * down catches up in one run). A read that brings no alarm this run has not met yet ends it,
 * so tickets whose command keeps failing cannot hold the run in a loop; the next minute tries again.
 */
export const slaMonitorJob: Job = {
  name: "sla-monitor",
  description: "Warns when a ticket passes 80 % of its SLA target and, at the breach, stamps it, escalates it a tier and notifies (the admins at tier 3), once each.",
  schedule: "* * * * *",
  run: (run) => run.each(alarmPages(run.orm, run.startedAt, () => run.signal.aborted), (ticket) => raiseSlaAlarm(run.commands, ticket)),
};

async function* alarmPages(reader: Parameters<typeof ticketsWithSlaAlarms>[0], now: number, aborted: () => boolean) {
  const seen = new Set<string>();
  for (;;) {
    const page = await ticketsWithSlaAlarms(reader, now, PAGE_SIZE);
    // A ticket met again within one run is one this run could not move (its command answered null or failed).
    const keyed = page.map((ticket) => {
      const alarm = slaAlarm(ticket);
      return { ticket, key: `${ticket.id}:${alarm?.target}:${alarm?.kind}` };
    });
    const fresh = keyed.filter(({ key }) => !seen.has(key));
    if (fresh.length === 0 || aborted()) return;
    for (const { ticket, key } of fresh) {
      seen.add(key);
      yield { id: ticket.id, number: ticket.number };
    }
  }
}
