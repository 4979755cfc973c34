import { createRoute } from "@hono/zod-openapi";
import { and, count, eq, ne } from "drizzle-orm";
import { BrandingSchema, WidgetConfigSchema, type Branding } from "../../protocol/index.js";
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

export function widgetRoutes(services: Services) {
  const app = routeGroup();
  return app.openapi(getConfig, async (c) => {
    const site = c.get("site");
    const orm = services.db.orm;
    const [online] = await orm.select({ n: count() }).from(agents).where(and(eq(agents.active, true), ne(agents.status, "away")));
    const categoryRows = (await services.reference.categories()).rows.map(({ slug, name }) => ({ slug, name }));
    const open = isWithinBusinessHours(site.businessHours ?? null, services.now());
    c.header("Cache-Control", "public, max-age=30");
    // One URL, one answer per site: caches must key on the header that names the site.
    c.header("Vary", "X-Parley-Site");
    return c.json(
      {
        site: { key: site.publicKey, name: site.name },
        branding: brandingOf(site),
        locale: site.locale,
        businessHours: site.businessHours ?? null,
        open,
        agentsOnline: online?.n ?? 0,
        requireVerifiedIdentity: site.requireVerifiedIdentity,
        categories: categoryRows,
      },
      200,
    );
  });
}
