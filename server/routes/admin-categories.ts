import { createRoute } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import {
  CategorySchema,
  CreateCategoryBodySchema,
  CursorQuerySchema,
  IdParamsSchema,
  OkSchema,
  UpdateCategoryBodySchema,
  pageOf,
} from "../../protocol/index.js";
import { afterCursor, isEmpty, pageFrom } from "../admin/request.js";
import { toCategory } from "../admin/views.js";
import { routeGroup, type Services } from "../context.js";
import type { Reader } from "../db/client.js";
import { categories } from "../db/schema.js";
import { ApiError, notFound } from "../middleware/errors.js";
import { deleteCategory as removeCategory } from "../commands/category-commands.js";
import { newId } from "../tickets/store.js";
import { assertDepartmentExists } from "./admin-departments.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const tags = ["admin"];
const security = access.admin;
const params = IdParamsSchema;

const listCategories = createRoute({
  method: "get",
  path: "/v1/admin/categories",
  tags,
  summary: "Categories by name",
  security,
  request: { query: CursorQuerySchema },
  responses: { 200: jsonResponse(pageOf(CategorySchema), "A page of categories."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const createCategory = createRoute({
  method: "post",
  path: "/v1/admin/categories",
  tags,
  summary: "Create a category (its department receives its tickets)",
  security,
  request: { body: jsonBody(CreateCategoryBodySchema) },
  responses: {
    201: jsonResponse(CategorySchema, "The new category."),
    ...errors("validation_failed", "unauthorized", "forbidden", "conflict"),
  },
});

const updateCategory = createRoute({
  method: "patch",
  path: "/v1/admin/categories/{id}",
  tags,
  summary: "Rename a category or route it to another department (the slug is permanent)",
  security,
  request: { params, body: jsonBody(UpdateCategoryBodySchema) },
  responses: {
    200: jsonResponse(CategorySchema, "The category."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found"),
  },
});

const deleteCategory = createRoute({
  method: "delete",
  path: "/v1/admin/categories/{id}",
  tags,
  summary: "Delete a category (its tickets and articles become uncategorised)",
  security,
  request: { params },
  responses: { 200: jsonResponse(OkSchema, "Deleted."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

async function categoryById(orm: Reader, id: string) {
  const category = await orm.query.categories.findFirst({ where: eq(categories.id, id) });
  if (!category) throw notFound(`category ${id}`);
  return category;
}

export function adminCategoryRoutes(services: Services) {
  const app = routeGroup();
  const { orm } = services.db;

  return app
    .openapi(listCategories, async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const rows = await orm
        .select()
        .from(categories)
        .where(afterCursor(categories.name, categories.id, cursor))
        .orderBy(asc(categories.name), asc(categories.id))
        .limit(limit + 1);
      return c.json(pageFrom(rows, limit, (row) => [row.name, row.id], toCategory), 200);
    })
    .openapi(createCategory, async (c) => {
      const body = c.req.valid("json");
      const category = await services.db.write(async (tx) => {
        const taken = await tx.query.categories.findFirst({ where: eq(categories.slug, body.slug) });
        if (taken) throw new ApiError("conflict", `a category with slug "${body.slug}" already exists`);
        await assertDepartmentExists(tx, body.departmentId);
        const [row] = await tx
          .insert(categories)
          .values({ id: newId(), slug: body.slug, name: body.name, departmentId: body.departmentId ?? null, createdAt: services.now() })
          .returning();
        return row!;
      });
      services.reference.categoriesChanged();
      return c.json(toCategory(category), 201);
    })
    .openapi(updateCategory, async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const category = await services.db.write(async (tx) => {
        const current = await categoryById(tx, id);
        if (isEmpty(body)) return current;
        await assertDepartmentExists(tx, body.departmentId);
        const [row] = await tx.update(categories).set(body).where(eq(categories.id, id)).returning();
        return row!;
      });
      services.reference.categoriesChanged();
      return c.json(toCategory(category), 200);
    })
    .openapi(deleteCategory, async (c) => {
      await removeCategory(services, { categoryId: c.req.valid("param").id, actor: { type: "agent", id: c.get("agent").id } });
      services.reference.categoriesChanged();
      return c.json({ ok: true as const }, 200);
    });
}
