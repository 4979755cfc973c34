import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import {
  CreateWebhookEndpointBodySchema,
  CursorQuerySchema,
  OkSchema,
  UpdateWebhookEndpointBodySchema,
  WEBHOOK_TEST_EVENT,
  WebhookAttemptResultSchema,
  WebhookDeliveryParamsSchema,
  WebhookDeliverySchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
  WebhookIdParamsSchema,
  WebhookListQuerySchema,
  WebhookReplaySchema,
  pageOf,
  type WebhookAttemptResult,
  type WebhookPayload,
} from "../../protocol/index.js";
import { afterCursor, isEmpty, pageFrom, sentFields } from "../admin/request.js";
import { toWebhookDelivery, toWebhookEndpoint, toWebhookEndpointWithSecret } from "../admin/webhook-views.js";
import { routeGroup, type Services } from "../context.js";
import type { Reader } from "../db/client.js";
import { sites, webhookEndpoints } from "../db/schema.js";
import type { DeliveryOutcome } from "../delivery/channel.js";
import { endpointDeliveries, replayEndpointDelivery } from "../delivery/webhooks/endpoint-log.js";
import { newWebhookSecret } from "../delivery/webhooks/sign.js";
import { WebhookTargetRefused } from "../delivery/webhooks/ssrf-guard.js";
import { webhookMessageId, type WebhookChannel } from "../delivery/webhooks/webhook-channel.js";
import { ApiError, notFound } from "../middleware/errors.js";
import { decodeCursor, encodeCursor, refuseCursor } from "../tickets/cursor.js";
import { newId } from "../tickets/store.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const tags = ["admin"];
const security = access.admin;
const params = WebhookIdParamsSchema;
const known = ["validation_failed", "unauthorized", "forbidden", "not_found"] as const;

/** Every event is written once per subscribed endpoint inside the command's transaction: bound it. */
export const MAX_ENDPOINTS_PER_SITE = 20;

const listEndpoints = createRoute({
  method: "get",
  path: "/v1/admin/webhooks",
  tags,
  summary: "Webhook endpoints by URL, optionally of one site (signing secrets are never listed)",
  security,
  request: { query: WebhookListQuerySchema },
  responses: { 200: jsonResponse(pageOf(WebhookEndpointSchema), "A page of endpoints."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const createEndpoint = createRoute({
  method: "post",
  path: "/v1/admin/webhooks",
  tags,
  summary: "Add an endpoint for a site's events; its signing secret is answered now and never again",
  description: "The URL must be http or https and resolve to public addresses only (loopback, private, link-local, CGNAT and metadata addresses are refused with a 400).",
  security,
  request: { body: jsonBody(CreateWebhookEndpointBodySchema) },
  responses: { 201: jsonResponse(WebhookEndpointWithSecretSchema, "The endpoint with its signing secret."), ...errors("validation_failed", "unauthorized", "forbidden", "conflict") },
});

const getEndpoint = createRoute({
  method: "get",
  path: "/v1/admin/webhooks/{id}",
  tags,
  summary: "One endpoint",
  security,
  request: { params },
  responses: { 200: jsonResponse(WebhookEndpointSchema, "The endpoint."), ...errors(...known) },
});

const updateEndpoint = createRoute({
  method: "patch",
  path: "/v1/admin/webhooks/{id}",
  tags,
  summary: "Change an endpoint's URL (vetted again), events, description or enabled flag; only the fields sent change",
  security,
  request: { params, body: jsonBody(UpdateWebhookEndpointBodySchema) },
  responses: { 200: jsonResponse(WebhookEndpointSchema, "The endpoint."), ...errors(...known) },
});

const deleteEndpoint = createRoute({
  method: "delete",
  path: "/v1/admin/webhooks/{id}",
  tags,
  summary: "Delete an endpoint; its undelivered events are dropped at their next attempt",
  security,
  request: { params },
  responses: { 200: jsonResponse(OkSchema, "Deleted."), ...errors(...known) },
});

const rotateSecret = createRoute({
  method: "post",
  path: "/v1/admin/webhooks/{id}/rotate",
  tags,
  summary: "Replace the signing secret; every delivery from now on is signed with the new one, answered only now",
  security,
  request: { params },
  responses: { 200: jsonResponse(WebhookEndpointWithSecretSchema, "The endpoint with its new signing secret."), ...errors(...known) },
});

const listDeliveries = createRoute({
  method: "get",
  path: "/v1/admin/webhooks/{id}/deliveries",
  tags,
  summary: "The endpoint's delivery log, newest attempt first",
  security,
  request: { params, query: CursorQuerySchema },
  responses: { 200: jsonResponse(pageOf(WebhookDeliverySchema), "A page of attempts."), ...errors(...known) },
});

const replayDelivery = createRoute({
  method: "post",
  path: "/v1/admin/webhooks/{id}/deliveries/{deliveryId}/replay",
  tags,
  summary: "Send the event of a logged attempt again, with the same webhook-id and bytes, through the outbox",
  description:
    "The event goes back in the outbox as it was stored and the dispatcher delivers it at once, with its usual retries; its attempts appear in the delivery log. An event not settled yet stays where it is in line. A disabled endpoint is refused with a 409.",
  security,
  request: { params: WebhookDeliveryParamsSchema },
  responses: { 202: jsonResponse(WebhookReplaySchema, "Queued for delivery."), ...errors(...known, "conflict") },
});

const testEndpoint = createRoute({
  method: "post",
  path: "/v1/admin/webhooks/{id}/test",
  tags,
  summary: `Send a ${WEBHOOK_TEST_EVENT} event now (enabled or not) and answer what came of it`,
  security,
  request: { params },
  responses: { 200: jsonResponse(WebhookAttemptResultSchema, "What the attempt came to."), ...errors(...known) },
});

async function endpointById(orm: Reader, id: string) {
  const endpoint = await orm.query.webhookEndpoints.findFirst({ where: eq(webhookEndpoints.id, id) });
  if (!endpoint) throw notFound(`webhook endpoint ${id}`);
  return endpoint;
}

/** A URL the SSRF guard refuses is a bad request, named on the `url` field. */
async function vetUrl(webhooks: WebhookChannel, url: string): Promise<void> {
  try {
    await webhooks.vet(url);
  } catch (error) {
    if (error instanceof WebhookTargetRefused) throw new ApiError("validation_failed", `url: ${error.message}`, [{ path: "url", message: error.message }]);
    throw error;
  }
}

function attemptResult(messageId: string, outcome: DeliveryOutcome, latencyMs: number): WebhookAttemptResult {
  return { messageId, ok: outcome.ok, statusCode: outcome.statusCode ?? null, latencyMs, error: outcome.ok ? null : outcome.error };
}

export function adminWebhookRoutes(services: Services) {
  const app = routeGroup();
  const { orm } = services.db;
  const { webhooks } = services;

  return app
    .openapi(listEndpoints, async (c) => {
      const { cursor, limit, siteId } = c.req.valid("query");
      const rows = await orm
        .select()
        .from(webhookEndpoints)
        .where(and(siteId ? eq(webhookEndpoints.siteId, siteId) : undefined, afterCursor(webhookEndpoints.url, webhookEndpoints.id, cursor)))
        .orderBy(asc(webhookEndpoints.url), asc(webhookEndpoints.id))
        .limit(limit + 1);
      return c.json(pageFrom(rows, limit, (row) => [row.url, row.id], toWebhookEndpoint), 200);
    })
    .openapi(createEndpoint, async (c) => {
      const body = c.req.valid("json");
      // Resolved before the write: a slow DNS answer must not hold the database's one writer.
      await vetUrl(webhooks, body.url);
      const endpoint = await services.db.write(async (tx) => {
        const site = await tx.query.sites.findFirst({ where: eq(sites.id, body.siteId) });
        if (!site) throw new ApiError("validation_failed", `unknown site "${body.siteId}"`, [{ path: "siteId", message: "unknown site" }]);
        const existing = await tx.$count(webhookEndpoints, eq(webhookEndpoints.siteId, site.id));
        if (existing >= MAX_ENDPOINTS_PER_SITE) throw new ApiError("conflict", `a site has at most ${MAX_ENDPOINTS_PER_SITE} webhook endpoints; delete one first`);
        const at = services.now();
        const [row] = await tx
          .insert(webhookEndpoints)
          .values({
            id: newId(),
            siteId: site.id,
            url: body.url,
            description: body.description ?? null,
            events: body.events,
            enabled: body.enabled,
            secret: newWebhookSecret(),
            createdAt: at,
            updatedAt: at,
          })
          .returning();
        return row!;
      });
      return c.json(toWebhookEndpointWithSecret(endpoint), 201);
    })
    .openapi(getEndpoint, async (c) => {
      return c.json(toWebhookEndpoint(await endpointById(orm, c.req.valid("param").id)), 200);
    })
    .openapi(updateEndpoint, async (c) => {
      const { id } = c.req.valid("param");
      const changes = await sentFields(c, c.req.valid("json"));
      if (changes.url !== undefined) await vetUrl(webhooks, changes.url);
      const endpoint = await services.db.write(async (tx) => {
        const current = await endpointById(tx, id);
        if (isEmpty(changes)) return current;
        const [row] = await tx
          .update(webhookEndpoints)
          .set({ ...changes, updatedAt: services.now() })
          .where(eq(webhookEndpoints.id, id))
          .returning();
        return row!;
      });
      return c.json(toWebhookEndpoint(endpoint), 200);
    })
    .openapi(deleteEndpoint, async (c) => {
      const { id } = c.req.valid("param");
      await services.db.write(async (tx) => {
        await endpointById(tx, id);
        await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
      });
      return c.json({ ok: true as const }, 200);
    })
    .openapi(rotateSecret, async (c) => {
      const { id } = c.req.valid("param");
      const endpoint = await services.db.write(async (tx) => {
        await endpointById(tx, id);
        const [row] = await tx
          .update(webhookEndpoints)
          .set({ secret: newWebhookSecret(), updatedAt: services.now() })
          .where(eq(webhookEndpoints.id, id))
          .returning();
        return row!;
      });
      return c.json(toWebhookEndpointWithSecret(endpoint), 200);
    })
    .openapi(listDeliveries, async (c) => {
      const { id } = c.req.valid("param");
      const { cursor, limit } = c.req.valid("query");
      await endpointById(orm, id);
      const position = decodeCursor(cursor);
      if (position && typeof position.value !== "number") throw refuseCursor("unexpected value");
      const page = await endpointDeliveries(orm, id, { limit, ...(position ? { before: position.value as number } : {}) });
      const next = page.nextCursor;
      return c.json({ items: page.items.map(toWebhookDelivery), nextCursor: next === null ? null : encodeCursor(next, String(next)) }, 200);
    })
    .openapi(replayDelivery, async (c) => {
      const { id, deliveryId } = c.req.valid("param");
      const endpoint = await endpointById(orm, id);
      // The channel would only declare it dead at once: say why instead.
      if (!endpoint.enabled) throw new ApiError("conflict", `webhook endpoint ${id} is disabled; enable it before replaying its events`);
      const replay = await replayEndpointDelivery(services.db, id, deliveryId, services.now());
      if (replay.status === "unknown") throw notFound(`delivery ${deliveryId} of webhook endpoint ${id}`);
      // Without a dispatcher in this process the entry waits for the one that polls this database.
      services.dispatcher?.wake();
      const { entry } = replay;
      return c.json({ messageId: webhookMessageId(entry.id), status: replay.status, nextAttemptAt: new Date(entry.nextAttemptAt).toISOString() }, 202);
    })
    .openapi(testEndpoint, async (c) => {
      const endpoint = await endpointById(orm, c.req.valid("param").id);
      const messageId = `msg_test_${newId()}`;
      const payload: WebhookPayload = {
        type: WEBHOOK_TEST_EVENT,
        timestamp: new Date(services.now()).toISOString(),
        data: { endpointId: endpoint.id, message: "A test event from Parley: this endpoint receives and verifies webhooks." },
      };
      const { outcome, latencyMs } = await webhooks.send(endpoint, messageId, JSON.stringify(payload));
      return c.json(attemptResult(messageId, outcome, latencyMs), 200);
    });
}
