import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { EmailLinkQuerySchema } from "../../protocol/index.js";
import { rateTicketFromEmail } from "../commands/email-rating.js";
import { unsubscribeCustomer } from "../commands/email-unsubscribe.js";
import { routeGroup, type Services } from "../context.js";
import type { Reader } from "../db/client.js";
import { messages, sites, tickets } from "../db/schema.js";
import type { LinkPurpose, LinkSubject } from "../delivery/email/signed-links.js";
import { emailLocale } from "../domain/notification-rules.js";
import { ApiError } from "../middleware/errors.js";
import { conversationPage, ratedPage, ratingFormPage, unsubscribedPage } from "./email-pages.js";
import { access, errors } from "./openapi.js";

const htmlPage = (description: string) => ({ content: { "text/html": { schema: z.string() } }, description });
const query = EmailLinkQuerySchema;
const linkErrors = errors("validation_failed", "forbidden", "not_found");

const unsubscribe = (method: "get" | "post") =>
  createRoute({
    method,
    path: "/v1/email/unsubscribe",
    tags: ["email"],
    summary:
      method === "get"
        ? "Unsubscribe link of a customer email: stops this site's email to that address"
        : "One-click unsubscribe (RFC 8058, List-Unsubscribe-Post), same effect",
    security: access.public,
    request: { query },
    responses: { 200: htmlPage("A page saying the address is unsubscribed."), ...linkErrors },
  });

const conversation = createRoute({
  method: "get",
  path: "/v1/email/conversation",
  tags: ["email"],
  summary: "The conversation link of a customer email: the ticket's visible messages",
  security: access.public,
  request: { query },
  responses: { 200: htmlPage("The transcript (internal notes never appear)."), ...linkErrors },
});

const ratingForm = createRoute({
  method: "get",
  path: "/v1/email/rating",
  tags: ["email"],
  summary: "The rating link of the 'resolved' email: a 1–5 form",
  security: access.public,
  request: { query },
  responses: { 200: htmlPage("The rating form."), ...linkErrors },
});

const RatingFormSchema = z.object({
  token: EmailLinkQuerySchema.shape.token,
  score: z.coerce.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});

const rate = createRoute({
  method: "post",
  path: "/v1/email/rating",
  tags: ["email"],
  summary: "Submit the rating form",
  security: access.public,
  request: { body: { content: { "application/x-www-form-urlencoded": { schema: RatingFormSchema } }, required: true } },
  responses: { 200: htmlPage("Thanks for the rating."), ...errors("validation_failed", "forbidden", "not_found", "conflict") },
});

async function siteLocale(orm: Reader, siteId: string) {
  const site = await orm.query.sites.findFirst({ where: eq(sites.id, siteId), columns: { locale: true } });
  return emailLocale(site?.locale);
}

export function emailLinkRoutes(services: Services) {
  const { orm } = services.db;
  const { signer, publicUrl } = services.email;

  const verified = (purpose: LinkPurpose, token: string): LinkSubject => {
    const check = signer.verifyLink(purpose, token, services.now());
    if (!check.ok) throw new ApiError("forbidden", check.reason === "expired" ? "this link has expired" : "this link is not valid");
    return check.subject;
  };
  /** The ticket a link names, only while its customer is still the address the link was sent to. */
  const linkedTicket = async (subject: LinkSubject) => {
    const ticket = await orm.query.tickets.findFirst({ where: eq(tickets.number, subject.ref) });
    if (!ticket) throw new ApiError("not_found", `ticket ${subject.ref} not found`);
    if (ticket.customerEmail?.toLowerCase() !== subject.to) throw new ApiError("forbidden", "this link was sent to another address");
    return ticket;
  };
  const unsubscribeHandler = async (token: string) => {
    const subject = verified("unsubscribe", token);
    const site = await orm.query.sites.findFirst({ where: eq(sites.id, subject.ref), columns: { id: true, locale: true } });
    if (!site) throw new ApiError("not_found", "this site no longer exists");
    await unsubscribeCustomer(services.db, site.id, subject.to, services.now());
    return unsubscribedPage(emailLocale(site.locale), subject.to);
  };

  return routeGroup()
    .openapi(unsubscribe("get"), async (c) => c.html(await unsubscribeHandler(c.req.valid("query").token), 200))
    .openapi(unsubscribe("post"), async (c) => c.html(await unsubscribeHandler(c.req.valid("query").token), 200))
    .openapi(conversation, async (c) => {
      const subject = verified("conversation", c.req.valid("query").token);
      const ticket = await linkedTicket(subject);
      const rows = await orm
        .select()
        .from(messages)
        .where(and(eq(messages.ticketId, ticket.id), eq(messages.internal, false)))
        .orderBy(asc(messages.seq))
        .limit(500);
      const lines = [
        { from: "customer" as const, name: ticket.customerName, body: ticket.description, at: new Date(ticket.createdAt).toISOString() },
        ...rows.map((row) => ({
          from: row.senderType === "customer" ? ("customer" as const) : ("team" as const),
          name: row.senderName,
          body: row.body,
          at: new Date(row.createdAt).toISOString(),
        })),
      ];
      const rateable = (ticket.status === "resolved" || ticket.status === "closed") && ticket.rating === null;
      const ratingUrl = rateable ? `${publicUrl}/v1/email/rating?token=${signer.linkToken("rating", subject, services.now())}` : null;
      return c.html(conversationPage(await siteLocale(orm, ticket.siteId), ticket, lines, ratingUrl), 200);
    })
    .openapi(ratingForm, async (c) => {
      const { token } = c.req.valid("query");
      const ticket = await linkedTicket(verified("rating", token));
      const locale = await siteLocale(orm, ticket.siteId);
      return c.html(ticket.rating === null ? ratingFormPage(locale, token, "/v1/email/rating") : ratedPage(locale), 200);
    })
    .openapi(rate, async (c) => {
      const form = c.req.valid("form");
      const ticket = await linkedTicket(verified("rating", form.token));
      const outcome = await rateTicketFromEmail(services, { ticketNumber: ticket.number, score: form.score, comment: form.comment || null });
      if (!outcome.ok) {
        if (outcome.reason === "unknown_ticket") throw new ApiError("not_found", `ticket ${ticket.number} not found`);
        throw new ApiError(
          outcome.reason === "already_rated" ? "conflict" : "illegal_transition",
          outcome.reason === "already_rated" ? "this ticket has already been rated" : "a ticket can be rated once it is resolved",
        );
      }
      return c.html(ratedPage(await siteLocale(orm, ticket.siteId)), 200);
    });
}
