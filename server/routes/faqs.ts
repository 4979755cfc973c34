import { createRoute } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import {
  FaqListQuerySchema,
  FaqSchema,
  FaqSummarySchema,
  FaqVoteBodySchema,
  FaqVoteResultSchema,
  HelpEventBodySchema,
  OkSchema,
  SlugParamsSchema,
  pageOf,
} from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import type { Reader } from "../db/client.js";
import { categories, faqs } from "../db/schema.js";
import { findFaqs } from "../faqs/search.js";
import { recordHelpEvent } from "../faqs/deflection.js";
import { relatedArticles } from "../faqs/related.js";
import { serviceRateLimit } from "../middleware/rate-limit.js";
import { castFaqVote } from "../faqs/votes.js";
import { toFaq } from "../faqs/views.js";
import { notFound } from "../middleware/errors.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const listFaqs = createRoute({
  method: "get",
  path: "/v1/faqs",
  tags: ["visitor"],
  summary: "Published articles: full-text search with q, else by title",
  security: access.site,
  request: { query: FaqListQuerySchema },
  responses: {
    200: jsonResponse(pageOf(FaqSummarySchema), "A page of articles; search excerpts mark matched words with **."),
    ...errors("validation_failed", "forbidden", "not_found"),
  },
});

const getFaq = createRoute({
  method: "get",
  path: "/v1/faqs/{slug}",
  tags: ["visitor"],
  summary: "One published article (counts as a view)",
  security: access.site,
  request: { params: SlugParamsSchema },
  responses: {
    200: jsonResponse(FaqSchema, "The article."),
    ...errors("validation_failed", "forbidden", "not_found"),
  },
});

const voteFaq = createRoute({
  method: "post",
  path: "/v1/faqs/{slug}/vote",
  tags: ["visitor"],
  summary: "Say whether an article helped (one vote per visitor; a new vote replaces the old; 409 when an anonymous vote on it already came from this address today)",
  security: access.visitor,
  request: { params: SlugParamsSchema, body: jsonBody(FaqVoteBodySchema) },
  responses: {
    200: jsonResponse(FaqVoteResultSchema, "The article's counts after the vote."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict"),
  },
});

const helpEvent = createRoute({
  method: "post",
  path: "/v1/help/events",
  tags: ["visitor"],
  summary: "Tell the help centre's deflection count what the visitor did: searched (no text is kept) or opened an article (votes count themselves)",
  security: access.visitor,
  request: { body: jsonBody(HelpEventBodySchema) },
  responses: {
    200: jsonResponse(OkSchema, "Recorded."),
    ...errors("validation_failed", "unauthorized", "not_found", "rate_limited"),
  },
});

/** A published article of the site, or 404: drafts and other sites' articles do not exist here. */
async function publishedFaq(orm: Reader, siteId: string, slug: string) {
  const faq = await orm.query.faqs.findFirst({ where: and(eq(faqs.siteId, siteId), eq(faqs.slug, slug), eq(faqs.published, true)) });
  if (!faq) throw notFound(`article ${slug}`);
  return faq;
}

export function faqRoutes(services: Services) {
  const app = routeGroup();
  const { orm } = services.db;
  // Cheap to send and cheap to store, but rows all the same: a generous bound per visitor.
  app.use("/v1/help/events", serviceRateLimit(services, { limit: 120, windowMs: 60_000, key: (c) => `help-events:${services.clientAddress(c)}` }));

  return app
    .openapi(listFaqs, async (c) => {
      return c.json(await findFaqs(orm, c.get("site").id, c.req.valid("query")), 200);
    })
    .openapi(getFaq, async (c) => {
      const { slug } = c.req.valid("param");
      const found = await publishedFaq(orm, c.get("site").id, slug);
      const [faq] = await services.db.write((tx) =>
        tx.update(faqs).set({ viewCount: sql`${faqs.viewCount} + 1` }).where(eq(faqs.id, found.id)).returning(),
      );
      // Unpublished or deleted between the read and the count.
      if (!faq) throw notFound(`article ${slug}`);
      const category = faq.categoryId ? await orm.query.categories.findFirst({ where: eq(categories.id, faq.categoryId) }) : undefined;
      return c.json(toFaq(faq, category?.slug ?? null, await relatedArticles(orm, faq.id, { drafts: false })), 200);
    })
    .openapi(voteFaq, async (c) => {
      const { helpful } = c.req.valid("json");
      const { slug } = c.req.valid("param");
      const visitor = c.get("visitor");
      const addressHash = await services.addressHash(services.clientAddress(c));
      const counts = await services.db.write(async (tx) => {
        const faq = await publishedFaq(tx, visitor.siteId, slug);
        const at = services.now();
        const counts = await castFaqVote(tx, { faq, visitor, helpful, addressHash, at });
        await recordHelpEvent(tx, { siteId: visitor.siteId, visitorId: visitor.id, kind: "voted", faqId: faq.id, at });
        return counts;
      });
      return c.json({ helpfulCount: counts.helpfulCount, notHelpfulCount: counts.notHelpfulCount }, 200);
    })
    .openapi(helpEvent, async (c) => {
      const event = c.req.valid("json");
      const visitor = c.get("visitor");
      await services.db.write(async (tx) => {
        const faq = event.kind === "opened" ? await publishedFaq(tx, visitor.siteId, event.slug) : null;
        await recordHelpEvent(tx, { siteId: visitor.siteId, visitorId: visitor.id, kind: event.kind, faqId: faq?.id ?? null, at: services.now() });
      });
      return c.json({ ok: true as const }, 200);
    });
}
