import { createRoute } from "@hono/zod-openapi";
import { ContactBodySchema, ContactReceiptSchema } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { submitContact } from "../commands/open-ticket.js";
import { findSiteByKey } from "../middleware/auth.js";
import { ApiError } from "../middleware/errors.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { assertOriginAllowed } from "../middleware/site-cors.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const sendContact = createRoute({
  method: "post",
  path: "/v1/contact",
  tags: ["visitor"],
  summary: "Send the contact form (no session needed); it becomes a ticket with source contact",
  security: access.public,
  request: { body: jsonBody(ContactBodySchema) },
  responses: {
    201: jsonResponse(ContactReceiptSchema, "Received; the ticket number to quote in follow-ups."),
    ...errors("validation_failed", "forbidden", "not_found", "rate_limited"),
  },
});

export function contactRoutes(services: Services) {
  const app = routeGroup();
  // The form is open to anyone, so it is the spam target: a handful per address and site.
  // The limiter runs before the body is read, so the site here is the header's (body-only callers share one bucket).
  app.use(
    "/v1/contact",
    serviceRateLimit(services, {
      limit: 5,
      windowMs: 10 * 60_000,
      key: (c) => `contact:${services.clientAddress(c)}:${c.req.header("x-parley-site") ?? "body"}`,
    }),
  );

  return app.openapi(sendContact, async (c) => {
    const form = c.req.valid("json");
    const headerKey = c.req.header("x-parley-site");
    if (headerKey && form.siteKey && headerKey !== form.siteKey) {
      throw new ApiError("bad_request", "X-Parley-Site and siteKey name different sites; send one or make them agree");
    }
    const key = headerKey ?? form.siteKey;
    if (!key) throw new ApiError("bad_request", "name the site with the X-Parley-Site header or siteKey in the body");
    const site = await findSiteByKey(services, key);
    assertOriginAllowed(c.req.header("origin"), site.allowedOrigins);
    // siteCors reads the site after the handler to let the browser see this answer.
    c.set("site", site);

    const { ticket, at } = await submitContact(services, { siteId: site.id, name: form.name, email: form.email, subject: form.subject, message: form.message });
    return c.json({ number: ticket.number, receivedAt: new Date(at).toISOString() }, 201);
  });
}
