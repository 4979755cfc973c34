import { count } from "drizzle-orm";
import { hashPassword } from "../../auth/password.js";
import { COMPLAINT_CATEGORY, complaintSlaTargets, defaultSlaPolicies } from "../../domain/sla.js";
import { newId } from "../../tickets/store.js";
import type { Database } from "../client.js";
import { agentSites, agents, categories, departments, faqRelated, faqs, sites, slaPolicies } from "../schema.js";
import { seedArticles } from "./faq-articles.js";

export const DEMO_SITE_KEY = "pk_demo";
export const DEMO_AGENT_PASSWORD = "parley-agent-demo";
/** The agents `seedDemo` creates besides the admin, all with DEMO_AGENT_PASSWORD. */
export const DEMO_AGENT_EMAILS = ["ada@parley.test", "sam@parley.test", "grace@parley.test", "linus@parley.test", "bea@parley.test"] as const;

export interface SeedOptions {
  adminEmail: string;
  adminPassword: string;
  passwordIterations: number;
  /** Origins the demo site accepts browser calls from. */
  demoOrigins: string[];
}

export const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Fills an empty database with a demo site, an admin, two departments, agents across the
 * three tiers, categories, SLA targets and the help-centre articles. Does nothing when a
 * site already exists, so restarts never duplicate anything.
 */
export async function seedDemo(db: Database, options: SeedOptions): Promise<{ seeded: boolean }> {
  const [existing] = await db.orm.select({ n: count() }).from(sites);
  if ((existing?.n ?? 0) > 0) return { seeded: false };

  const hash = (password: string) => hashPassword(password, options.passwordIterations);
  const adminHash = await hash(options.adminPassword);
  const agentHash = await hash(DEMO_AGENT_PASSWORD);

  await db.write(async (tx) => {
    const siteId = newId();
    await tx.insert(sites).values({
      id: siteId,
      publicKey: DEMO_SITE_KEY,
      name: "Acme Cloud",
      allowedOrigins: options.demoOrigins,
      identitySecret: randomHex(32),
      branding: { name: "Acme Cloud", greeting: "Hi! Ask us anything about Acme Cloud." },
      assistantEnabled: true,
    });

    const support = { id: newId(), name: "Support", description: "Product questions and technical help" };
    const billing = { id: newId(), name: "Billing", description: "Plans, invoices and refunds" };
    await tx.insert(departments).values([support, billing]);

    const categoryRows = [
      { id: newId(), slug: "getting-started", name: "Getting started", departmentId: support.id },
      { id: newId(), slug: "account", name: "Account", departmentId: support.id },
      { id: newId(), slug: "billing", name: "Billing", departmentId: billing.id },
      { id: newId(), slug: "technical", name: "Technical", departmentId: support.id },
      { id: newId(), slug: COMPLAINT_CATEGORY, name: "Complaint", departmentId: support.id },
    ];
    await tx.insert(categories).values(categoryRows);

    const team = await tx.insert(agents).values([
      { id: newId(), email: options.adminEmail.toLowerCase(), name: "Admin", passwordHash: adminHash, role: "admin", tier: 3, status: "available" },
      { id: newId(), email: "ada@parley.test", name: "Ada Tier-One", passwordHash: agentHash, departmentId: support.id, tier: 1, status: "available" },
      { id: newId(), email: "sam@parley.test", name: "Sam Tier-One", passwordHash: agentHash, departmentId: support.id, tier: 1, status: "away" },
      { id: newId(), email: "grace@parley.test", name: "Grace Tier-Two", passwordHash: agentHash, departmentId: support.id, tier: 2, status: "available" },
      { id: newId(), email: "linus@parley.test", name: "Linus Tier-Three", passwordHash: agentHash, departmentId: support.id, tier: 3, status: "busy" },
      { id: newId(), email: "bea@parley.test", name: "Bea Billing", passwordHash: agentHash, departmentId: billing.id, tier: 1, status: "available" },
    ]).returning({ id: agents.id });
    // The whole demo team works on the demo site (the admin too, though admins see every site anyway).
    await tx.insert(agentSites).values(team.map((agent) => ({ agentId: agent.id, siteId })));

    await tx.insert(slaPolicies).values([
      ...defaultSlaPolicies.map(({ priority, targets }) => ({ priority, categoryId: null, ...targets })),
      // A complaint is answered within 30 days whatever its priority (the category policy wins).
      { priority: null, categoryId: categoryRows.find((row) => row.slug === COMPLAINT_CATEGORY)!.id, ...complaintSlaTargets },
    ]);

    const categoryId = new Map(categoryRows.map((row) => [row.slug, row.id]));
    const articleId = new Map(seedArticles.map((article) => [article.slug, newId()]));
    const at = Date.now();
    await tx.insert(faqs).values(
      seedArticles.map((article) => ({
        id: articleId.get(article.slug)!,
        siteId,
        slug: article.slug,
        title: article.title,
        body: article.body,
        categoryId: categoryId.get(article.category) ?? null,
        tags: article.tags,
        position: article.position,
        publishedAt: at,
      })),
    );
    await tx.insert(faqRelated).values(
      seedArticles.flatMap((article) =>
        article.related.map((slug, rank) => ({ faqId: articleId.get(article.slug)!, relatedId: articleId.get(slug)!, rank })),
      ),
    );
  });
  return { seeded: true };
}
