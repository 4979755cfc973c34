import { and, eq, inArray } from "drizzle-orm";
import { verifyPassword } from "../../auth/password.js";
import { DEMO_ADMIN_PASSWORD } from "../../config.js";
import type { Database } from "../client.js";
import { agents } from "../schema.js";
import { DEMO_AGENT_EMAILS, DEMO_AGENT_PASSWORD } from "./seed.js";

export interface DemoLogin {
  email: string;
  password: string;
  role: "admin" | "agent";
}

/**
 * The seeded accounts that still sign in with their demo passwords, asked of the stored
 * hashes rather than of the environment: a database seeded with a configured password, or
 * whose demo passwords were changed since, lists nothing, so the banner never prints a
 * password that is not the real one. Costs one hash check per distinct stored hash (the
 * seeded agents share one).
 */
export async function demoLogins(db: Database, adminEmail: string): Promise<DemoLogin[]> {
  const admin = adminEmail.toLowerCase();
  const rows = await db.orm
    .select({ email: agents.email, role: agents.role, passwordHash: agents.passwordHash })
    .from(agents)
    .where(and(eq(agents.active, true), inArray(agents.email, [admin, ...DEMO_AGENT_EMAILS])));
  const checked = new Map<string, Promise<boolean>>();
  const accepts = (password: string, hash: string) => {
    const key = `${password}\n${hash}`;
    if (!checked.has(key)) checked.set(key, verifyPassword(password, hash));
    return checked.get(key)!;
  };
  const found = await Promise.all(
    rows.map(async (row): Promise<DemoLogin | null> => {
      const password = row.email === admin ? DEMO_ADMIN_PASSWORD : DEMO_AGENT_PASSWORD;
      return (await accepts(password, row.passwordHash)) ? { email: row.email, password, role: row.role } : null;
    }),
  );
  // The admin first, then the agents in the order they were seeded.
  const order = [admin, ...DEMO_AGENT_EMAILS];
  return found.filter((login): login is DemoLogin => login !== null).sort((a, b) => order.indexOf(a.email) - order.indexOf(b.email));
}
