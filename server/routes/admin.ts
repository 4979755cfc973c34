import { routeGroup, type Services } from "../context.js";
import { adminAgentRoutes } from "./admin-agents.js";
import { adminAssistantRoutes } from "./admin-assistant.js";
import { adminCategoryRoutes } from "./admin-categories.js";
import { adminDepartmentRoutes } from "./admin-departments.js";
import { adminEmailRoutes } from "./admin-email.js";
import { adminFaqRoutes } from "./admin-faqs.js";
import { adminJobRoutes } from "./admin-jobs.js";
import { adminSiteRoutes } from "./admin-sites.js";
import { adminSlaPolicyRoutes } from "./admin-sla-policies.js";
import { adminWebhookRoutes } from "./admin-webhooks.js";

/** Admin CRUD under /v1/admin; app.ts requires an admin for the whole prefix. */
export function adminRoutes(services: Services) {
  return routeGroup()
    .route("/", adminAgentRoutes(services))
    .route("/", adminDepartmentRoutes(services))
    .route("/", adminCategoryRoutes(services))
    .route("/", adminFaqRoutes(services))
    .route("/", adminSiteRoutes(services))
    .route("/", adminSlaPolicyRoutes(services))
    .route("/", adminWebhookRoutes(services))
    .route("/", adminEmailRoutes(services))
    .route("/", adminJobRoutes(services))
    .route("/", adminAssistantRoutes(services));
}
