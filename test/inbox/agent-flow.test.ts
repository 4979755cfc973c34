import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, launchBrowser, openInbox, row, signIn, startInboxStack, visitor, type InboxPage, type InboxStack } from "./support/stack.js";

/**
 * The "must show" flow in Chromium against the real stack: a visitor opens a ticket
 * through the SDK, an agent picks it from the live queue, replies (the visitor's SDK gets it),
 * adds a note (it never does), escalates and resolves, while a second agent's browser sees the
 * queue change live; then a bulk resolve with per-ticket results.
 */
let inbox: InboxStack;
let browser: Browser;
const pages: InboxPage[] = [];

beforeAll(async () => {
  inbox = await startInboxStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
});

async function open(email: string, options: Parameters<typeof openInbox>[2] = {}) {
  const opened = await openInbox(browser, inbox.url, options);
  pages.push(opened);
  await signIn(opened.page, email);
  return opened;
}

describe("an agent working a visitor's ticket", () => {
  afterAll(() => {
    for (const opened of pages) {
      expect(opened.violations, "CSP violations").toEqual([]);
      expect(opened.errors, "page errors").toEqual([]);
    }
  });

  it("signs in, sees the visitor's ticket arrive live, replies, notes, escalates and resolves; a colleague sees it all live", async () => {
    const ada = await open("ada@parley.test");
    const grace = await open("grace@parley.test");
    const jane = await visitor(inbox.url);
    const { ticket, live } = await jane.open("My invoice is wrong", "The March invoice charges me twice.");

    // Both queues show the new ticket without a reload.
    await row(ada.page, ticket.number).waitFor();
    await row(grace.page, ticket.number).waitFor();
    await expect(row(ada.page, ticket.number).textContent()).resolves.toContain("My invoice is wrong");

    await row(ada.page, ticket.number).getByRole("link").click();
    await ada.page.locator(`section.ticket[data-number="${ticket.number}"]`).waitFor();
    expect(new URL(ada.page.url()).pathname).toBe(`/inbox/tickets/${ticket.number}`);
    expect(ada.page.url()).not.toContain("token");
    await ada.page.getByText("The March invoice charges me twice.").waitFor();
    // The visitor is in the room and typing: the agent sees both.
    live.setTyping(true);
    await ada.page.locator(".presence .typing").waitFor();
    await ada.page.locator(".presence", { hasText: "Here now" }).waitFor();

    // A reply reaches the visitor's SDK over its room.
    const composer = ada.page.getByRole("textbox", { name: "Write a reply" });
    await composer.fill("Sorry about that — I am **refunding** the duplicate now.");
    await ada.page.getByRole("button", { name: "Send reply" }).click();
    await ada.page.locator(".message.agent", { hasText: "refunding" }).waitFor();
    await expect.poll(() => jane.received.map((message) => message.body)).toContain("Sorry about that — I am **refunding** the duplicate now.");

    // A note only from note mode, drawn as a note; the visitor never receives it.
    await ada.page.keyboard.press("Escape");
    await ada.page.locator("body").click({ position: { x: 5, y: 790 } });
    await ada.page.keyboard.press("n");
    const note = ada.page.getByRole("textbox", { name: "Write an internal note" });
    await expect.poll(() => note.evaluate((element) => element === document.activeElement)).toBe(true);
    await note.fill("Finance ticket FIN-42 raised for the refund.");
    await ada.page.getByRole("button", { name: "Add note" }).click();
    await ada.page.locator(".message.note", { hasText: "FIN-42" }).waitFor();
    // Back to reply mode, one more reply: once the visitor has it, the note (sent before it) would have arrived too.
    await ada.page.getByRole("tab", { name: "Reply" }).click();
    await ada.page.getByRole("textbox", { name: "Write a reply" }).fill("The refund is on its way.");
    await ada.page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => jane.received.map((message) => message.body)).toContain("The refund is on its way.");
    expect(jane.received.some((message) => message.body.includes("FIN-42") || message.internal)).toBe(false);
    const visible = await jane.sdk.tickets.messages(ticket.number);
    expect(visible.items.some((message) => message.body.includes("FIN-42"))).toBe(false);

    // Escalate with a reason; Grace's queue row follows.
    await ada.page.getByRole("button", { name: "Escalate" }).click();
    await ada.page.getByRole("dialog", { name: "Escalate" }).getByRole("textbox").fill("Refunds above 100 € need tier two.");
    await ada.page.getByRole("dialog", { name: "Escalate" }).getByRole("button", { name: "Escalate" }).click();
    await ada.page.locator("[data-testid=ticket-status]", { hasText: "Escalated" }).waitFor();
    await row(grace.page, ticket.number).locator(".status-escalated").waitFor();

    // Resolve (the e key) with a resolution text.
    await ada.page.locator("body").click({ position: { x: 5, y: 790 } });
    await ada.page.keyboard.press("e");
    const resolve = ada.page.getByRole("dialog", { name: "Resolve" });
    await resolve.getByRole("textbox").fill("Duplicate charge refunded.");
    await resolve.getByRole("button", { name: "Resolve" }).click();
    await ada.page.locator("[data-testid=ticket-status]", { hasText: "Resolved" }).waitFor();
    await row(grace.page, ticket.number).locator(".status-resolved").waitFor();
    await ada.page.locator(".timeline li", { hasText: "→ Resolved" }).first().waitFor();
    await ada.page.locator(".timeline li", { hasText: "escalated" }).first().waitFor();

    expect(await axeViolations(ada.page)).toEqual([]);
    live.close();
  });

  it("resolves several tickets at once (checkbox, then shift-click) and shows each ticket's result", async () => {
    const ada = await open("ada@parley.test");
    const jane = await visitor(inbox.url);
    const opened = [];
    for (const subject of ["Bulk one", "Bulk two", "Bulk three"]) opened.push((await jane.open(subject, "Please close me.")).ticket);
    for (const ticket of opened) await row(ada.page, ticket.number).waitFor();
    // Newest first: "Bulk three" is on top; select it, then shift-click "Bulk one".
    await row(ada.page, opened[2]!.number).getByRole("checkbox").click();
    await row(ada.page, opened[0]!.number).getByRole("checkbox").click({ modifiers: ["Shift"] });
    await ada.page.getByText("3 selected").waitFor();
    await ada.page.getByRole("combobox", { name: "Action for the selected tickets" }).selectOption("resolve");
    await ada.page.getByRole("textbox", { name: "Value (reason, tag or status)" }).fill("Closed in bulk.");
    await ada.page.getByRole("button", { name: "Apply" }).click();
    await ada.page.getByText("3 changed, 0 refused").waitFor();
    for (const ticket of opened) {
      await ada.page.locator(`.bulk-results li.ok[data-number="${ticket.number}"]`).waitFor();
      await row(ada.page, ticket.number).locator(".status-resolved").waitFor();
      expect((await jane.sdk.tickets.get(ticket.number)).status).toBe("resolved");
    }
  });
});
