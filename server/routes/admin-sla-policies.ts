import { createRoute } from "@hono/zod-openapi";
import {
  CreateSlaPolicyBodySchema,
  CursorQuerySchema,
  IdParamsSchema,
  OkSchema,
  SlaPolicySchema,
  UpdateSlaPolicyBodySchema,
  pageOf,
} from "../../protocol/index.js";
import { sentFields } from "../admin/request.js";
import { createSlaPolicy, deleteSlaPolicy, listSlaPolicies, slaPolicyById, toSlaPolicy, updateSlaPolicy } from "../admin/sla-policies.js";
import { routeGroup, type Services } from "../context.js";
import { decodeCursor, encodeCursor, refuseCursor } from "../tickets/cursor.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const tags = ["admin"];
const security = access.admin;
const params = IdParamsSchema;
const path = "/v1/admin/sla-policies";

const listPolicies = createRoute({
  method: "get",
  path,
  tags,
  summary: "SLA policies: targets per priority, per category, or both (the most specific matching one governs a ticket)",
  security,
  request: { query: CursorQuerySchema },
  responses: { 200: jsonResponse(pageOf(SlaPolicySchema), "A page of policies."), ...errors("validation_failed", "unauthorized", "forbidden") },
});

const createPolicy = createRoute({
  method: "post",
  path,
  tags,
  summary: "Create a policy for a priority, a category (any priority) or both; applies to tickets opened or re-prioritised from now on",
  security,
  request: { body: jsonBody(CreateSlaPolicyBodySchema) },
  responses: { 201: jsonResponse(SlaPolicySchema, "The new policy."), ...errors("validation_failed", "unauthorized", "forbidden", "conflict") },
});

const getPolicy = createRoute({
  method: "get",
  path: `${path}/{id}`,
  tags,
  summary: "One SLA policy",
  security,
  request: { params },
  responses: { 200: jsonResponse(SlaPolicySchema, "The policy."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const updatePolicy = createRoute({
  method: "patch",
  path: `${path}/{id}`,
  tags,
  summary: "Change a policy's targets or clock (its scope is fixed); tickets already open keep their due times",
  security,
  request: { params, body: jsonBody(UpdateSlaPolicyBodySchema) },
  responses: { 200: jsonResponse(SlaPolicySchema, "The policy."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

const deletePolicy = createRoute({
  method: "delete",
  path: `${path}/{id}`,
  tags,
  summary: "Delete a policy; tickets it would govern fall back to a less specific one, or none",
  security,
  request: { params },
  responses: { 200: jsonResponse(OkSchema, "Deleted."), ...errors("validation_failed", "unauthorized", "forbidden", "not_found") },
});

export function adminSlaPolicyRoutes(services: Services) {
  const { orm } = services.db;
  return routeGroup()
    .openapi(listPolicies, async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const position = decodeCursor(cursor);
      if (position && position.value !== null) throw refuseCursor("unexpected value");
      const rows = await listSlaPolicies(orm, position?.id ?? null, limit);
      const page = rows.slice(0, limit);
      const categories = await services.reference.categories();
      return c.json({ items: page.map((row) => toSlaPolicy(row, categories)), nextCursor: rows.length > limit ? encodeCursor(null, page.at(-1)!.id) : null }, 200);
    })
    .openapi(createPolicy, async (c) => {
      const body = c.req.valid("json");
      const row = await services.db.write((tx) => createSlaPolicy(tx, body, services.now()));
      return c.json(toSlaPolicy(row, await services.reference.categories()), 201);
    })
    .openapi(getPolicy, async (c) => {
      return c.json(toSlaPolicy(await slaPolicyById(orm, c.req.valid("param").id), await services.reference.categories()), 200);
    })
    .openapi(updatePolicy, async (c) => {
      const { id } = c.req.valid("param");
      const change = await sentFields(c, c.req.valid("json"));
      const row = await services.db.write((tx) => updateSlaPolicy(tx, id, change, services.now()));
      return c.json(toSlaPolicy(row, await services.reference.categories()), 200);
    })
    .openapi(deletePolicy, async (c) => {
      await services.db.write((tx) => deleteSlaPolicy(tx, c.req.valid("param").id));
      return c.json({ ok: true as const }, 200);
    });
}
