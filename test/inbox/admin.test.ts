import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { join } from "node:path";
import { axeViolations, launchBrowser, openInbox, SCREENSHOTS, signIn, startInboxStack, type InboxStack } from "./support/stack.js";

/** The admin screens change what they show: an agent's status, capacity and tier, a category, an article written with its preview. */
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

it("edits an agent, adds a category and writes an article with a live preview", async () => {
  const { page, violations, errors } = await openInbox(browser, inbox.url);
  await signIn(page, "admin@parley.test");
  const sam = inbox.agents.get("sam@parley.test")!;
  const agentOf = async () => (await inbox.client.call("GET", `/v1/admin/agents/${sam}`, { token: inbox.adminToken })).body as { status: string; capacity: number; tier: number };

  await page.getByRole("link", { name: "Admin" }).click();
  await page.getByRole("combobox", { name: "Status: Sam Tier-One" }).selectOption("available");
  await expect.poll(async () => (await agentOf()).status).toBe("available");
  await page.getByRole("spinbutton", { name: "Capacity: Sam Tier-One" }).fill("7");
  await page.getByRole("spinbutton", { name: "Capacity: Sam Tier-One" }).press("Tab");
  await expect.poll(async () => (await agentOf()).capacity).toBe(7);
  await page.getByRole("spinbutton", { name: "Tier: Sam Tier-One" }).fill("2");
  await page.getByRole("spinbutton", { name: "Tier: Sam Tier-One" }).press("Tab");
  await expect.poll(async () => (await agentOf()).tier).toBe(2);

  await page.getByRole("link", { name: "Categories" }).click();
  await page.getByRole("textbox", { name: "Slug" }).fill("shipping");
  await page.getByRole("textbox", { name: "Name" }).fill("Shipping");
  await page.getByRole("button", { name: "Create" }).click();
  await page.getByRole("cell", { name: "shipping", exact: true }).waitFor();

  await page.getByRole("link", { name: "Articles" }).click();
  await page.locator("table.data tbody tr").first().waitFor();
  await page.getByRole("textbox", { name: "Title" }).fill("Track a parcel");
  await page.getByRole("textbox", { name: "Slug" }).fill("track-a-parcel");
  await page.getByRole("textbox", { name: "Body" }).fill("# Where is it?\n\nOpen **Orders**, then *Track*.\n\n- one\n- two");
  await page.locator(".faq-editor .preview h3", { hasText: "Where is it?" }).waitFor();
  await page.locator(".faq-editor .preview strong", { hasText: "Orders" }).waitFor();
  await page.getByRole("textbox", { name: "Tags" }).fill("Shipping, parcels, shipping");
  await page.getByRole("spinbutton", { name: "Position in category" }).fill("4");
  await page.getByRole("textbox", { name: "Related articles" }).fill("fix-sync-conflicts, reset-your-password");
  await page.getByRole("checkbox", { name: "Published" }).uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: "Track a parcel" }).waitFor();
  const faqs = (await inbox.client.call("GET", "/v1/admin/faqs?limit=100", { token: inbox.adminToken })).body.items as Array<{ slug: string; published: boolean }>;
  expect(faqs.find((faq) => faq.slug === "track-a-parcel")).toMatchObject({
    published: false,
    status: "draft",
    publishedAt: null,
    tags: ["shipping", "parcels"],
    position: 4,
    related: [
      { slug: "fix-sync-conflicts", title: "Fix sync conflicts and files that won't sync" },
      { slug: "reset-your-password", title: "Reset your password" },
    ],
  });
  // The edited article's fields come back into the editor; publishing it stamps published_at.
  await page.getByRole("row", { name: /Track a parcel/ }).getByRole("cell", { name: "shipping, parcels" }).waitFor();
  await page.getByRole("checkbox", { name: "Published" }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("row", { name: /Track a parcel/ }).getByRole("cell", { name: "Published", exact: true }).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, "inbox-faq-editor.png"), fullPage: true });
  const saved = (await inbox.client.call("GET", "/v1/admin/faqs?limit=100", { token: inbox.adminToken })).body.items.find((faq: { slug: string }) => faq.slug === "track-a-parcel");
  expect(saved).toMatchObject({ status: "published", tags: ["shipping", "parcels"] });
  expect(Date.parse(saved.publishedAt)).toBeGreaterThan(0);

  expect(await axeViolations(page)).toEqual([]);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});
