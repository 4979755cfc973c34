import { OpenAPIHono } from "@hono/zod-openapi";
import { secureHeaders } from "hono/secure-headers";
import { timing } from "hono/timing";
import type { AppEnv, Services } from "./context.js";
import { requireAdmin, requireAgent, requireSite, requireVisitor, requireVisitorOrAgent } from "./middleware/auth.js";
import { bodySize } from "./middleware/body-size.js";
import { onApiError, onNotFound } from "./middleware/errors.js";
import { siteCors } from "./middleware/site-cors.js";
import { adminRoutes } from "./routes/admin.js";
import { agentTicketRoutes } from "./routes/agent-tickets.js";
import { assistantRoutes } from "./routes/assistant.js";
import { authRoutes } from "./routes/auth.js";
import { contactRoutes } from "./routes/contact.js";
import { conversationRoutes } from "./routes/conversation.js";
import { docsRoutes } from "./routes/docs.js";
import { faqRoutes } from "./routes/faqs.js";
import { healthRoutes } from "./routes/health.js";
import { helpPageRoutes } from "./routes/help-page.js";
import { homeRoutes } from "./routes/home.js";
import { INBOUND_EMAIL_PATH, inboundEmailRoutes } from "./routes/inbound-email.js";
import { emailLinkRoutes } from "./routes/email-links.js";
import { realtimeRoutes } from "./routes/realtime.js";
import { sessionRoutes } from "./routes/sessions.js";
import { ticketRoutes } from "./routes/tickets.js";
import { widgetRoutes } from "./routes/widget.js";
import { widgetAssetRoutes } from "./routes/widget-assets.js";
import { inboxAssetRoutes, inboxBuilt } from "./routes/inbox-assets.js";

/** Largest JSON body any route accepts; FAQ articles are the biggest legitimate one. */
export const MAX_BODY_BYTES = 128 * 1024;

/** Builds the whole API over the given services. Runtime entry points only add a listener. */
export function createApp(services: Services) {
  const app = new OpenAPIHono<AppEnv>();
  app.onError(onApiError(services.log));
  app.notFound(onNotFound);
  app.use("*", secureHeaders({ crossOriginResourcePolicy: false }));
  const jsonBodySize = bodySize(MAX_BODY_BYTES);
  // Raw mail with attachments outgrows any JSON body: the inbound route sets its own cap, after its secret is checked.
  app.use("/v1/*", (c, next) => (c.req.path === INBOUND_EMAIL_PATH ? next() : jsonBodySize(c, next)));
  // Message writes say how long the server took (validation, commit, hand-over to the rooms):
  // bench/fanout.ts reads it to show where a live message's milliseconds go.
  for (const path of ["/v1/tickets/:number/messages", "/v1/agent/tickets/:number/messages"]) {
    app.on("POST", path, timing({ totalDescription: "handler and commit" }));
  }
  for (const path of ["/v1/sessions", "/v1/widget/*", "/v1/faqs", "/v1/faqs/*", "/v1/contact", "/v1/tickets", "/v1/tickets/*", "/v1/realtime/*", "/v1/assistant/*", "/v1/help/*"]) {
    app.use(path, siteCors(services));
  }

  // Who may call what is decided here, once, by path; test/access.test.ts holds every route to it.
  const site = requireSite(services);
  const visitor = requireVisitor(services);
  for (const path of ["/v1/widget/*", "/v1/faqs", "/v1/faqs/:slug"]) app.use(path, site);
  for (const path of ["/v1/tickets", "/v1/tickets/*", "/v1/faqs/:slug/vote", "/v1/assistant/*", "/v1/help/*"]) app.use(path, visitor);
  app.use("/v1/agent/*", requireAgent(services));
  app.use("/v1/realtime/*", requireVisitorOrAgent(services));
  app.use("/v1/admin/*", requireAdmin(services));

  const routes = app
    .route("/", healthRoutes(services))
    .route("/", sessionRoutes(services))
    .route("/", widgetRoutes(services))
    .route("/", faqRoutes(services))
    .route("/", contactRoutes(services))
    .route("/", ticketRoutes(services))
    .route("/", conversationRoutes(services))
    .route("/", assistantRoutes(services))
    .route("/", authRoutes(services))
    .route("/", agentTicketRoutes(services))
    .route("/", adminRoutes(services))
    .route("/", realtimeRoutes(services))
    .route("/", inboundEmailRoutes(services))
    .route("/", emailLinkRoutes(services));

  docsRoutes(app, services);
  widgetAssetRoutes(app, services);
  inboxAssetRoutes(app, services);
  helpPageRoutes(app, services);
  homeRoutes(app, services, inboxBuilt); // last: it lists what the others serve
  return routes;
}

/** The typed shape of every route, for `hc<AppType>` in the SDK. */
export type AppType = ReturnType<typeof createApp>;
