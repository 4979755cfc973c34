import type { CannedResponse } from "../../protocol/index.js";
import type { cannedResponses } from "../db/schema.js";

export type CannedResponseRow = typeof cannedResponses.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

export function toCannedResponse(row: CannedResponseRow): CannedResponse {
  return {
    id: row.id,
    scope: row.scope,
    siteId: row.siteId,
    departmentId: row.departmentId,
    agentId: row.agentId,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
