import { expect, it } from "vitest";
import { axeViolations, inboxSuite, openInbox, row, screenshot, signIn, visitor } from "./support/stack.js";

/** The customer panel shows the page a ticket was opened from and the visitor's language, as text and a safe link. */
const suite = inboxSuite();

it("shows the page (origin and path only, as a link without a referrer) and the locale the visitor reported", async () => {
  const customer = await visitor(suite.inbox.url, "pk_demo", "Page Visitor");
  // A path that looks like markup, and a query that must never reach the agent.
  const ticket = await customer.sdk.tickets.create({
    subject: "Checkout button does nothing",
    description: "On the cart page.",
    pageUrl: 'https://shop.example/cart/"><img src=x onerror="window.__xss=1">?session=s3cr3t',
    locale: "pt-BR",
  });
  const { page, violations, errors } = await openInbox(suite.browser, suite.inbox.url);
  await signIn(page, "admin@parley.test");
  await row(page, ticket.number).getByRole("link").click();
  const link = page.locator(".customer-page a");
  await link.waitFor();
  const shown = (await link.textContent())!;
  expect(shown).toBe("https://shop.example/cart/%22%3E%3Cimg%20src=x%20onerror=%22window.__xss=1%22%3E");
  expect(await link.getAttribute("href")).toBe(shown);
  expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
  expect(await page.locator(".customer-locale").textContent()).toBe("pt-BR");
  expect(await page.locator(".panel.customer img").count()).toBe(0);
  expect(await page.evaluate(() => "__xss" in window)).toBe(false);
  expect(await page.content()).not.toContain("s3cr3t");
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, "ticket-customer-page");
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});
