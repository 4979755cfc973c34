import { z } from "zod";
import { AgentRoleSchema } from "../../protocol/index.js";
import { DomainError } from "../domain/errors.js";
import { Hs256, JwtError } from "./hs256.js";

export const VISITOR_TOKEN_TTL_S = 30 * 24 * 3600;
export const AGENT_TOKEN_TTL_S = 12 * 3600;

// `ep` is the site's (visitor) or the agent's (agent) token epoch at issue; the auth middleware
// compares it with the row it loads. Tokens from before epochs existed read as epoch 0.
const EpochSchema = z.number().int().min(0).default(0);
const VisitorClaimsSchema = z.object({ kind: z.literal("visitor"), sub: z.string(), site: z.string(), ep: EpochSchema, exp: z.number() });
const AgentClaimsSchema = z.object({ kind: z.literal("agent"), sub: z.string(), role: AgentRoleSchema, ep: EpochSchema, exp: z.number() });
export type VisitorClaims = z.infer<typeof VisitorClaimsSchema>;
export type AgentClaims = z.infer<typeof AgentClaimsSchema>;

/** Signs and checks the bearer tokens of visitors and agents (HS256 JWT; the key is prepared once). */
export class TokenSigner {
  private readonly jwt: Hs256;

  constructor(secret: string) {
    this.jwt = new Hs256(secret);
  }

  async visitor(visitorId: string, site: { id: string; tokenEpoch: number }, nowMs: number) {
    const exp = Math.floor(nowMs / 1000) + VISITOR_TOKEN_TTL_S;
    const claims = { kind: "visitor", sub: visitorId, site: site.id, ep: site.tokenEpoch, iat: Math.floor(nowMs / 1000), exp };
    const token = await this.jwt.sign(claims);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async agent(agent: { id: string; role: z.infer<typeof AgentRoleSchema>; tokenEpoch: number }, nowMs: number) {
    const exp = Math.floor(nowMs / 1000) + AGENT_TOKEN_TTL_S;
    const claims = { kind: "agent", sub: agent.id, role: agent.role, ep: agent.tokenEpoch, iat: Math.floor(nowMs / 1000), exp };
    const token = await this.jwt.sign(claims);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async readVisitor(token: string): Promise<VisitorClaims> {
    return this.read(token, VisitorClaimsSchema, "a visitor token");
  }

  async readAgent(token: string): Promise<AgentClaims> {
    return this.read(token, AgentClaimsSchema, "an agent token");
  }

  private async read<T>(token: string, schema: z.ZodType<T>, what: string): Promise<T> {
    let payload: unknown;
    try {
      payload = await this.jwt.verify(token);
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      const expired = error.reason === "expired";
      throw new DomainError("unauthorized", expired ? "the token has expired; sign in again" : "the token is not valid");
    }
    const claims = schema.safeParse(payload);
    if (!claims.success) throw new DomainError("unauthorized", `this route needs ${what}`);
    return claims.data;
  }
}
