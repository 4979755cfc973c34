import { eq, inArray } from "drizzle-orm";
import { parseArgs } from "node:util";
import { z } from "zod";
import { AgentRoleSchema, AgentTierSchema } from "../protocol/index.js";
import { hashPassword } from "./auth/password.js";
import { readEnv } from "./config.js";
import { openDatabase } from "./db/client.js";
import type { Database } from "./db/client.js";
import { agentSites, agents, departments, sites } from "./db/schema.js";
import { randomHex } from "./db/seed/seed.js";
import { allJobs } from "./jobs/all-jobs.js";
import { createJobs } from "./jobs/scheduler.js";
import { newId } from "./tickets/store.js";

const usage = `Usage: npm run parley -- <command> [options]

Commands:
  create-admin --email E --password P [--name N]
  create-agent --email E --password P [--name N] [--department NAME] [--tier 1|2|3] [--role agent|admin] [--site pk_… ...]
               (an agent sees the tickets of its --site sites only, none without one; admins see every site)
  create-site  --name N [--origin https://example.com ...] [--require-verified]
  list-sites
  list-agents
  jobs list                 the scheduled jobs, their next run and their last runs
  jobs run NAME             run one now (if no server holds its lease); exits 1 if it failed

DATABASE_URL chooses the database (default file:./data/parley.db). A job run here writes its
emails and webhooks to the outbox, which the server's dispatcher delivers.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: "string" },
    password: { type: "string" },
    name: { type: "string" },
    department: { type: "string" },
    tier: { type: "string" },
    role: { type: "string" },
    origin: { type: "string", multiple: true },
    site: { type: "string", multiple: true },
    "require-verified": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});

const AgentArgsSchema = z.object({
  email: z.email(),
  password: z.string().min(10, "passwords have at least 10 characters"),
  name: z.string().min(1).optional(),
  department: z.string().optional(),
  tier: z.coerce.number().pipe(AgentTierSchema).default(1),
  role: AgentRoleSchema.default("agent"),
});

/**
 * The jobs, run from here: the same runner and leases as the servers', so a CLI run and a
 * server's scheduled run never overlap. This process delivers nothing: the email and webhook
 * entries its commands write wait in the outbox for a server's dispatcher, and room entries
 * are not written (the rooms live in the server; their clients catch up over HTTP).
 */
async function jobsCommand(db: Database, action: string | undefined, name: string | undefined): Promise<number> {
  const jobs = createJobs({
    db,
    now: Date.now,
    outbox: { accepts: (entry) => entry.channel !== "room", handOver: null, wake: () => undefined },
    log: (message, error) => console.error(message, error ?? ""),
    jobs: allJobs,
    server: `cli-${randomHex(4)}`,
  });
  const time = (iso: string | null) => iso ?? "—";
  switch (action) {
    case "list":
      for (const job of await jobs.list(1)) {
        const last = job.lastRuns[0];
        const lastText = last ? `${last.status} at ${last.startedAt} (${last.itemsDone} done, ${last.itemsSkipped} skipped, ${last.itemsFailed} failed)` : "never run";
        console.log(`${job.name}\t${job.schedule} ${job.timezone}\tnext ${time(job.nextRunAt)}\tlast ${lastText}${job.lease ? `\tleased by ${job.lease.holder}` : ""}`);
        console.log(`  ${job.description}`);
      }
      return 0;
    case "run": {
      if (!name) fail(`jobs run needs a job name: ${allJobs.map((job) => job.name).join(", ")}`);
      if (!allJobs.some((job) => job.name === name)) fail(`unknown job ${name}; the jobs are ${allJobs.map((job) => job.name).join(", ")}`);
      const result = await jobs.run(name, "cli");
      if (result.outcome === "busy") {
        console.error(`${name} is running elsewhere (lease held by ${result.holder} until ${new Date(result.expiresAt).toISOString()}); nothing done`);
        return 3;
      }
      const { run } = result;
      console.log(`${name}: ${run.status}, ${run.itemsDone} done, ${run.itemsSkipped} skipped, ${run.itemsFailed} failed${run.error ? `\n  ${run.error}` : ""}`);
      return run.status === "succeeded" ? 0 : 1;
    }
    default:
      fail(`jobs takes list or run NAME\n\n${usage}`);
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main() {
  const command = positionals[0];
  if (!command || values.help) {
    console.log(usage);
    return;
  }
  const env = readEnv(process.env);
  const db = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN ? { authToken: env.DATABASE_AUTH_TOKEN } : {});
  try {
    switch (command) {
      case "create-admin":
      case "create-agent": {
        const parsed = AgentArgsSchema.safeParse({ ...values, role: command === "create-admin" ? "admin" : values.role });
        if (!parsed.success) fail(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
        const args = parsed.data;
        const passwordHash = await hashPassword(args.password, env.PARLEY_PBKDF2_ITERATIONS);
        const agent = await db.write(async (tx) => {
          const email = args.email.toLowerCase();
          if (await tx.query.agents.findFirst({ where: eq(agents.email, email) })) fail(`an agent with email ${email} already exists`);
          const department = args.department ? await tx.query.departments.findFirst({ where: eq(departments.name, args.department) }) : undefined;
          if (args.department && !department) fail(`no department named ${args.department}`);
          const siteKeys = values.site ?? [];
          const memberOf = siteKeys.length === 0 ? [] : await tx.select({ id: sites.id, key: sites.publicKey }).from(sites).where(inArray(sites.publicKey, siteKeys));
          const unknown = siteKeys.filter((key) => !memberOf.some((site) => site.key === key));
          if (unknown.length > 0) fail(`no site with key ${unknown.join(", ")}`);
          const [row] = await tx
            .insert(agents)
            .values({ id: newId(), email, name: args.name ?? email.split("@")[0]!, passwordHash, role: args.role, tier: args.tier, departmentId: department?.id ?? null })
            .returning();
          if (memberOf.length > 0) await tx.insert(agentSites).values(memberOf.map((site) => ({ agentId: row!.id, siteId: site.id })));
          return row!;
        });
        console.log(`created ${agent.role} ${agent.email} (${agent.id})`);
        break;
      }
      case "create-site": {
        if (!values.name) fail("create-site needs --name");
        const origins = values.origin ?? [];
        for (const origin of origins) if (!/^https?:\/\/[^/\s]+$/.test(origin) && origin !== "*") fail(`not an origin: ${origin}`);
        const [site] = await db.write((tx) =>
          tx
            .insert(sites)
            .values({
              id: newId(),
              publicKey: `pk_${randomHex(12)}`,
              name: values.name!,
              allowedOrigins: origins,
              identitySecret: randomHex(32),
              requireVerifiedIdentity: values["require-verified"] ?? false,
            })
            .returning(),
        );
        console.log(`created site ${site!.name}\n  site key         ${site!.publicKey}\n  identity secret  ${site!.identitySecret} (keep it on your server)`);
        break;
      }
      case "list-sites":
        for (const site of await db.orm.select().from(sites)) console.log(`${site.publicKey}\t${site.name}\t${site.allowedOrigins.join(" ")}`);
        break;
      case "jobs":
        process.exitCode = await jobsCommand(db, positionals[1], positionals[2]);
        break;
      case "list-agents":
        for (const agent of await db.orm.select().from(agents)) {
          console.log(`${agent.email}\t${agent.role}\ttier ${agent.tier}\t${agent.status}${agent.active ? "" : "\t(inactive)"}`);
        }
        break;
      default:
        fail(`unknown command ${command}\n\n${usage}`);
    }
  } finally {
    db.close();
  }
}

await main();
