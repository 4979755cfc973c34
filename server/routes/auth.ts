import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { LoginBodySchema, LoginResultSchema, type Agent } from "../../protocol/index.js";
import { LOGIN_LOCKOUT, LoginLockout } from "../auth/login-lockout.js";
import { hashPassword, verifyPassword } from "../auth/password.js";
import { routeGroup, type AgentRow, type Services } from "../context.js";
import { agents } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import { agentSiteIds } from "../tickets/scope.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

/** `siteIds`: the agent's memberships (tickets/scope.ts). */
export const toAgent = (row: AgentRow, siteIds: readonly string[]): Agent => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  departmentId: row.departmentId,
  tier: row.tier,
  status: row.status,
  capacity: row.capacity,
  skills: [...row.skills],
  active: row.active,
  siteIds: [...siteIds],
  createdAt: new Date(row.createdAt).toISOString(),
});

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
  description: `After ${LOGIN_LOCKOUT.failures} failed attempts for one email within ${LOGIN_LOCKOUT.windowMs / 60_000} minutes, that email is refused with 429 and Retry-After for ${LOGIN_LOCKOUT.lockMs / 60_000} minutes, whether or not an agent has it.`,
});

const WRONG = "email or password is wrong";

export function authRoutes(services: Services) {
  const app = routeGroup();
  app.use("/v1/auth/login", serviceRateLimit(services, { limit: 10, windowMs: 60_000, key: (c) => `login:${services.clientAddress(c)}`}));
  const lockout = new LoginLockout();
  // An unknown email is checked against this throwaway hash, made at start with the configured
  // cost, so that it takes the same PBKDF2 work as a known one (a fixed decoy would cost what
  // its own iteration count says, not what the agents' hashes cost).
  const decoyHash = hashPassword(crypto.randomUUID(), services.passwordIterations);
  return app.openapi(login, async (c) => {
    const body = c.req.valid("json");
    const email = body.email.toLowerCase();
    const at = services.now();
    const retryAfterS = lockout.retryAfterS(email, at);
    if (retryAfterS > 0) {
      throw new ApiError("rate_limited", "too many failed sign-ins for this email; try again after Retry-After seconds", undefined, { "Retry-After": String(retryAfterS) });
    }
    // Counted as a failure before the slow check, so that parallel guesses cannot all get past
    // the lock while PBKDF2 runs; a success takes it back.
    lockout.fail(email, at);
    const agent = await services.db.orm.query.agents.findFirst({ where: eq(agents.email, email) });
    const matches = await verifyPassword(body.password, agent?.passwordHash ?? (await decoyHash));
    if (!agent || !matches || !agent.active) throw new ApiError("unauthorized", WRONG);
    lockout.succeed(email);
    const { token, expiresAt } = await services.tokens.agent(agent, at);
    return c.json({ token, expiresAt, agent: toAgent(agent, await agentSiteIds(services.db.orm, agent.id)) }, 200);
  });
}

