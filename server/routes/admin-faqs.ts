import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, ne } from "drizzle-orm";
import {
  CreateFaqBodySchema,
  CursorQuerySchema,
  DeflectionQuerySchema,
  DeflectionReportSchema,
  FaqSchema,
  IdParamsSchema,
  IdSchema,
  MAX_STATS_DAYS,
  OkSchema,
  UpdateFaqBodySchema,
  pageOf,
} from "../../protocol/index.js";
import { afterCursor, isEmpty, pageFrom, sentFields } from "../admin/request.js";
import { routeGroup, type Services } from "../context.js";
import type { Reader, Tx } from "../db/client.js";
import { categories, faqs, sites } from "../db/schema.js";
import { normalTags, publicationAfter } from "../domain/faq-publication.js";
import { deflectionReport } from "../faqs/deflection.js";
import { statsRange } from "../tickets/stats-report.js";
import { relatedArticles, relatedByArticle, setRelatedArticles } from "../faqs/related.js";
import { toFaq, type FaqRow } from "../faqs/views.js";
import { ApiError, notFound } from "../middleware/errors.js";
import { categoryBySlug, newId } from "../tickets/store.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";
import { helpVocabularyChanged } from "../faqs/vocabulary.js";

const tags = ["admin"];
const security = access.admin;
const params = IdParamsSchema;

const AdminFaqListQuerySchema = CursorQuerySchema.extend({ siteId: IdSchema.optional() });

const listFaqs = createRoute({
  method: "get",
  path: "/v1/admin/faqs",
  tags,
  summary: "Every article by title, drafts included; optionally of one site",
  security,
  request: { query: AdminFaqListQuerySchema },
  responses: { 200: jsonResponse(pageOf(FaqSchema), "A page of articles."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const createFaq = createRoute({
  method: "post",
  path: "/v1/admin/faqs",
  tags,
  summary: "Write an article for a site",
  security,
  request: { body: jsonBody(CreateFaqBodySchema) },
  responses: {
    201: jsonResponse(FaqSchema, "The new article."),
    ...errors("validation_failed", "unauthorized", "forbidden", "conflict"),
  },
});

const getFaq = createRoute({
  method: "get",
  path: "/v1/admin/faqs/{id}",
  tags,
  summary: "One article, published or not",
  security,
  request: { params },
  responses: { 200: jsonResponse(FaqSchema, "The article."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const updateFaq = createRoute({
  method: "patch",
  path: "/v1/admin/faqs/{id}",
  tags,
  summary: "Edit, recategorise, tag, reorder, relate, publish or unpublish an article (only the fields sent change)",
  security,
  request: { params, body: jsonBody(UpdateFaqBodySchema) },
  responses: {
    200: jsonResponse(FaqSchema, "The article."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict"),
  },
});

const deleteFaq = createRoute({
  method: "delete",
  path: "/v1/admin/faqs/{id}",
  tags,
  summary: "Delete an article and its votes",
  security,
  request: { params },
  responses: { 200: jsonResponse(OkSchema, "Deleted."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const deflection = createRoute({
  method: "get",
  path: "/v1/admin/stats/deflection",
  tags,
  summary: "Help-centre deflection over UTC days: searches, views and votes, and sessions that ended without a ticket, per site and per article",
  security,
  request: { query: DeflectionQuerySchema },
  responses: { 200: jsonResponse(DeflectionReportSchema, "The report."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

async function faqById(orm: Reader, id: string) {
  const faq = await orm.query.faqs.findFirst({ where: eq(faqs.id, id) });
  if (!faq) throw notFound(`article ${id}`);
  return faq;
}

async function assertSlugFree(tx: Tx, siteId: string, slug: string, exceptId?: string) {
  const taken = await tx.query.faqs.findFirst({
    where: and(eq(faqs.siteId, siteId), eq(faqs.slug, slug), exceptId ? ne(faqs.id, exceptId) : undefined),
  });
  if (taken) throw new ApiError("conflict", `this site already has an article with slug "${slug}"`);
}

/** Null clears the category, undefined leaves it alone, a slug must name a category. */
async function categoryIdFor(tx: Tx, slug: string | null | undefined) {
  if (slug === undefined) return undefined;
  return slug === null ? null : (await categoryBySlug(tx, slug)).id;
}

async function present(orm: Reader, faq: FaqRow) {
  const category = faq.categoryId ? await orm.query.categories.findFirst({ where: eq(categories.id, faq.categoryId) }) : undefined;
  return toFaq(faq, category?.slug ?? null, await relatedArticles(orm, faq.id, { drafts: true }));
}

export function adminFaqRoutes(services: Services) {
  const app = routeGroup();
  const { orm } = services.db;

  return app
    .openapi(deflection, async (c) => {
      const query = c.req.valid("query");
      const site = await orm.query.sites.findFirst({ where: eq(sites.id, query.siteId) });
      if (!site) throw notFound(`site ${query.siteId}`);
      return c.json(await deflectionReport(orm, site.id, statsRange(query, services.now(), MAX_STATS_DAYS)), 200);
    })
    .openapi(listFaqs, async (c) => {
      const { cursor, limit, siteId } = c.req.valid("query");
      const rows = await orm
        .select({ faq: faqs, category: categories.slug })
        .from(faqs)
        .leftJoin(categories, eq(categories.id, faqs.categoryId))
        .where(and(siteId ? eq(faqs.siteId, siteId) : undefined, afterCursor(faqs.title, faqs.id, cursor)))
        .orderBy(asc(faqs.title), asc(faqs.id))
        .limit(limit + 1);
      const related = await relatedByArticle(orm, rows.slice(0, limit).map((row) => row.faq.id), { drafts: true });
      const page = pageFrom(rows, limit, (row) => [row.faq.title, row.faq.id], (row) => toFaq(row.faq, row.category, related.get(row.faq.id) ?? []));
      return c.json(page, 200);
    })
    .openapi(createFaq, async (c) => {
      const body = c.req.valid("json");
      const faq = await services.db.write(async (tx) => {
        const site = await tx.query.sites.findFirst({ where: eq(sites.id, body.siteId) });
        if (!site) throw new ApiError("validation_failed", `unknown site "${body.siteId}"`, [{ path: "siteId", message: "unknown site" }]);
        await assertSlugFree(tx, site.id, body.slug);
        const at = services.now();
        // Without either field an article is published, as it was before drafts had a name.
        const publication = publicationAfter({ published: body.published ?? (body.status ? undefined : true), status: body.status }, null, at)!;
        const [row] = await tx
          .insert(faqs)
          .values({
            id: newId(),
            siteId: site.id,
            slug: body.slug,
            title: body.title,
            body: body.body,
            categoryId: (await categoryIdFor(tx, body.category)) ?? null,
            ...publication,
            tags: normalTags(body.tags),
            position: body.position,
            createdAt: at,
            updatedAt: at,
          })
          .returning();
        await setRelatedArticles(tx, row!, body.related);
        return row!;
      });
      helpVocabularyChanged(orm);
      return c.json(await present(orm, faq), 201);
    })
    .openapi(getFaq, async (c) => {
      return c.json(await present(orm, await faqById(orm, c.req.valid("param").id)), 200);
    })
    .openapi(updateFaq, async (c) => {
      const { id } = c.req.valid("param");
      const { category, related, published, status, tags, ...changes } = await sentFields(c, c.req.valid("json"));
      const faq = await services.db.write(async (tx) => {
        const current = await faqById(tx, id);
        const at = services.now();
        const categoryId = await categoryIdFor(tx, category);
        const edits = { ...changes, ...publicationAfter({ published, status }, current, at), tags: tags && normalTags(tags), categoryId };
        if (related !== undefined) await setRelatedArticles(tx, current, related);
        if (isEmpty(edits)) return current;
        if (changes.slug !== undefined) await assertSlugFree(tx, current.siteId, changes.slug, id);
        const [row] = await tx.update(faqs).set({ ...edits, updatedAt: at }).where(eq(faqs.id, id)).returning();
        return row!;
      });
      helpVocabularyChanged(orm);
      return c.json(await present(orm, faq), 200);
    })
    .openapi(deleteFaq, async (c) => {
      const { id } = c.req.valid("param");
      await services.db.write(async (tx) => {
        await faqById(tx, id);
        await tx.delete(faqs).where(eq(faqs.id, id));
      });
      helpVocabularyChanged(orm);
      return c.json({ ok: true as const }, 200);
    });
}
