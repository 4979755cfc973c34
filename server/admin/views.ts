import type { Category, Department, Site } from "../../protocol/index.js";
import type { SiteRow } from "../db/rows.js";
import type { categories, departments } from "../db/schema.js";
import { brandingOf } from "../routes/widget.js";
import { isoTime } from "../domain/iso-time.js";

export type DepartmentRow = typeof departments.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;

export const toDepartment = (row: DepartmentRow): Department => ({
  id: row.id,
  name: row.name,
  description: row.description,
  createdAt: isoTime(row.createdAt),
});

export const toCategory = (row: CategoryRow): Category => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  departmentId: row.departmentId,
  createdAt: isoTime(row.createdAt),
});

/** A site without its identity secret, which is shown only when created or rotated. */
export const toSite = (row: SiteRow): Site => ({
  id: row.id,
  key: row.publicKey,
  name: row.name,
  allowedOrigins: row.allowedOrigins,
  requireVerifiedIdentity: row.requireVerifiedIdentity,
  branding: brandingOf(row),
  locale: row.locale,
  businessHours: row.businessHours ?? null,
  autoCloseDays: row.autoCloseDays,
  ratingReminderHours: row.ratingReminderHours,
  unassignedEscalationHours: row.unassignedEscalationHours,
  chatIdleHours: row.chatIdleHours,
  routing: row.routing,
  releaseOnAway: row.releaseOnAway,
  assistantEnabled: row.assistantEnabled,
  assistantThreshold: row.assistantThreshold,
  assistantMonthlyTokens: row.assistantMonthlyTokens,
  createdAt: isoTime(row.createdAt),
});

export const toSiteWithSecret = (row: SiteRow) => ({ ...toSite(row), identitySecret: row.identitySecret });
