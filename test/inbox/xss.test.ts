import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { INJECTED_SELECTOR, XSS_PAYLOADS } from "../support/xss-payloads.js";
import { launchBrowser, openInbox, row, signIn, startInboxStack, visitor, type InboxStack } from "./support/stack.js";

/**
 * Hostile text everywhere the inbox shows user text — subjects, customer names, descriptions,
 * messages, attachment names, agent names, articles and canned responses — runs no script:
 * nothing executes, the CSP never has to block anything, and no payload becomes an element.
 */
let inbox: InboxStack;
let browser: Browser;

beforeAll(async () => {
  inbox = await startInboxStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
});

async function assertInert(page: Page, violations: string[], errors: string[], where: string) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), `script ran on ${where}`).toBeUndefined();
  expect(await page.locator(INJECTED_SELECTOR).count(), `injected elements on ${where}`).toBe(0);
  expect(await page.locator("[onerror], [onload], [onclick]").count(), `handler attributes on ${where}`).toBe(0);
  expect(violations, `CSP violations on ${where}`).toEqual([]);
  expect(errors, `page errors on ${where}`).toEqual([]);
}

it("renders the XSS payloads as text on the queue, the ticket, the dashboard and the admin screens", async () => {
  const { adminToken, client, demoSiteId } = inbox;
  const tickets: string[] = [];
  for (const [index, payload] of XSS_PAYLOADS.entries()) {
    const jane = await visitor(inbox.url, "pk_demo", payload.slice(0, 120));
    const { ticket, live } = await jane.open(`Subject ${index} ${payload}`.slice(0, 200), payload);
    await jane.sdk.tickets.send(ticket.number, payload, { attachments: [{ name: payload.slice(0, 255), url: "https://files.example/report.png", contentType: "image/png", size: 2048 }] });
    live.close();
    tickets.push(ticket.number);
  }
  const hostile = await client.call("POST", "/v1/admin/agents", { token: adminToken, body: { email: "mallory@parley.test", name: XSS_PAYLOADS[0], password: "mallory-password-1", siteIds: [demoSiteId] } });
  expect(hostile.status).toBe(201);
  const { token: malloryToken } = await client.login("mallory@parley.test", "mallory-password-1");
  for (const number of tickets.slice(0, 3)) {
    const reply = await client.call("POST", `/v1/agent/tickets/${number}/messages`, { token: malloryToken, body: { body: XSS_PAYLOADS[3], clientId: `xss-${number}` } });
    expect(reply.status).toBe(201);
  }
  for (const [index, payload] of XSS_PAYLOADS.entries()) {
    const faq = await client.call("POST", "/v1/admin/faqs", { token: adminToken, body: { siteId: demoSiteId, slug: `xss-${index}`, title: `Article ${index} ${payload}`.slice(0, 200), body: `# ${payload}\n\n${payload}\n\n- ${payload}` } });
    expect(faq.status).toBe(201);
  }
  const canned = await client.call("POST", "/v1/agent/canned-responses", { token: adminToken, body: { scope: "site", siteId: demoSiteId, shortcut: "/xss", title: XSS_PAYLOADS[1], body: XSS_PAYLOADS[0] } });
  expect(canned.status).toBe(201);

  const { page, violations, errors } = await openInbox(browser, inbox.url);
  await signIn(page, "admin@parley.test");
  for (const number of tickets) await row(page, number).waitFor();
  await page.getByText(`Subject 1 ${XSS_PAYLOADS[1]}`).first().waitFor();
  await assertInert(page, violations, errors, "the queue");

  for (const number of tickets) {
    await page.goto(`${inbox.url}/inbox/tickets/${number}`);
    await page.locator(`section.ticket[data-number="${number}"] .message`).first().waitFor();
    await page.locator(".attachments a").first().waitFor();
    await assertInert(page, violations, errors, `ticket ${number}`);
  }
  // The payload is there, as text.
  await page.goto(`${inbox.url}/inbox/tickets/${tickets[0]}`);
  await page.locator(".message", { hasText: `<img src=x onerror=` }).first().waitFor();
  // The canned picker shows a hostile title and inserts a hostile body as plain text.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("/");
  await page.getByRole("combobox", { name: "Filter canned responses" }).fill("xss");
  await page.getByRole("combobox", { name: "Filter canned responses" }).press("Enter");
  await expect.poll(() => page.getByRole("textbox", { name: "Write a reply" }).inputValue()).toBe(XSS_PAYLOADS[0]);
  await page.getByRole("button", { name: "Preview" }).click();
  await assertInert(page, violations, errors, "the composer preview");

  for (const path of ["/inbox/dashboard", "/inbox/admin/agents", "/inbox/admin/canned", "/inbox/admin/faqs"]) {
    await page.goto(`${inbox.url}${path}`);
    await page.locator("table.data tbody tr").first().waitFor();
    await assertInert(page, violations, errors, path);
  }
  // An article opened in the editor: the live preview renders the hostile markdown.
  await page.getByRole("button", { name: `Article 0 ${XSS_PAYLOADS[0]}` }).click();
  await page.locator(".faq-editor .preview h3").first().waitFor();
  await assertInert(page, violations, errors, "the article editor");
});
