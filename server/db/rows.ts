import type { agents, sites, visitors } from "./schema.js";

/** Rows as the database answers them; the presenters turn them into protocol shapes. */
export type SiteRow = typeof sites.$inferSelect;
export type VisitorRow = typeof visitors.$inferSelect;
export type AgentRow = typeof agents.$inferSelect;
