import { createRoute } from "@hono/zod-openapi";
import { EmailDeliveryListQuerySchema, EmailDeliveryParamsSchema, EmailDeliverySchema, EmailRedeliverySchema, pageOf } from "../../protocol/index.js";
import { toEmailDelivery } from "../admin/email-views.js";
import { routeGroup, type Services } from "../context.js";
import { emailLog, redeliverEmail } from "../delivery/email/email-log.js";
import { notFound } from "../middleware/errors.js";
import { decodeKeyset, encodeKeyset } from "../tickets/cursor.js";
import { access, errors, jsonResponse } from "./openapi.js";

const tags = ["admin"];
const security = access.admin;

const listDeliveries = createRoute({
  method: "get",
  path: "/v1/admin/email/deliveries",
  tags,
  summary: "Every email the outbox holds, newest first: recipient, template, where it stands and its last attempt",
  description: "`status` narrows to emails waiting (`pending`, with when they go next), sent or skipped (`delivered`), or given up (`dead`).",
  security,
  request: { query: EmailDeliveryListQuerySchema },
  responses: { 200: jsonResponse(pageOf(EmailDeliverySchema), "A page of emails."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const redeliverDelivery = createRoute({
  method: "post",
  path: "/v1/admin/email/deliveries/{id}/redeliver",
  tags,
  summary: "Send an email again through the outbox: the same entry and Message-ID, with a fresh count of attempts",
  description:
    "The dispatcher sends it at once with its usual retries, checking again that the recipient may still get it (unsubscribed, deactivated agent); the attempts appear in the log. An email not settled yet stays where it is in line.",
  security,
  request: { params: EmailDeliveryParamsSchema },
  responses: { 202: jsonResponse(EmailRedeliverySchema, "Queued for delivery."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

export function adminEmailRoutes(services: Services) {
  const { orm } = services.db;
  return routeGroup()
    .openapi(listDeliveries, async (c) => {
      const { cursor, limit, status } = c.req.valid("query");
      const position = decodeKeyset(cursor, 1);
      const page = await emailLog(orm, { status, limit, before: position?.[0] });
      return c.json({ items: page.items.map(toEmailDelivery), nextCursor: page.nextCursor === null ? null : encodeKeyset([page.nextCursor]) }, 200);
    })
    .openapi(redeliverDelivery, async (c) => {
      const { id } = c.req.valid("param");
      const result = await redeliverEmail(services.db, id, services.now());
      if (result.status === "unknown") throw notFound(`email delivery ${id}`);
      // Without a dispatcher in this process the entry waits for the one that polls this database.
      services.dispatcher?.wake();
      return c.json({ id: result.entry.id, status: result.status, nextAttemptAt: new Date(result.entry.nextAttemptAt).toISOString() }, 202);
    });
}
