import { describe, expect, it } from "vitest";
import { inboxSuite, openInbox, row, screenshot, signIn, visitor } from "./support/stack.js";

/** After "talk to a person", the agent's ticket view shows the whole conversation: the visitor's questions, the assistant's answers with their citations, and the handoff. */
const suite = inboxSuite();

describe("the assistant's conversation in the inbox", () => {
  it("shows the agent every question, every bot answer with its citation link, and the handoff notice", async () => {
    const jane = await visitor(suite.inbox.url, "pk_demo", "Jane Asks");
    const { ticket, live } = await jane.open("Receipts", "How do I put our company tax number on the receipts?");
    const first = await jane.sdk.assistant.query({ question: ticket.description, ticket: ticket.number });
    expect(first.handoff).toBe(false);
    await jane.sdk.assistant.query({ question: "And how do I get a refund for a double charge?", ticket: ticket.number });
    await jane.sdk.tickets.handoff(ticket.number);

    const opened = await openInbox(suite.browser, suite.inbox.url);
    const { page } = opened;
    await signIn(page, "ada@parley.test");
    await row(page, ticket.number).getByRole("link").click();
    const view = page.locator(`section.ticket[data-number="${ticket.number}"]`);
    await view.getByText("You asked for a person.", { exact: false }).waitFor();
    await view.getByText("And how do I get a refund for a double charge?").waitFor();
    const citation = view.getByRole("link", { name: "Download invoices and add VAT details" });
    expect(new URL((await citation.getAttribute("href"))!).pathname).toBe("/help/pk_demo/invoices-receipts-and-vat");
    expect(await view.getByText("Assistant", { exact: true }).count()).toBe(2);
    expect(await view.getByTestId("handed-off").textContent()).toBe("Handed off by the assistant");
    expect(await view.locator("article.message.system .sender").textContent()).toBe("System");
    await screenshot(page, "assistant-transcript");
    expect(opened.violations, "CSP violations").toEqual([]);
    expect(opened.errors, "page errors").toEqual([]);
    live.close();
  });
});
