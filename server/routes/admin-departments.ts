import { createRoute } from "@hono/zod-openapi";
import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import {
  CreateDepartmentBodySchema,
  CursorQuerySchema,
  DepartmentSchema,
  IdParamsSchema,
  OkSchema,
  UpdateDepartmentBodySchema,
  pageOf,
} from "../../protocol/index.js";
import { afterCursor, isEmpty, pageFrom } from "../admin/request.js";
import { toDepartment } from "../admin/views.js";
import { routeGroup, type Services } from "../context.js";
import type { Reader, Tx } from "../db/client.js";
import { agents, departments } from "../db/schema.js";
import { ApiError, notFound } from "../middleware/errors.js";
import { newId } from "../tickets/store.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const tags = ["admin"];
const security = access.admin;
const params = IdParamsSchema;

const listDepartments = createRoute({
  method: "get",
  path: "/v1/admin/departments",
  tags,
  summary: "Departments by name",
  security,
  request: { query: CursorQuerySchema },
  responses: { 200: jsonResponse(pageOf(DepartmentSchema), "A page of departments."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const createDepartment = createRoute({
  method: "post",
  path: "/v1/admin/departments",
  tags,
  summary: "Create a department",
  security,
  request: { body: jsonBody(CreateDepartmentBodySchema) },
  responses: {
    201: jsonResponse(DepartmentSchema, "The new department."),
    ...errors("validation_failed", "unauthorized", "forbidden", "conflict"),
  },
});

const updateDepartment = createRoute({
  method: "patch",
  path: "/v1/admin/departments/{id}",
  tags,
  summary: "Rename or describe a department",
  security,
  request: { params, body: jsonBody(UpdateDepartmentBodySchema) },
  responses: {
    200: jsonResponse(DepartmentSchema, "The department."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict"),
  },
});

const deleteDepartment = createRoute({
  method: "delete",
  path: "/v1/admin/departments/{id}",
  tags,
  summary: "Delete an empty department (its categories and tickets lose the link)",
  security,
  request: { params },
  responses: {
    200: jsonResponse(OkSchema, "Deleted."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict"),
  },
});

/** Refuses with 400 when a body names a department that does not exist. */
export async function assertDepartmentExists(orm: Reader, id: string | null | undefined) {
  if (!id) return;
  const department = await orm.query.departments.findFirst({ where: eq(departments.id, id) });
  if (!department) {
    throw new ApiError("validation_failed", `unknown department "${id}"`, [{ path: "departmentId", message: "unknown department" }]);
  }
}

// Names differing only in case would look like duplicates in every list.
async function assertNameFree(tx: Tx, name: string, exceptId?: string) {
  const taken = await tx.query.departments.findFirst({
    where: and(sql`lower(${departments.name}) = lower(${name})`, exceptId ? ne(departments.id, exceptId) : undefined),
  });
  if (taken) throw new ApiError("conflict", `a department named "${taken.name}" already exists`);
}

async function departmentById(orm: Reader, id: string) {
  const department = await orm.query.departments.findFirst({ where: eq(departments.id, id) });
  if (!department) throw notFound(`department ${id}`);
  return department;
}

export function adminDepartmentRoutes(services: Services) {
  const app = routeGroup();
  const { orm } = services.db;

  return app
    .openapi(listDepartments, async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const rows = await orm
        .select()
        .from(departments)
        .where(afterCursor(departments.name, departments.id, cursor))
        .orderBy(asc(departments.name), asc(departments.id))
        .limit(limit + 1);
      return c.json(pageFrom(rows, limit, (row) => [row.name, row.id], toDepartment), 200);
    })
    .openapi(createDepartment, async (c) => {
      const body = c.req.valid("json");
      const department = await services.db.write(async (tx) => {
        await assertNameFree(tx, body.name);
        const [row] = await tx
          .insert(departments)
          .values({ id: newId(), name: body.name, description: body.description ?? null, createdAt: services.now() })
          .returning();
        return row!;
      });
      return c.json(toDepartment(department), 201);
    })
    .openapi(updateDepartment, async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const department = await services.db.write(async (tx) => {
        const current = await departmentById(tx, id);
        if (isEmpty(body)) return current;
        if (body.name !== undefined) await assertNameFree(tx, body.name, id);
        const [row] = await tx.update(departments).set(body).where(eq(departments.id, id)).returning();
        return row!;
      });
      return c.json(toDepartment(department), 200);
    })
    .openapi(deleteDepartment, async (c) => {
      const { id } = c.req.valid("param");
      await services.db.write(async (tx) => {
        await departmentById(tx, id);
        const [members] = await tx.select({ n: count() }).from(agents).where(eq(agents.departmentId, id));
        if (members && members.n > 0) {
          throw new ApiError("conflict", `${members.n} agent(s) still belong to this department; move them first`, { agents: members.n });
        }
        await tx.delete(departments).where(eq(departments.id, id));
      });
      // The foreign key cleared the department of its categories.
      services.reference.categoriesChanged();
      return c.json({ ok: true as const }, 200);
    });
}
