import { createRoute } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { verify } from "hono/jwt";
import {
  CreateSessionBodySchema,
  IdentityClaimsSchema,
  SessionSchema,
  type Visitor,
  type VisitorIdentity,
  type VisitorJwtIdentity,
} from "../../protocol/index.js";
import { verifyIdentityHash } from "../auth/identity.js";
import { routeGroup, type Services, type VisitorRow } from "../context.js";
import { visitors } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import { findSiteByKey } from "../middleware/auth.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { assertOriginAllowed } from "../middleware/site-cors.js";
import { newId } from "../tickets/store.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

export const toVisitor = (row: VisitorRow): Visitor => ({ id: row.id, name: row.name, email: row.email, verified: row.verified });

/** Checks the host site's proof of who the user is: an identity hash or a signed JWT. */
async function verifiedIdentity(secret: string, identity: VisitorIdentity | VisitorJwtIdentity): Promise<{ id: string; name?: string | undefined; email?: string | undefined }> {
  if ("jwt" in identity) {
    let payload: unknown;
    try {
      payload = await verify(identity.jwt, secret, "HS256");
    } catch (error) {
      const reason = error instanceof Error && error.name === "JwtTokenExpired" ? "has expired" : "is not signed with this site's identity secret";
      throw new ApiError("unauthorized", `the identity token ${reason}`);
    }
    const claims = IdentityClaimsSchema.safeParse(payload);
    if (!claims.success) throw new ApiError("unauthorized", "the identity token needs sub and exp (and may carry name and email)");
    return { id: claims.data.sub, name: claims.data.name, email: claims.data.email };
  }
  if (!(await verifyIdentityHash(secret, identity.id, identity.hash))) {
    throw new ApiError("unauthorized", "the identity hash does not match this user id");
  }
  return identity;
}

const createSession = createRoute({
  method: "post",
  path: "/v1/sessions",
  tags: ["visitor"],
  summary: "Start a visitor session (anonymous, or verified with an identity hash)",
  security: access.public,
  request: { body: jsonBody(CreateSessionBodySchema) },
  responses: {
    201: jsonResponse(SessionSchema, "A visitor token for the site."),
    ...errors("validation_failed", "unauthorized", "not_found", "rate_limited"),
  },
});

export function sessionRoutes(services: Services) {
  const app = routeGroup();
  app.use("/v1/sessions", serviceRateLimit(services, { limit: 30, windowMs: 60_000, key: (c) => `session:${services.clientAddress(c)}`}));
  return app.openapi(createSession, async (c) => {
    const { siteKey, visitor: identity } = c.req.valid("json");
    const site = await findSiteByKey(services, siteKey);
    assertOriginAllowed(c.req.header("origin"), site.allowedOrigins);
    c.set("site", site);
    const at = services.now();

    let visitor: VisitorRow;
    if (identity) {
      const verified = await verifiedIdentity(site.identitySecret, identity);
      visitor = await services.db.write(async (tx) => {
        const known = await tx.query.visitors.findFirst({ where: and(eq(visitors.siteId, site.id), eq(visitors.externalId, verified.id)) });
        const profile = { name: verified.name ?? known?.name ?? null, email: verified.email ?? known?.email ?? null, lastSeenAt: at };
        if (known) {
          const [row] = await tx.update(visitors).set(profile).where(eq(visitors.id, known.id)).returning();
          return row!;
        }
        const [row] = await tx
          .insert(visitors)
          .values({ id: newId(), siteId: site.id, externalId: verified.id, verified: true, ...profile, createdAt: at })
          .returning();
        return row!;
      });
    } else {
      if (site.requireVerifiedIdentity) throw new ApiError("unauthorized", "this site only talks to signed-in users; send visitor.id and visitor.hash, or visitor.jwt");
      visitor = await services.db.write(async (tx) => {
        const [row] = await tx.insert(visitors).values({ id: newId(), siteId: site.id, createdAt: at, lastSeenAt: at }).returning();
        return row!;
      });
    }
    const { token, expiresAt } = await services.tokens.visitor(visitor.id, site.id, at);
    return c.json({ token, expiresAt, visitor: toVisitor(visitor) }, 201);
  });
}
