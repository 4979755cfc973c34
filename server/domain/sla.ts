import type { TicketPriority } from "../../protocol/index.js";

export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** Defaults seeded into `sla_policies`; admins may change them there. */
export const defaultSlaTargets: Record<TicketPriority, SlaTargets> = {
  urgent: { firstResponseMinutes: 30, resolutionMinutes: 4 * 60 },
  high: { firstResponseMinutes: 2 * 60, resolutionMinutes: 24 * 60 },
  normal: { firstResponseMinutes: 8 * 60, resolutionMinutes: 3 * 24 * 60 },
  low: { firstResponseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60 },
};

/** Due times for a ticket opened at `openedAt` (ms) under `targets`. */
export function slaDueTimes(openedAt: number, targets: SlaTargets) {
  return {
    firstResponseDueAt: openedAt + targets.firstResponseMinutes * 60_000,
    resolutionDueAt: openedAt + targets.resolutionMinutes * 60_000,
  };
}

export const priorityRank: Record<TicketPriority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
