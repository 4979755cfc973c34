import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { LoginBodySchema, LoginResultSchema, type Agent } from "../../protocol/index.js";
import { verifyPassword } from "../auth/password.js";
import { routeGroup, type AgentRow, type Services } from "../context.js";
import { agents } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

export const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  departmentId: row.departmentId,
  tier: row.tier,
  status: row.status,
  capacity: row.capacity,
  active: row.active,
  createdAt: new Date(row.createdAt).toISOString(),
});

// Verifying against a throwaway hash keeps a login for an unknown email as slow as a wrong password.
const DECOY_HASH = "pbkdf2-sha256$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

const login = createRoute({
  method: "post",
  path: "/v1/auth/login",
  tags: ["agent"],
  summary: "Sign an agent in",
  security: access.public,
  request: { body: jsonBody(LoginBodySchema) },
  responses: {
    200: jsonResponse(LoginResultSchema, "A bearer token for the agent routes."),
    ...errors("validation_failed", "unauthorized", "rate_limited"),
  },
});

export function authRoutes(services: Services) {
  const app = routeGroup();
  app.use("/v1/auth/login", serviceRateLimit(services, { limit: 10, windowMs: 60_000, key: (c) => `login:${services.clientAddress(c)}`}));
  return app.openapi(login, async (c) => {
    const { email, password } = c.req.valid("json");
    const agent = await services.db.orm.query.agents.findFirst({ where: eq(agents.email, email.toLowerCase()) });
    const matches = await verifyPassword(password, agent?.passwordHash ?? DECOY_HASH);
    if (!agent || !matches || !agent.active) throw new ApiError("unauthorized", "email or password is wrong");
    const { token, expiresAt } = await services.tokens.agent(agent, services.now());
    return c.json({ token, expiresAt, agent: toAgent(agent) }, 200);
  });
}

