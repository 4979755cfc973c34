import { createRoute, z } from "@hono/zod-openapi";
import { routeGroup, type Services } from "../context.js";
import { access, jsonResponse } from "./openapi.js";

const HealthSchema = z.object({ ok: z.literal(true), version: z.string() });

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["ops"],
  summary: "Liveness: answers without touching the database",
  security: access.public,
  responses: { 200: jsonResponse(HealthSchema, "The API is up.") },
});

export function healthRoutes(_services: Services) {
  return routeGroup().openapi(health, (c) => c.json({ ok: true as const, version: "0.1.0" }, 200));
}
