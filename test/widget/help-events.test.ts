import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, openHost, openPanel } from "./support/browser.js";
import { startWidgetStack, type WidgetStack } from "./support/stack.js";

/** The panel reports help-centre use, so the deflection report counts a visitor who read an article and left. */
let stack: WidgetStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWidgetStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it("counts a search and an opened article for the visitor's session", async () => {
  const demoSiteId = await stack.client.siteId(stack.adminToken);
  const report = async () => (await stack.client.call("GET", `/v1/admin/stats/deflection?siteId=${demoSiteId}`, { token: stack.adminToken })).body;
  const before = await report();
  const page = await openHost(browser, stack, [{ site: "pk_demo" }]);
  await openPanel(page);
  const panel = page.panel();
  // Only the refunds article mentions chargebacks, and it is not among the first titles listed before a search.
  await panel.getByLabel("Search help articles").fill("chargeback");
  await panel.locator(".result-title", { hasText: /Refunds/ }).first().click();
  await panel.locator("[part=article]").waitFor();
  await expect.poll(async () => (await report()).site.views).toBe(before.site.views + 1);
  await expect.poll(async () => (await report()).site.searches).toBeGreaterThan(before.site.searches);
  const after = await report();
  expect(after.site.deflected).toBe(before.site.deflected + 1);
  expect(after.articles.find((a: { slug: string }) => a.slug === "refunds-and-failed-payments")).toMatchObject({ views: 1, sessions: 1, deflected: 1, withTicket: 0 });
  expect(page.violations).toEqual([]);
});
