import { createRoute } from "@hono/zod-openapi";
import { asc, eq, sql } from "drizzle-orm";
import {
  CreateSiteBodySchema,
  CursorQuerySchema,
  SiteIdParamsSchema,
  SiteSchema,
  SiteWithSecretSchema,
  UpdateSiteBodySchema,
  pageOf,
} from "../../protocol/index.js";
import { afterCursor, isEmpty, pageFrom, sentFields } from "../admin/request.js";
import { toSite, toSiteWithSecret } from "../admin/views.js";
import { routeGroup, type Services } from "../context.js";
import type { Reader, Tx } from "../db/client.js";
import { sites } from "../db/schema.js";
import { notFound } from "../middleware/errors.js";
import { newId } from "../tickets/store.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const tags = ["admin"];
const security = access.admin;
const params = SiteIdParamsSchema;

const listSites = createRoute({
  method: "get",
  path: "/v1/admin/sites",
  tags,
  summary: "Sites by name (identity secrets are never listed)",
  security,
  request: { query: CursorQuerySchema },
  responses: { 200: jsonResponse(pageOf(SiteSchema), "A page of sites."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const createSite = createRoute({
  method: "post",
  path: "/v1/admin/sites",
  tags,
  summary: "Create a site: its public key for the embed and its identity secret, shown only now",
  security,
  request: { body: jsonBody(CreateSiteBodySchema) },
  responses: { 201: jsonResponse(SiteWithSecretSchema, "The new site with its identity secret."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const getSite = createRoute({
  method: "get",
  path: "/v1/admin/sites/{id}",
  tags,
  summary: "One site",
  security,
  request: { params },
  responses: { 200: jsonResponse(SiteSchema, "The site."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const updateSite = createRoute({
  method: "patch",
  path: "/v1/admin/sites/{id}",
  tags,
  summary: "Change a site's name, origins, identity rule, branding (merged), locale, hours, scheduled-job settings (null turns a job off) routing (manual/automatic, release on away) or the assistant's threshold and monthly token budget; only the fields sent change",
  security,
  request: { params, body: jsonBody(UpdateSiteBodySchema) },
  responses: { 200: jsonResponse(SiteSchema, "The site."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const rotateSecret = createRoute({
  method: "post",
  path: "/v1/admin/sites/{id}/rotate-secret",
  tags,
  summary: "Replace the identity secret; hashes signed with the old one stop verifying and visitor tokens issued before stop working at once",
  security,
  request: { params },
  responses: { 200: jsonResponse(SiteWithSecretSchema, "The site with its new identity secret."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomBase62(length: number): string {
  let text = "";
  while (text.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // 248 is 4 × 62: skipping the bytes above it keeps every character equally likely.
      if (byte < 248 && text.length < length) text += BASE62.charAt(byte % 62);
    }
  }
  return text;
}

const newIdentitySecret = () => Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, "0")).join("");

async function newPublicKey(tx: Tx): Promise<string> {
  // 143 bits of randomness make a clash absurd, but the key is a unique column, so look anyway.
  for (;;) {
    const key = `pk_${randomBase62(24)}`;
    if (!(await tx.query.sites.findFirst({ where: eq(sites.publicKey, key) }))) return key;
  }
}

async function siteById(orm: Reader, id: string) {
  const site = await orm.query.sites.findFirst({ where: eq(sites.id, id) });
  if (!site) throw notFound(`site ${id}`);
  return site;
}

export function adminSiteRoutes(services: Services) {
  const app = routeGroup();
  const { orm } = services.db;

  return app
    .openapi(listSites, async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const rows = await orm
        .select()
        .from(sites)
        .where(afterCursor(sites.name, sites.id, cursor))
        .orderBy(asc(sites.name), asc(sites.id))
        .limit(limit + 1);
      return c.json(pageFrom(rows, limit, (row) => [row.name, row.id], toSite), 200);
    })
    .openapi(createSite, async (c) => {
      const body = c.req.valid("json");
      const site = await services.db.write(async (tx) => {
        const [row] = await tx
          .insert(sites)
          .values({
            id: newId(),
            publicKey: await newPublicKey(tx),
            identitySecret: newIdentitySecret(),
            name: body.name,
            allowedOrigins: body.allowedOrigins,
            requireVerifiedIdentity: body.requireVerifiedIdentity,
            branding: body.branding ?? {},
            locale: body.locale,
            businessHours: body.businessHours ?? null,
            autoCloseDays: body.autoCloseDays,
            ratingReminderHours: body.ratingReminderHours,
            unassignedEscalationHours: body.unassignedEscalationHours,
            chatIdleHours: body.chatIdleHours,
            routing: body.routing,
            releaseOnAway: body.releaseOnAway,
            assistantEnabled: body.assistantEnabled,
            assistantThreshold: body.assistantThreshold,
            assistantMonthlyTokens: body.assistantMonthlyTokens,
            createdAt: services.now(),
          })
          .returning();
        return row!;
      });
      services.reference.sitesChanged();
      return c.json(toSiteWithSecret(site), 201);
    })
    .openapi(getSite, async (c) => {
      return c.json(toSite(await siteById(orm, c.req.valid("param").id)), 200);
    })
    .openapi(updateSite, async (c) => {
      const { id } = c.req.valid("param");
      const { branding, ...changes } = await sentFields(c, c.req.valid("json"));
      const site = await services.db.write(async (tx) => {
        const current = await siteById(tx, id);
        if (isEmpty(changes) && branding === undefined) return current;
        // Sessions that began anonymously must not outlive a switch to verified identity only.
        const revokes = changes.requireVerifiedIdentity === true && !current.requireVerifiedIdentity;
        const [row] = await tx
          .update(sites)
          .set({
            ...changes,
            ...(branding ? { branding: { ...current.branding, ...branding } } : {}),
            ...(revokes ? { tokenEpoch: sql`${sites.tokenEpoch} + 1` } : {}),
          })
          .where(eq(sites.id, id))
          .returning();
        return row!;
      });
      services.reference.sitesChanged();
      return c.json(toSite(site), 200);
    })
    .openapi(rotateSecret, async (c) => {
      const { id } = c.req.valid("param");
      const site = await services.db.write(async (tx) => {
        await siteById(tx, id);
        // Visitors verified under the old secret lose their sessions along with it.
        const [row] = await tx
          .update(sites)
          .set({ identitySecret: newIdentitySecret(), tokenEpoch: sql`${sites.tokenEpoch} + 1` })
          .where(eq(sites.id, id))
          .returning();
        return row!;
      });
      services.reference.sitesChanged();
      return c.json(toSiteWithSecret(site), 200);
    });
}
