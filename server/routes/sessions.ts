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
import { EMPTY_PROFILE, mergeProfile, type StatedField } from "../domain/visitor-profile.js";
import { routeGroup, type Services, type VisitorRow } from "../context.js";
import { visitors } from "../db/schema.js";
import { ApiError } from "../middleware/errors.js";
import { findSiteByKey } from "../middleware/auth.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { assertOriginAllowed } from "../middleware/site-cors.js";
import { newId } from "../tickets/store.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

export const toVisitor = (row: VisitorRow): Visitor => ({
  id: row.id,
  name: row.name,
  email: row.email,
  verified: row.verified,
  nameVerified: row.nameVerified,
  emailVerified: row.emailVerified,
});

interface VerifiedIdentity {
  id: string;
  name: StatedField | undefined;
  email: StatedField | undefined;
}

const stated = (value: string | undefined, signed: boolean): StatedField | undefined => (value === undefined ? undefined : { value, signed });

/**
 * Checks the host site's proof of who the user is: an identity hash or a signed JWT. Says,
 * for the name and the email, whether the proof covered them or they were only sent with it.
 */
async function verifiedIdentity(secret: string, identity: VisitorIdentity | VisitorJwtIdentity): Promise<VerifiedIdentity> {
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
    const { sub, name, email } = claims.data;
    return { id: sub, name: stated(name, true), email: stated(email, true) };
  }
  const coverage = await verifyIdentityHash(secret, identity);
  if (coverage === null) throw new ApiError("unauthorized", "the identity hash matches neither this user id nor this user id and email");
  // A name is never inside an identity hash: only a JWT can vouch for one.
  return { id: identity.id, name: stated(identity.name, false), email: stated(identity.email, coverage === "id-and-email") };
}

const createSession = createRoute({
  method: "post",
  path: "/v1/sessions",
  tags: ["visitor"],
  summary: "Start a visitor session (anonymous, or verified with an identity hash or JWT; name and email count as verified only when signed)",
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
        const profile = { ...mergeProfile(known ?? EMPTY_PROFILE, verified), lastSeenAt: at };
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
    const { token, expiresAt } = await services.tokens.visitor(visitor.id, site, at);
    return c.json({ token, expiresAt, visitor: toVisitor(visitor) }, 201);
  });
}
