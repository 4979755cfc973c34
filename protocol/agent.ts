import { z } from "zod";
import { IdSchema, IsoDateSchema } from "./common.js";
import { AgentRoleSchema, AgentStatusSchema, AgentTierSchema } from "./enums.js";

export const AgentSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string(),
  role: AgentRoleSchema,
  departmentId: IdSchema.nullable(),
  tier: AgentTierSchema,
  status: AgentStatusSchema,
  capacity: z.number().int(),
  /** Category ids this agent handles; routing gives it only tickets of these. Empty: any category. */
  skills: z.array(IdSchema),
  active: z.boolean(),
  /**
   * The sites this agent works on: it lists, reads, acts on and subscribes to their tickets
   * only, and sees nothing with none. An admin works on every site whatever this lists.
   */
  siteIds: z.array(IdSchema),
  createdAt: IsoDateSchema,
});
export type Agent = z.infer<typeof AgentSchema>;

/** Category ids (each once) the agent handles; routing gives it only tickets of these categories. Empty: any. */
const SkillsSchema = z
  .array(IdSchema)
  .max(200)
  .refine((ids) => new Set(ids).size === ids.length, "each category once");

const PasswordSchema = z.string().min(10, "passwords have at least 10 characters").max(200);

export const LoginBodySchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBodySchema>;
export const LoginResultSchema = z.object({ token: z.string(), expiresAt: z.string(), agent: AgentSchema });
export type LoginResult = z.infer<typeof LoginResultSchema>;

export const CreateAgentBodySchema = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(120),
  password: PasswordSchema,
  role: AgentRoleSchema.default("agent"),
  departmentId: IdSchema.nullable().optional(),
  tier: AgentTierSchema.default(1),
  capacity: z.number().int().min(1).max(100).default(5),
  skills: SkillsSchema.default([]),
  /** Sites the agent works on from the start; without any it sees no ticket until given one. */
  siteIds: z.array(IdSchema).max(1000).default([]),
});
export type CreateAgentBody = z.input<typeof CreateAgentBodySchema>;

export const UpdateAgentBodySchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    password: PasswordSchema,
    role: AgentRoleSchema,
    departmentId: IdSchema.nullable(),
    tier: AgentTierSchema,
    capacity: z.number().int().min(1).max(100),
    skills: SkillsSchema,
    status: AgentStatusSchema,
    active: z.boolean(),
    /** Replaces the agent's sites; the sites left out stop being visible to it at once, live connections included. */
    siteIds: z.array(IdSchema).max(1000),
  })
  .partial();
export type UpdateAgentBody = z.infer<typeof UpdateAgentBodySchema>;

/** What an agent may change about themselves without being an admin. */
export const UpdateMyStatusBodySchema = z.object({ status: AgentStatusSchema });

/** A colleague as the assignment picker shows them: who they are and how loaded they are. */
/** `POST /v1/admin/agents/:id/sites`: one more site for the agent. */
export const AgentSiteBodySchema = z.object({ siteId: IdSchema });
export type AgentSiteBody = z.infer<typeof AgentSiteBodySchema>;
export const AgentSiteParamsSchema = z.object({ id: IdSchema, siteId: IdSchema });

export const AgentDirectoryEntrySchema = AgentSchema.omit({ email: true, active: true, createdAt: true }).extend({
  openTickets: z.number().int(),
});
export type AgentDirectoryEntry = z.infer<typeof AgentDirectoryEntrySchema>;
