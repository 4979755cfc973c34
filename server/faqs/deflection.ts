import { sql } from "drizzle-orm";
import type { DeflectionReport, HelpEventKind } from "../../protocol/index.js";
import type { Reader, Tx } from "../db/client.js";
import { helpEvents } from "../db/schema.js";
import { dayStart } from "../domain/stats.js";

const DAY_MS = 86_400_000;
/** How long after a visitor's last help-centre event a new ticket still counts as "not deflected". */
export const SESSION_TAIL_MS = DAY_MS;

/** Records one thing a visitor did in the help centre (inside the caller's write). */
export async function recordHelpEvent(tx: Tx, event: { siteId: string; visitorId: string; kind: HelpEventKind; faqId: string | null; at: number }) {
  await tx.insert(helpEvents).values({ siteId: event.siteId, visitorId: event.visitorId, kind: event.kind, faqId: event.faqId, createdAt: event.at });
}

const n = (value: unknown) => Number(value ?? 0);

/**
 * Per site and per article over UTC days `from`–`to`: events, and the sessions (one per visitor)
 * that ended without a ticket (deflected) or with one. Grouped in SQL so one report is a few
 * index range reads whatever the traffic.
 */
export async function deflectionReport(reader: Reader, siteId: string, range: { from: string; to: string }): Promise<DeflectionReport> {
  const start = dayStart(range.from);
  const end = dayStart(range.to) + DAY_MS;
  // One row per visitor of the range: its first and last event, and whether one of its tickets
  // was opened between the first event and a day after the last.
  const sessions = sql`spans as (
    select visitor_id, min(created_at) as first_at, max(created_at) as last_at
    from help_events where site_id = ${siteId} and created_at >= ${start} and created_at < ${end}
    group by visitor_id),
  sessions as (
    select s.visitor_id, exists (select 1 from tickets t where t.visitor_id = s.visitor_id and t.site_id = ${siteId}
      and t.created_at >= s.first_at and t.created_at <= s.last_at + ${SESSION_TAIL_MS}) as ticketed
    from spans s)`;
  const [site] = await reader.all<Record<string, unknown>>(sql`with ${sessions}
    select (select count(*) from sessions) as sessions, (select count(*) from sessions where ticketed) as ticketed,
      sum(kind = 'searched') as searches, sum(kind = 'opened') as views, sum(kind = 'voted') as votes
    from help_events where site_id = ${siteId} and created_at >= ${start} and created_at < ${end}`);
  const articles = await reader.all<Record<string, unknown>>(sql`with ${sessions}
    select f.slug, f.title, sum(e.kind = 'opened') as views, sum(e.kind = 'voted') as votes,
      count(distinct e.visitor_id) as sessions, count(distinct case when s.ticketed then e.visitor_id end) as ticketed
    from help_events e join faqs f on f.id = e.faq_id join sessions s on s.visitor_id = e.visitor_id
    where e.site_id = ${siteId} and e.created_at >= ${start} and e.created_at < ${end}
    group by f.id order by views desc, f.title limit 500`);
  const counts = (row: Record<string, unknown> | undefined) => {
    const total = n(row?.sessions);
    const withTicket = n(row?.ticketed);
    return { sessions: total, withTicket, deflected: total - withTicket };
  };
  return {
    range,
    site: { ...counts(site), searches: n(site?.searches), views: n(site?.views), votes: n(site?.votes) },
    articles: articles.map((row) => ({ slug: String(row.slug), title: String(row.title), views: n(row.views), votes: n(row.votes), ...counts(row) })),
  };
}
