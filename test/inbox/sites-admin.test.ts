import { createHmac } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, inboxSuite, DESKTOP, openInbox, PHONE, screenshot, signIn } from "./support/stack.js";

/**
 * The sites admin: the branding form drives the real widget panel (the built one, as /parley.js
 * would load it) before anything is saved; saving, the origins, the identity rule and a
 * secret rotation reach the site; the embed snippet names its key.
 */
const suite = inboxSuite();

interface SiteBody {
  key: string;
  allowedOrigins: string[];
  requireVerifiedIdentity: boolean;
  branding: { name: string; greeting: string; primaryColor: string; position: string; launcherText: string | null };
}

const demoSite = async () => (await suite.inbox.client.call("GET", `/v1/admin/sites/${suite.inbox.demoSiteId}`, { token: suite.inbox.adminToken })).body as SiteBody;
const preview = (page: Page) => page.locator(".widget-preview parley-panel");

async function openSites(page: Page) {
  await page.goto(`${suite.inbox.url}/inbox/admin/sites`);
  await page.locator(".widget-preview[data-ready]").waitFor();
}

describe("the sites admin", () => {
  it("previews unsaved branding in the real widget panel, then saves it", async () => {
    const { page, violations, errors } = await openInbox(suite.browser, suite.inbox.url);
    await signIn(page, "admin@parley.test");
    await openSites(page);
    const before = await demoSite();
    // The panel shows what the site has saved, from its public widget config.
    await expect.poll(() => preview(page).locator(".greeting").textContent()).toBe(before.branding.greeting);
    await expect.poll(() => preview(page).locator("#parley-title").textContent()).toBe(before.branding.name);

    const payload = `<img src=x onerror="window.__xss=1">Hi there`;
    await page.getByRole("textbox", { name: "Greeting" }).fill(payload);
    await page.getByRole("textbox", { name: "Widget title" }).fill("Acme Help");
    await page.getByLabel("Brand colour").fill("#0f766e");
    await page.getByRole("combobox", { name: "Launcher position" }).selectOption("bottom-left");
    await page.getByRole("textbox", { name: "Launcher text" }).fill("Ask us");

    // Live, as typed: the text (as text), the colour on the panel's primary button, the side.
    await expect.poll(() => preview(page).locator(".greeting").textContent()).toBe(payload);
    await expect.poll(() => preview(page).locator("#parley-title").textContent()).toBe("Acme Help");
    await expect.poll(() => preview(page).locator(".actions .button").first().evaluate((button) => getComputedStyle(button).backgroundColor)).toBe("rgb(15, 118, 110)");
    await expect.poll(() => preview(page).getAttribute("position")).toBe("bottom-left");
    await page.locator(".preview-launcher", { hasText: "Ask us" }).waitFor();
    expect(await page.evaluate(() => "__xss" in window)).toBe(false);
    expect(await preview(page).locator(".greeting img").count()).toBe(0);
    // Nothing was saved by previewing.
    expect((await demoSite()).branding).toEqual(before.branding);
    await screenshot(page, "admin-sites-preview");

    await page.getByRole("form", { name: /Widget branding/ }).getByRole("button", { name: "Save" }).click();
    await page.getByRole("form", { name: /Widget branding/ }).getByRole("status").filter({ hasText: "Saved" }).waitFor();
    expect((await demoSite()).branding).toEqual({ name: "Acme Help", greeting: payload, primaryColor: "#0f766e", position: "bottom-left", launcherText: "Ask us" });

    // A fresh page previews the saved branding.
    await openSites(page);
    await expect.poll(() => preview(page).locator("#parley-title").textContent()).toBe("Acme Help");
    expect(await axeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("edits the allowed origins and the identity rule, rotates the secret (which then verifies), and offers the snippet", async () => {
    const { page, violations, errors } = await openInbox(suite.browser, suite.inbox.url);
    await signIn(page, "admin@parley.test");
    await openSites(page);
    const access = page.getByRole("form", { name: "Origins and identity" });
    const original = (await demoSite()).allowedOrigins;
    await access.getByRole("textbox", { name: /Allowed origins/ }).fill([...original, "https://shop.example", "https://www.shop.example"].join("\n"));
    await access.getByRole("button", { name: "Save" }).click();
    await access.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    expect((await demoSite()).allowedOrigins).toEqual([...original, "https://shop.example", "https://www.shop.example"]);

    // A bad origin is refused by the server and said so; nothing changes.
    await access.getByRole("textbox", { name: /Allowed origins/ }).fill("https://shop.example/with/a/path");
    await access.getByRole("button", { name: "Save" }).click();
    await access.getByRole("alert").waitFor();
    expect((await demoSite()).allowedOrigins).toContain("https://shop.example");

    await access.getByRole("button", { name: "New identity-verification secret" }).click();
    await access.getByRole("group", { name: "New identity-verification secret" }).getByRole("button", { name: "Confirm" }).click();
    const secret = (await access.locator("code.secret").textContent())!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const session = await suite.inbox.client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo", visitor: { id: "user-42", hash: createHmac("sha256", secret).update("user-42").digest("hex") } } });
    expect(session.status).toBe(201);
    expect(session.body.visitor).toMatchObject({ verified: true });

    const key = (await demoSite()).key;
    await expect.poll(() => page.getByRole("textbox", { name: "Embed snippet" }).inputValue()).toBe(`<script src="${suite.inbox.url}/parley.js" data-site="${key}" async></script>`);
    expect(await axeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it.each([
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const)("is axe-clean on a %s, preview included", async (_kind, viewport) => {
    const { page, violations, errors } = await openInbox(suite.browser, suite.inbox.url, { viewport });
    await signIn(page, "admin@parley.test");
    await openSites(page);
    await preview(page).locator(".greeting").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-sites");
    await page.locator(".widget-preview").scrollIntoViewIfNeeded();
    await screenshot(page, "admin-sites-widget");
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
