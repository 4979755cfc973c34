import { createRoute } from "@hono/zod-openapi";
import { and, count, eq, ne } from "drizzle-orm";
import { BrandingSchema, WidgetConfigSchema, isKnownTimeZone, type Branding, type BusinessHours } from "../../protocol/index.js";
import { routeGroup, type Services, type SiteRow } from "../context.js";
import { agents } from "../db/schema.js";
import { isWithinBusinessHours } from "../domain/business-hours.js";
import { access, errors, jsonResponse } from "./openapi.js";

export function brandingOf(site: SiteRow): Branding {
  return BrandingSchema.parse({
    name: site.name,
    greeting: "Hi! How can we help?",
    primaryColor: "#4f46e5",
    position: "bottom-right",
    launcherText: null,
    ...site.branding,
  });
}

const getConfig = createRoute({
  method: "get",
  path: "/v1/widget/config",
  tags: ["visitor"],
  summary: "Branding, locale, business hours and whether anyone is online",
  security: access.site,
  responses: {
    200: jsonResponse(WidgetConfigSchema, "What the widget needs to draw itself."),
    ...errors("validation_failed", "not_found"),
  },
});

/**
 * The site's hours, or null when they name a time zone this runtime does not know (saved
 * before zones were checked, or written around the API): such hours cannot be read, so the
 * widget shows none and counts as open rather than the config failing.
 */
function readableHours(site: { id: string; businessHours: BusinessHours | null }, log: Services["log"]): BusinessHours | null {
  const hours = site.businessHours ?? null;
  if (!hours || isKnownTimeZone(hours.timezone)) return hours;
  log(`site ${site.id} has business hours in an unknown time zone; the widget shows none`);
  return null;
}

export function widgetRoutes(services: Services) {
  const app = routeGroup();
  return app.openapi(getConfig, async (c) => {
    const site = c.get("site");
    const orm = services.db.orm;
    const [online] = await orm.select({ n: count() }).from(agents).where(and(eq(agents.active, true), ne(agents.status, "away")));
    const categoryRows = (await services.reference.categories()).rows.map(({ slug, name }) => ({ slug, name }));
    const hours = readableHours(site, services.log);
    const open = isWithinBusinessHours(hours, services.now());
    c.header("Cache-Control", "public, max-age=30");
    // One URL, one answer per site: caches must key on the header that names the site.
    c.header("Vary", "X-Parley-Site");
    return c.json(
      {
        site: { key: site.publicKey, name: site.name },
        branding: brandingOf(site),
        locale: site.locale,
        businessHours: hours,
        open,
        agentsOnline: online?.n ?? 0,
        requireVerifiedIdentity: site.requireVerifiedIdentity,
        assistant: site.assistantEnabled,
        categories: categoryRows,
      },
      200,
    );
  });
}
