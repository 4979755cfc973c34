import { z } from "zod";
import { IdSchema } from "./common.js";

export const SiteKeySchema = z.string().regex(/^pk_[A-Za-z0-9_]{3,64}$/, "a site key looks like pk_…");

/** A visitor as the widget and SDK see it. */
export const VisitorSchema = z.object({
  id: IdSchema,
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** The site vouched for the user id (identity hash or JWT). */
  verified: z.boolean(),
  /** The name came inside the site's signature (a JWT claim); otherwise it is only what the visitor said. */
  nameVerified: z.boolean(),
  /** The email came inside the site's signature (a JWT claim, or an identity hash over id and email). */
  emailVerified: z.boolean(),
});
export type Visitor = z.infer<typeof VisitorSchema>;

/**
 * A verified identity: the host site signs the user's id with its identity secret so that
 * nobody can claim another user's tickets. `hash` is hex HMAC-SHA256(identitySecret, input)
 * where input is `id` alone, or `id + "\n" + email` (one line feed, the email exactly as
 * sent) to vouch for the email too. A name, or an email outside the hash, is stored as the
 * visitor's unverified statement (`nameVerified` / `emailVerified` false).
 */
export const VisitorIdentitySchema = z.object({
  // No control characters: that keeps the hash input above unambiguous.
  id: z.string().trim().min(1).max(128).regex(/^[^\u0000-\u001f\u007f]+$/, "id may not contain control characters"),
  name: z.string().trim().min(1).max(120).optional(),
  email: z.email().max(254).optional(),
  hash: z.string().regex(/^[0-9a-f]{64}$/i, "hash is the hex HMAC-SHA256 of id, or of id + \"\\n\" + email"),
});
export type VisitorIdentity = z.infer<typeof VisitorIdentitySchema>;

/**
 * The other way to vouch for a user: an HS256 JWT signed with the site's identity secret,
 * with `sub` (the user id), optional `name` and `email` (both then count as verified), and an `exp`.
 */
export const VisitorJwtIdentitySchema = z.object({ jwt: z.string().min(16).max(4096) });
export type VisitorJwtIdentity = z.infer<typeof VisitorJwtIdentitySchema>;

export const IdentityClaimsSchema = z.object({
  sub: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(120).optional(),
  email: z.email().max(254).optional(),
  exp: z.number(),
});

export const CreateSessionBodySchema = z.object({
  siteKey: SiteKeySchema,
  visitor: z.union([VisitorIdentitySchema, VisitorJwtIdentitySchema]).optional(),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBodySchema>;

export const SessionSchema = z.object({ token: z.string(), expiresAt: z.string(), visitor: VisitorSchema });
export type Session = z.infer<typeof SessionSchema>;
