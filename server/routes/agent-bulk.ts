import { createRoute } from "@hono/zod-openapi";
import { BulkActionBodySchema, BulkActionResultSchema, type BulkTicketResult } from "../../protocol/index.js";
import { routeGroup, type Services } from "../context.js";
import { runBulkAction } from "../commands/bulk-actions.js";
import { presentAgentTickets } from "../tickets/present.js";
import { access, errors, jsonBody, jsonResponse } from "./openapi.js";

const bulk = createRoute({
  method: "post",
  path: "/v1/agent/tickets/bulk",
  tags: ["agent"],
  security: access.agent,
  summary: "One action over up to 500 tickets, each changed (and audited, and announced) as if alone",
  description: [
    "Body: `numbers` (1–500 ticket numbers) and `action`, with that action's fields:",
    "`assign {agentId | null}`, `status {status}`, `priority {priority}`,",
    "`tags {op: add | remove | set, tags}`, `escalate {reason, tier?, departmentId?, agentId?}` (as the single escalate route), `resolve {note?}`, `close {note?}`, `route {}`.",
    "Each ticket runs through the same command as its single-ticket route, in its own transaction,",
    "so partial success is real: the answer is 200 with one result per distinct number,",
    "`{number, ok: true, ticket}` or `{number, ok: false, error: {code, message}}`.",
    "A ticket the caller may not see is answered exactly like an unknown one. A number named twice is changed once.",
  ].join(" "),
  request: { body: jsonBody(BulkActionBodySchema) },
  responses: {
    200: jsonResponse(BulkActionResultSchema, "A result per ticket."),
    ...errors("validation_failed", "unauthorized"),
  },
});

export function agentBulkRoutes(services: Services) {
  return routeGroup().openapi(bulk, async (c) => {
    const agent = c.get("agent");
    const outcomes = await runBulkAction(services, {
      body: c.req.valid("json"),
      actor: { type: "agent", id: agent.id },
      // The same reference the single-ticket routes build, so the same access check applies.
      ticketRef: (number) => ({ number, scope: c.get("siteScope") }),
    });
    const changed = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.ticket] : []));
    const presented = new Map((await presentAgentTickets(services.db.orm, changed, services.now(), await services.reference.categories())).map((ticket) => [ticket.number, ticket]));
    const results: BulkTicketResult[] = outcomes.map((outcome) =>
      outcome.ok ? { number: outcome.number, ok: true, ticket: presented.get(outcome.number)! } : { number: outcome.number, ok: false, error: outcome.error },
    );
    const succeeded = changed.length;
    return c.json({ results, succeeded, failed: results.length - succeeded }, 200);
  });
}
