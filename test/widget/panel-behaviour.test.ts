import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent } from "./support/agent.js";
import { axeViolations, focusPath, launchBrowser, MOBILE, openHost, openPanel, recordEvents, screenshot, type HostPage } from "./support/browser.js";
import { startWidgetStack, type WidgetStack } from "./support/stack.js";

/**
 * How the panel behaves on a host page under the strict CSP: keyboard and focus, the unread
 * badge, two widgets side by side, switching language live, reporting failures, and phones.
 */
let stack: WidgetStack;
let browser: Browser;
let docsSite: string;
const hosts: HostPage[] = [];

beforeAll(async () => {
  stack = await startWidgetStack();
  browser = await launchBrowser();
  docsSite = await stack.createSite("Acme Docs", { branding: { primaryColor: "#0f766e", greeting: "Questions about the docs?" } });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function host(embeds: Parameters<typeof openHost>[2], options: Parameters<typeof openHost>[3] = {}) {
  const opened = await openHost(browser, stack, embeds, options);
  hosts.push(opened);
  return opened;
}

/** Opens a chat from the panel with nothing but a message; answers its number. */
async function startChat(page: HostPage, message: string, site = "pk_demo") {
  const panel = page.panel(site);
  await panel.getByRole("button", { name: /Start a conversation|Démarrer une conversation/ }).click();
  await panel.getByLabel(/^Message/).fill(message);
  await panel.locator("button[type=submit]").click();
  await panel.locator("parley-conversation .message.mine").first().waitFor();
  return (await page.page.evaluate((key) => localStorage.getItem(key), `parley:${site}:ticket`))!;
}

describe("the panel on a host page", () => {
  afterAll(async () => {
    for (const opened of hosts) expect(opened.violations, "CSP violations").toEqual([]);
  });

  it("works by keyboard alone: focus moves in, stays trapped, Escape closes and returns focus to the launcher", async () => {
    const page = await host([{ site: "pk_demo" }]);
    // The launcher is invisible (so not focusable) until the loader has drawn it.
    await page.launcher().waitFor();
    await page.launcher().focus();
    await page.page.keyboard.press("Enter");
    await page.panel().locator("parley-home .result").first().waitFor();
    expect((await focusPath(page.page)).at(-1)).toBe("input#faq-query");

    for (let presses = 0; presses < 14; presses++) {
      await page.page.keyboard.press("Tab");
      expect(await focusPath(page.page), `after ${presses + 1} Tab`).toContain("parley-panel#panel");
    }
    // Shift+Tab from the first control (the close button) wraps to the last one, the last article.
    await page.panel().getByRole("button", { name: "Close" }).focus();
    await page.page.keyboard.press("Shift+Tab");
    expect(await page.panel().locator(".result").last().evaluate((result) => (result.getRootNode() as ShadowRoot).activeElement === result)).toBe(true);

    // Enter on a result opens the article; Escape anywhere closes.
    await page.panel().locator(".result").first().focus();
    await page.page.keyboard.press("Enter");
    await page.panel().locator("[part=article]").waitFor();
    await page.page.keyboard.press("Escape");
    expect(await page.panel().getAttribute("open")).toBeNull();
    expect(await focusPath(page.page)).toEqual(["parley-widget", "button"]);
  });

  it("counts support messages on the launcher while the panel is closed, and clears them once seen", async () => {
    const page = await host([{ site: "pk_demo" }]);
    await openPanel(page);
    const events = await recordEvents(page.page);
    const number = await startChat(page, "Is anyone there?");
    await page.panel().getByRole("button", { name: "Close" }).click();

    const { agent } = await signInAgent(stack.api.url);
    // The agent sees where the chat began (origin and path of the host page) and the browser's language.
    const hostPage = new URL(page.page.url());
    expect((await agent.tickets.get(number)).customer).toMatchObject({ pageUrl: `${hostPage.origin}${hostPage.pathname}`, locale: await page.page.evaluate(() => navigator.language) });
    await agent.tickets.reply(number, "Yes! Ada here.");
    await agent.tickets.reply(number, "How can I help?");
    const badge = page.widget().locator("[part=badge]");
    await expect.poll(() => badge.textContent()).toBe("2");
    expect((await events()).filter(([name]) => name === "message").map(([, detail]) => detail.message.body)).toEqual(["Yes! Ada here.", "How can I help?"]);

    await page.launcher().click();
    await page.panel().getByText("How can I help?").waitFor();
    await expect.poll(() => badge.isHidden()).toBe(true);
    expect((await events()).filter(([name]) => name === "unread").map(([, detail]) => detail.count)).toEqual([1, 2, 0]);
    // The read mark reached the server.
    await expect.poll(async () => (await agent.tickets.get(number)).unreadCount).toBe(0);
  });

  it("runs two widgets on one page independently", async () => {
    const page = await host([{ site: "pk_demo" }, { site: docsSite, position: "bottom-left", locale: "fr" }]);
    await openPanel(page);
    await openPanel(page, docsSite);
    const demo = page.panel();
    const docs = page.panel(docsSite);
    await demo.getByLabel("Search help articles").fill("invoice");
    await expect.poll(() => demo.locator(".result-title").first().textContent()).toContain("invoices");
    expect(await docs.getByLabel("Rechercher dans l'aide").inputValue()).toBe("");
    expect(await docs.locator(".greeting").textContent()).toBe("Questions about the docs?");

    await startChat(page, "Two widgets, one page");
    expect(await docs.locator("parley-home").count()).toBe(1);
    expect(await page.page.evaluate((key) => localStorage.getItem(key), `parley:${docsSite}:ticket`)).toBeNull();
    await screenshot(page.page, "panel-two-widgets");

    await demo.getByRole("button", { name: "Close" }).click();
    expect(await docs.getAttribute("open")).toBe("");
    expect(await axeViolations(page.page)).toEqual([]);
  });

  it("switches language live; Arabic turns the panel right-to-left", async () => {
    const page = await host([{ site: "pk_demo" }]);
    await openPanel(page);
    const panel = page.panel();
    await page.page.evaluate(() => (window as unknown as { Parley(...args: unknown[]): void }).Parley("setLocale", "fr"));
    await panel.getByRole("button", { name: "Démarrer une conversation" }).waitFor();
    expect(await panel.locator("section[part=panel]").getAttribute("lang")).toBe("fr");
    await page.page.evaluate(() => (window as unknown as { Parley(...args: unknown[]): void }).Parley("setLocale", "ar"));
    await panel.getByRole("button", { name: "ابدأ محادثة" }).waitFor();
    expect(await panel.locator("section[part=panel]").getAttribute("dir")).toBe("rtl");
    // Mirrored: the close button sits on the left of the header.
    const header = (await panel.locator("[part=header]").boundingBox())!;
    const close = (await panel.getByRole("button", { name: "إغلاق" }).boundingBox())!;
    expect(close.x - header.x).toBeLessThan(header.width / 2);
  });

  it("shows a failure and reports it as parley-error instead of swallowing it", async () => {
    const page = await host([{ site: "pk_demo" }]);
    await openPanel(page);
    const events = await recordEvents(page.page);
    await page.page.route("**/v1/faqs?*q=*", (route) => route.fulfill({ status: 500, contentType: "application/json", body: '{"error":{"code":"internal","message":"database is on fire"}}' }));
    await page.panel().getByLabel("Search help articles").fill("refund");
    await page.panel().getByRole("alert").getByText("Something went wrong").waitFor();
    expect((await events()).filter(([name]) => name === "error").map(([, detail]) => detail.message)).toContain("database is on fire");
  });

  it("fills the screen on a phone, with 16px inputs so iOS never zooms", async () => {
    const page = await host([{ site: "pk_demo" }], { viewport: MOBILE, hasTouch: true, isMobile: true });
    await openPanel(page);
    const panel = page.panel();
    expect(await panel.locator("[part=panel]").boundingBox()).toEqual({ x: 0, y: 0, width: MOBILE.width, height: MOBILE.height });
    await panel.getByRole("button", { name: "Start a conversation" }).click();
    const sizes = await panel.locator("input, select, textarea").evaluateAll((fields) => fields.map((field) => parseFloat(getComputedStyle(field).fontSize)));
    expect(sizes.length).toBeGreaterThan(2);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(16);
  });

  it("follows the system's dark mode when the theme is auto", async () => {
    const page = await host([{ site: "pk_demo" }], { colorScheme: "dark" });
    await openPanel(page);
    const surface = () => page.panel().locator("[part=panel]").evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(await surface()).toBe("rgb(27, 29, 34)");
    await page.page.emulateMedia({ colorScheme: "light" });
    expect(await surface()).toBe("rgb(255, 255, 255)");
  });
});
