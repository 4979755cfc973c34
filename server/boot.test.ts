import { eq } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword } from "./auth/password.js";
import { banner, boot, type Boot } from "./boot.js";
import { readEnv } from "./config.js";
import { agents } from "./db/schema.js";

/** The API's startup banner, from boot() on a real libSQL file, as each runtime prints it. */
const dir = mkdtempSync(join(tmpdir(), "parley-banner-"));
const opened: Boot[] = [];
afterAll(() => {
  for (const { services } of opened) services.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const CONFIGURED = "a-password-of-our-own-42";

async function start(database: string, env: Record<string, string> = {}) {
  const parsed = readEnv({ DATABASE_URL: `file:${join(dir, database)}`, PARLEY_PBKDF2_ITERATIONS: "1000", PARLEY_SECRET: "banner-test-secret-0123456789abcdef", ...env });
  const booted = await boot(parsed, () => "127.0.0.1", { hostsRooms: false });
  opened.push(booted);
  return { booted, text: banner(parsed, booted.startup, "node", booted.rooms) };
}

describe("the startup banner", () => {
  it("prints the demo logins while they are the demo ones", async () => {
    const { text } = await start("demo.db");
    expect(text).toContain("(created and seeded)");
    expect(text).toMatch(/admin {5}admin@parley\.test \/ parley-admin-demo/);
    expect(text).toMatch(/agents {4}ada@parley\.test, sam@parley\.test, grace@parley\.test, linus@parley\.test, bea@parley\.test \/ parley-agent-demo/);
    expect(text).toContain("/demo (site key pk_demo)");
  });

  it("never prints a configured admin password, nor the demo one it replaced", async () => {
    const { text } = await start("configured.db", { PARLEY_ADMIN_PASSWORD: CONFIGURED, PARLEY_ADMIN_EMAIL: "Boss@Example.com" });
    expect(text).not.toContain(CONFIGURED);
    expect(text).not.toContain("parley-admin-demo");
    expect(text).not.toContain("PARLEY_ADMIN_PASSWORD");
    expect(text).toMatch(/admin {5}boss@example\.com\n/);
    expect(text).toContain("/ parley-agent-demo"); // the seeded agents still have theirs
  });

  it("asks the database, not the environment: changed and deactivated accounts drop out", async () => {
    const { booted } = await start("changed.db");
    const { orm } = booted.services.db;
    await orm.update(agents).set({ passwordHash: await hashPassword("ada-chose-another-one", 1000) }).where(eq(agents.email, "ada@parley.test"));
    await orm.update(agents).set({ active: false }).where(eq(agents.email, "bea@parley.test"));
    await orm.update(agents).set({ passwordHash: await hashPassword(CONFIGURED, 1000) }).where(eq(agents.email, "admin@parley.test"));

    // A restart with no PARLEY_ADMIN_PASSWORD still must not claim the demo one works.
    const { text } = await start("changed.db");
    expect(text).not.toContain("(created and seeded)");
    expect(text).not.toContain("parley-admin-demo");
    expect(text).toMatch(/admin {5}admin@parley\.test\n/);
    expect(text).toMatch(/agents {4}sam@parley\.test, grace@parley\.test, linus@parley\.test \/ parley-agent-demo/);
  });

  it("leaves the agents line out once no agent has the demo password", async () => {
    const { booted } = await start("no-agents.db", { PARLEY_ADMIN_PASSWORD: CONFIGURED });
    await booted.services.db.orm.update(agents).set({ passwordHash: await hashPassword(CONFIGURED, 1000) });
    const { text } = await start("no-agents.db", { PARLEY_ADMIN_PASSWORD: CONFIGURED });
    expect(text).not.toMatch(/^  agents |demo password|parley-agent-demo|parley-admin-demo/m);
  });
});
