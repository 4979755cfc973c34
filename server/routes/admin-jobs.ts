import { createRoute } from "@hono/zod-openapi";
import { JobListSchema, JobNameParamsSchema, JobRunSchema } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { DomainError } from "../domain/errors.js";
import { toJobRun } from "../jobs/run-log.js";
import { access, errors, jsonResponse } from "./openapi.js";

const tags = ["admin"];
const security = access.admin;

const listJobs = createRoute({
  method: "get",
  path: "/v1/admin/jobs",
  tags,
  summary: "The scheduled jobs: schedule, next run, who holds the lease, and the newest runs of each",
  security,
  responses: { 200: jsonResponse(JobListSchema, "Every job."), ...errors("unauthorized", "forbidden") },
});

const runJob = createRoute({
  method: "post",
  path: "/v1/admin/jobs/{name}/run",
  tags,
  summary: "Run a job now and answer the finished run; 409 while a run of it holds the lease (here or on another server)",
  security,
  request: { params: JobNameParamsSchema },
  responses: {
    200: jsonResponse(JobRunSchema, "The run, finished: what it did, or why it failed."),
    ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "conflict", "unavailable"),
  },
});

export function adminJobRoutes(services: Services) {
  return routeGroup()
    .openapi(listJobs, async (c) => c.json({ items: await services.jobs.list() }, 200))
    .openapi(runJob, async (c) => {
      const { name } = c.req.valid("param");
      const result = await services.jobs.run(name, "admin");
      if (result.outcome === "busy") {
        throw new DomainError("conflict", `job ${name} is running (lease held by ${result.holder}); try again once it is done`, {
          holder: result.holder,
          expiresAt: new Date(result.expiresAt).toISOString(),
        });
      }
      return c.json(toJobRun(result.run), 200);
    });
}
