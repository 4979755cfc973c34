import { and, eq, sql } from "drizzle-orm";
import type { VisitorRow } from "../db/rows.js";
import type { Tx } from "../db/client.js";
import { faqs, faqVotes } from "../db/schema.js";
import { DomainError } from "../domain/errors.js";

type FaqRow = typeof faqs.$inferSelect;

const DAY_MS = 86_400_000;
const ALREADY_VOTED = "a vote on this article already came from your network today";

/**
 * Records a visitor's helpful / not-helpful vote and answers the article's counts.
 *
 * A visitor votes once per article; voting again the same way changes nothing and voting the
 * other way moves the vote. Anonymous sessions are free to start, so a new anonymous vote is
 * also refused when another anonymous vote on the article came from the same address on the
 * same UTC day (a shared office address gets one new anonymous vote per article per day, which
 * is what a helpfulness count needs). Verified visitors are one person each whatever their
 * address, so only the first rule applies to them.
 */
export async function castFaqVote(
  tx: Tx,
  vote: { faq: FaqRow; visitor: VisitorRow; helpful: boolean; addressHash: string; at: number },
): Promise<FaqRow> {
  const { faq, visitor, helpful, at } = vote;
  const mine = and(eq(faqVotes.faqId, faq.id), eq(faqVotes.visitorId, visitor.id));
  const previous = await tx.query.faqVotes.findFirst({ where: mine });
  if (previous?.helpful === helpful) return faq;
  if (previous) {
    await tx.update(faqVotes).set({ helpful }).where(mine);
  } else {
    const origin = visitor.verified ? { addressHash: null, day: null } : { addressHash: vote.addressHash, day: Math.floor(at / DAY_MS) };
    if (origin.addressHash !== null) {
      const sameAddress = await tx.query.faqVotes.findFirst({
        where: and(eq(faqVotes.faqId, faq.id), eq(faqVotes.addressHash, origin.addressHash), eq(faqVotes.day, origin.day!)),
      });
      if (sameAddress) throw new DomainError("conflict", ALREADY_VOTED);
    }
    // The unique index (faq, address hash, day) backs the check above where another process
    // writes to the same database: losing that race is the same refusal, not a crash.
    const inserted = await tx
      .insert(faqVotes)
      .values({ faqId: faq.id, visitorId: visitor.id, helpful, ...origin, createdAt: at })
      .onConflictDoNothing()
      .returning({ faqId: faqVotes.faqId });
    if (inserted.length === 0) throw new DomainError("conflict", ALREADY_VOTED);
  }
  // A changed mind takes the old vote back from the other count.
  const taken = previous ? 1 : 0;
  const [updated] = await tx
    .update(faqs)
    .set(
      helpful
        ? { helpfulCount: sql`${faqs.helpfulCount} + 1`, notHelpfulCount: sql`${faqs.notHelpfulCount} - ${taken}` }
        : { notHelpfulCount: sql`${faqs.notHelpfulCount} + 1`, helpfulCount: sql`${faqs.helpfulCount} - ${taken}` },
    )
    .where(eq(faqs.id, faq.id))
    .returning();
  return updated!;
}
