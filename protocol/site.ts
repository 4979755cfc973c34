import { z } from "zod";
import { IdSchema, IsoDateSchema } from "./common.js";
import { CategorySchema } from "./department.js";
import { RoutingModeSchema } from "./enums.js";

const HexColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #4f46e5");

export const BrandingSchema = z.object({
  name: z.string().max(80),
  greeting: z.string().max(280),
  primaryColor: HexColorSchema,
  position: z.enum(["bottom-right", "bottom-left"]),
  launcherText: z.string().max(40).nullable(),
});
export type Branding = z.infer<typeof BrandingSchema>;

/**
 * True for a time zone this runtime's Intl knows. Intl throws a RangeError for any other, so a
 * site saved with one would break every later reading of its hours.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour");
/** A window may close at 24:00 (the next midnight). */
const ClosingTimeSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "HH:MM, 24-hour, or 24:00");

/** A real calendar date `YYYY-MM-DD` (no 2026-02-30). */
export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2026-12-25")
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), "not a calendar date");

/**
 * One opening window, on the day it opens (0 Sunday to 6). A window that closes at or before
 * it opens (22:00–02:00) runs past midnight into the next day.
 */
export const OpeningWindowSchema = z
  .object({ day: z.number().int().min(0).max(6), open: TimeOfDaySchema, close: ClosingTimeSchema })
  .refine((window) => window.open !== window.close, {
    message: "a window must close at another time than it opens (use 00:00–24:00 for the whole day)",
    path: ["close"],
  });

/**
 * Opening hours in the site's IANA time zone, and the holidays (local dates) when the site is
 * closed all day. The SLA clocks run inside them (server/domain/business-calendar.ts).
 */
export const BusinessHoursSchema = z.object({
  timezone: z.string().min(1).max(64).refine(isKnownTimeZone, "an IANA time zone like Europe/Paris"),
  days: z.array(OpeningWindowSchema).max(14),
  holidays: z
    .array(LocalDateSchema)
    .max(366)
    .refine((dates) => new Set(dates).size === dates.length, "each holiday once")
    .optional(),
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

export const WidgetConfigSchema = z.object({
  site: z.object({ key: z.string(), name: z.string() }),
  branding: BrandingSchema,
  locale: z.string(),
  businessHours: BusinessHoursSchema.nullable(),
  /** True when inside business hours (or none are set). */
  open: z.boolean(),
  agentsOnline: z.number().int(),
  requireVerifiedIdentity: z.boolean(),
  /** New conversations are answered by the assistant first. */
  assistant: z.boolean(),
  categories: z.array(CategorySchema.pick({ slug: true, name: true })),
});
export type WidgetConfig = z.infer<typeof WidgetConfigSchema>;

const OriginSchema = z.union([
  z.literal("*"),
  z.string().regex(/^https?:\/\/[^/\s]+$/, "an origin like https://example.com (no path)"),
]);

/**
 * What the scheduled jobs do for a site; null turns that job off for it. Bounds keep a typo
 * from closing every ticket at once or never.
 */
const automationFields = {
  /** Resolved tickets close this many days after resolution (default 7). */
  autoCloseDays: z.number().int().min(1).max(365).nullable(),
  /** One rating reminder this many hours after resolution, if still unrated (default 24). */
  ratingReminderHours: z.number().int().min(1).max(720).nullable(),
  /** A ticket open and unassigned this long goes up one tier (default 48). */
  unassignedEscalationHours: z.number().int().min(1).max(2160).nullable(),
  /** A live chat without a message for this long is archived and its transcript emailed (default 24). */
  chatIdleHours: z.number().int().min(1).max(720).nullable(),
  /** `automatic`: new tickets go to an agent by the routing rule; `manual` (default): they wait for a claim or an assignment. */
  routing: RoutingModeSchema,
  /** An agent of this site going away hands its unfinished tickets here back to the queue (routed again on automatic sites). Default false. */
  releaseOnAway: z.boolean(),
  /** The widget hands a new conversation to the assistant first; the visitor can ask for a person at any time. Default false. */
  assistantEnabled: z.boolean(),
  /** The assistant answers at or above this confidence (0–1); under it a person takes the question. Default 0.35. */
  assistantThreshold: z.number().min(0).max(1),
  /** Tokens an external AI provider may spend for the site per month (UTC); 0 (default) = no limit. */
  assistantMonthlyTokens: z.number().int().min(0).max(1_000_000_000),
};

export const SiteSchema = z.object({
  id: IdSchema,
  key: z.string(),
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  requireVerifiedIdentity: z.boolean(),
  branding: BrandingSchema,
  locale: z.string(),
  businessHours: BusinessHoursSchema.nullable(),
  ...automationFields,
  createdAt: IsoDateSchema,
});
export type Site = z.infer<typeof SiteSchema>;

/** Only returned once, when a site is created or its secret rotated. */
export const SiteWithSecretSchema = SiteSchema.extend({ identitySecret: z.string() });

const siteFields = {
  name: z.string().trim().min(2).max(80),
  allowedOrigins: z.array(OriginSchema).max(50),
  requireVerifiedIdentity: z.boolean(),
  branding: BrandingSchema.partial(),
  locale: z.string().min(2).max(16),
  businessHours: BusinessHoursSchema.nullable(),
  ...automationFields,
};

export const CreateSiteBodySchema = z.object({
  ...siteFields,
  allowedOrigins: siteFields.allowedOrigins.default([]),
  requireVerifiedIdentity: siteFields.requireVerifiedIdentity.default(false),
  branding: siteFields.branding.optional(),
  locale: siteFields.locale.default("en"),
  businessHours: siteFields.businessHours.optional(),
  autoCloseDays: siteFields.autoCloseDays.default(7),
  ratingReminderHours: siteFields.ratingReminderHours.default(24),
  unassignedEscalationHours: siteFields.unassignedEscalationHours.default(48),
  chatIdleHours: siteFields.chatIdleHours.default(24),
  routing: siteFields.routing.default("manual"),
  releaseOnAway: siteFields.releaseOnAway.default(false),
  assistantEnabled: siteFields.assistantEnabled.default(false),
  assistantThreshold: siteFields.assistantThreshold.default(0.35),
  assistantMonthlyTokens: siteFields.assistantMonthlyTokens.default(0),
});
export type CreateSiteBody = z.input<typeof CreateSiteBodySchema>;
/** Built from the bare fields so that a PATCH never fills in creation defaults. */
export const UpdateSiteBodySchema = z.object(siteFields).partial();
export type UpdateSiteBody = z.infer<typeof UpdateSiteBodySchema>;

export const SiteIdParamsSchema = z.object({ id: IdSchema });
