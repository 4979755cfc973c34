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

/**
 * A ticket's place in the priority queue, stored beside `priority` as `priority_rank`: 0 is
 * served first. Ascending, so one index on (rank, created) serves "urgent first, oldest first".
 */
export const priorityRank: Record<TicketPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
