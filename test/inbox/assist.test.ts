import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openInbox, row, screenshot, signIn, startInboxStack, visitor, type InboxPage, type InboxStack } from "./support/stack.js";

/** The assist panel in Chromium: suggested articles, and a draft that only fills the composer. */
let inbox: InboxStack;
let browser: Browser;
let opened: InboxPage | undefined;

beforeAll(async () => {
  inbox = await startInboxStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
});

describe("agent assist in the ticket view", () => {
  it("lists the articles for the customer's words and puts the suggested reply in the composer, sending nothing", async () => {
    const jane = await visitor(inbox.url, "pk_demo", "Jane Assist");
    const { ticket } = await jane.open("Lost folder", "I accidentally removed a folder, can I bring it back?");
    opened = await openInbox(browser, inbox.url);
    const { page } = opened;
    await signIn(page, "ada@parley.test");
    await row(page, ticket.number).getByRole("link").click();
    await page.locator(`section.ticket[data-number="${ticket.number}"]`).waitFor();
    const panel = page.getByTestId("assist-panel");
    await panel.locator('li[data-slug="restore-deleted-files-and-versions"]').waitFor();
    expect(await panel.locator("li strong").first().textContent()).toBe("Restore deleted files and earlier versions");
    const before = (await inbox.client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: inbox.adminToken })).body.items.length;

    await panel.getByRole("button", { name: "Use suggested reply" }).click();
    const reply = page.getByRole("textbox", { name: "Write a reply" });
    await expect.poll(() => reply.inputValue()).toMatch(/^Hi Jane,\n\n[\s\S]*“Restore deleted files and earlier versions”/);
    // The agent edits before sending; nothing went out on its own.
    await reply.fill(`${await reply.inputValue()}\n\nAda`);
    expect((await inbox.client.call("GET", `/v1/agent/tickets/${ticket.number}/messages?after=0`, { token: inbox.adminToken })).body.items.length).toBe(before);
    await screenshot(page, "assist-panel");
    expect(opened.violations, "CSP violations").toEqual([]);
    expect(opened.errors, "page errors").toEqual([]);
  });
});
