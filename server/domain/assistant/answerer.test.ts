import { describe, expect, it } from "vitest";
import { answerQuestion, bestSentences, rankArticles, sentencesOf } from "./answerer.js";
import { stem, termsOf } from "./terms.js";

const articles = [
  { slug: "reset", title: "Reset your password", body: "## Steps\n\nClick **Forgot password?** on the sign-in page. The link expires after 60 minutes.\n\nPick a new password." },
  { slug: "vat", title: "Download invoices and add VAT details", body: "Go to **Settings > Billing** to download a PDF invoice. Add your VAT number there." },
];
const urlOf = (slug: string) => `/v1/faqs/${slug}`;

describe("offline answerer", () => {
  it("reduces words to shared terms: suffixes, stop words, synonyms", () => {
    expect(stem("stopped")).toBe("stop");
    expect(termsOf("I forgot my login")).toEqual(["forgotten", "sign"]);
    expect(termsOf("the bill")).toEqual(["invoice"]);
  });

  it("reads markdown as plain sentences, headings dropped", () => {
    expect(sentencesOf(articles[0]!.body)).toEqual(["Click Forgot password? on the sign-in page.", "The link expires after 60 minutes.", "Pick a new password."]);
  });

  it("cites the article that covers the question and quotes its most relevant sentence", () => {
    const answer = answerQuestion("I forgot my password, the link expired", articles, { threshold: 0.35, urlOf });
    expect(answer.handoff).toBe(false);
    expect(answer.citations).toEqual([{ slug: "reset", title: "Reset your password", url: "/v1/faqs/reset" }]);
    expect(answer.answer).toContain("The link expires after 60 minutes.");
    expect(answer.confidence).toBeGreaterThan(0.35);
    expect(answer.confidence).toBeLessThanOrEqual(1);
  });

  it("hands off with no citation when nothing matches or the match is under the threshold", () => {
    const none = answerQuestion("banana bread recipe", articles, { threshold: 0.35, urlOf });
    expect(none).toMatchObject({ handoff: true, citations: [], confidence: 0 });
    const strict = answerQuestion("download the invoice", articles, { threshold: 1.01, urlOf });
    expect(strict.handoff).toBe(true);
  });

  it("ranks title matches above passing mentions", () => {
    expect(rankArticles("password", [...articles].reverse())[0]?.article.slug).toBe("reset");
    expect(bestSentences("VAT number", articles[1]!)).toEqual(["Add your VAT number there."]);
  });
});

describe("agent assist", () => {
  it("suggests the matching articles with snippets and a greeting reply quoting the best one", async () => {
    const { suggestAssist } = await import("./suggested-reply.js");
    const assist = suggestAssist("I forgot my password and the link expired", articles, { threshold: 0.35, urlOf, customerName: "Jane Doe" });
    expect(assist.articles[0]).toEqual({ slug: "reset", title: "Reset your password", url: "/v1/faqs/reset", snippet: "Click Forgot password? on the sign-in page." });
    expect(assist.suggestedReply).toMatch(/^Hi Jane,\n\n.*The link expires after 60 minutes\.\n\nThere is more in our article “Reset your password”: \/v1\/faqs\/reset$/s);
    expect(suggestAssist("banana bread", articles, { threshold: 0.35, urlOf, customerName: null })).toEqual({ articles: [], suggestedReply: null });
  });
});
