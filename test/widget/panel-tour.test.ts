import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent } from "./support/agent.js";
import { axeViolations, DESKTOP, launchBrowser, MOBILE, openHost, openPanel, screenshot, type HostPage } from "./support/browser.js";
import { startWidgetStack, type WidgetStack } from "./support/stack.js";

/**
 * Every screen of the panel, as a visitor on the real /demo page (loader + panel, strict CSP)
 * reaches it, at desktop and phone sizes: each is screenshotted into test-results/screenshots,
 * checked by axe-core, and the page must never report a CSP violation.
 */
let stack: WidgetStack;
let browser: Browser;
let offlineSite: string;

beforeAll(async () => {
  stack = await startWidgetStack();
  browser = await launchBrowser();
  // No opening windows at all: outside business hours, always.
  offlineSite = await stack.createSite("Acme Nights", { businessHours: { timezone: "UTC", days: [] } });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Screenshot, axe and CSP for the screen on show. */
async function check(host: HostPage, name: string) {
  await screenshot(host.page, `panel-${name}`);
  expect(await axeViolations(host.page), `axe on ${name}`).toEqual([]);
  expect(host.violations, `CSP on ${name}`).toEqual([]);
}

const text = (locator: Locator) => locator.textContent().then((value) => value ?? "");
const rememberedTicket = (host: HostPage) => host.page.evaluate(() => localStorage.getItem("parley:pk_demo:ticket"));

describe.each([
  ["desktop", DESKTOP],
  ["mobile", MOBILE],
] as const)("the panel's screens (%s)", (kind, viewport) => {
  let host: HostPage;
  let number: string;
  const desk = { signIn: () => signInAgent(stack.api.url) };

  afterAll(async () => {
    await host?.page.context().close();
  });

  it("home: greeting, who is online, and help-centre search with instant results", async () => {
    host = await openHost(browser, stack, null, { viewport });
    await openPanel(host);
    const panel = host.panel();
    await expect.poll(() => panel.locator(".result-title").count()).toBe(5);
    expect(await text(panel.locator(".greeting"))).toContain("Ask us anything about Acme Cloud");
    expect(await text(panel.locator(".presence"))).toContain("We're online");
    await check(host, "home");

    await panel.getByLabel("Search help articles").fill("password");
    await expect.poll(() => text(panel.locator(".result-title").first())).toBe("Reset your password");
    expect(await panel.locator(".excerpt strong").count()).toBeGreaterThan(0); // matches are marked
  });

  it("article: opens from a result, renders its markdown, takes a vote, and back keeps the search", async () => {
    const panel = host.panel();
    await panel.locator(".result").first().click();
    await panel.getByRole("heading", { name: "Reset your password" }).waitFor();
    expect(await panel.locator("[part=article] h4").count()).toBeGreaterThan(0);
    expect(await panel.locator("[part=article] li").count()).toBeGreaterThan(0);
    await check(host, "article");
    await panel.getByRole("button", { name: "Yes" }).click();
    await panel.getByText("Thanks for your feedback!").waitFor();
    await panel.getByRole("button", { name: "Back" }).click();
    expect(await panel.getByLabel("Search help articles").inputValue()).toBe("password");
  });

  it("new conversation: the pre-chat form opens a ticket and shows it", async () => {
    const panel = host.panel();
    await panel.getByRole("button", { name: "Start a conversation" }).click();
    await panel.getByLabel("Name").fill("Jane Doe");
    await panel.getByLabel("Email").fill("jane@example.com");
    await panel.getByLabel("Topic").selectOption("technical");
    await panel.getByLabel("Message").fill("The desktop app stopped syncing\nIt shows error 42.");
    await check(host, "new-conversation");
    await panel.getByRole("button", { name: "Start a conversation" }).click();
    await panel.locator("parley-conversation .message.mine").first().waitFor();
    expect(await text(panel.locator(".header h2"))).toContain("The desktop app stopped syncing");
    number = (await rememberedTicket(host))!;
    expect(number).toMatch(/^TKT-\d{4}-\d+$/);
    expect(await text(host.page.locator("#events"))).toContain("parley-ticket-created");
    const { agent } = await desk.signIn();
    const filed = await agent.tickets.get(number);
    expect(filed.customer).toMatchObject({ name: "Jane Doe", email: "jane@example.com", verified: false });
    expect(filed.description).toBe("The desktop app stopped syncing\nIt shows error 42.");
  });

  it("conversation: the agent's presence, replies (markdown, attachment) and typing arrive live; delivery goes sending → sent → read", async () => {
    const panel = host.panel();
    const { agent, join } = await desk.signIn();
    const { live, errors } = join(number);
    try {
      await panel.getByText("Ada Tier-One is here").waitFor();
      await agent.tickets.reply(number, "Hi Jane, I'm **Ada**. Could you try this:\n- quit the app\n- sign in again\n\nThe [sync guide](https://example.com/guide) has more. <img src=x onerror=alert(1)>", {
        attachments: [{ name: "sync-checklist.pdf", url: "https://example.com/files/sync-checklist.pdf", contentType: "application/pdf", size: 248_000 }],
      });
      const reply = panel.locator(".message.theirs").last();
      await reply.getByText("quit the app").waitFor();
      expect(await reply.locator("strong").textContent()).toBe("Ada");
      expect(await reply.locator("a[href='https://example.com/guide']").getAttribute("rel")).toBe("noopener noreferrer nofollow");
      expect(await reply.locator("img").count()).toBe(0); // HTML in a message is text
      expect(await text(reply)).toContain("sync-checklist.pdf");

      const composer = panel.getByLabel("Write a message");
      await composer.fill("Done, it still fails.");
      await composer.press("Enter");
      const mine = panel.locator(".message.mine").last();
      await mine.getByText("Done, it still fails.").waitFor();
      await mine.locator(".delivery", { hasText: "Sent" }).waitFor();
      const lastSeq = (await agent.tickets.messages(number)).items.at(-1)!.seq;
      await agent.tickets.markRead(number, lastSeq);
      await mine.locator(".delivery", { hasText: "Read" }).waitFor();

      live.setTyping(true);
      await panel.locator(".typing", { hasText: "Ada Tier-One is typing…" }).waitFor();
      await check(host, "conversation-typing");
      expect(errors).toEqual([]);
    } finally {
      live.close();
    }
  });

  it("reload: the conversation comes back", async () => {
    await host.page.reload();
    await openPanel(host);
    const panel = host.panel();
    await panel.getByRole("button", { name: "Continue your conversation" }).click();
    await panel.getByText("Done, it still fails.").waitFor();
    expect(await panel.locator(".message").count()).toBe(3);
  });

  it("my tickets: lists the visitor's tickets with their status and opens one", async () => {
    const panel = host.panel();
    await panel.getByRole("button", { name: "Back" }).click();
    await panel.getByRole("button", { name: "My tickets" }).click();
    const ticket = panel.locator(".ticket").first();
    await ticket.waitFor();
    expect(await text(ticket)).toContain(number);
    expect(await text(ticket.locator(".status"))).toMatch(/Open|In progress|Waiting for you/);
    await check(host, "tickets");
    await ticket.click();
    await panel.getByText("Done, it still fails.").waitFor();
  });

  it("rating: offered once the agent resolves the ticket, and sent", async () => {
    const panel = host.panel();
    const { agent } = await desk.signIn();
    await agent.tickets.resolve(number);
    await panel.getByText("How did we do?").waitFor();
    await panel.locator("label[for=rating-4]").click();
    await panel.getByLabel("Anything to add?").fill("Quick and clear");
    await check(host, "rating");
    await panel.getByRole("button", { name: "Send rating" }).click();
    await panel.getByText("Thanks for rating this conversation.").waitFor();
    const rated = await agent.tickets.get(number);
    expect([rated.rating, rated.ratingComment]).toEqual([4, "Quick and clear"]);
  });

  it("offline: outside business hours the contact form becomes a ticket", async () => {
    const offline = await openHost(browser, stack, [{ site: offlineSite }], { viewport });
    try {
      await openPanel(offline, offlineSite);
      const panel = offline.panel(offlineSite);
      await panel.getByText("We're away right now").waitFor();
      await panel.getByRole("button", { name: "Leave a message" }).click();
      await panel.getByLabel("Name").fill("Night Owl");
      await panel.getByLabel("Email").fill("owl@example.com");
      await panel.getByLabel("Subject").fill("Invoice question");
      await panel.getByLabel("Message").fill("Can I get my invoice in EUR?");
      await check(offline, "offline-contact");
      await panel.getByRole("button", { name: "Send" }).click();
      const sent = panel.locator(".sent");
      await sent.waitFor();
      await screenshot(offline.page, "panel-offline-sent");
      const receipt = /TKT-\d{4}-\d+/.exec(await text(sent))?.[0];
      expect(receipt).toBeTruthy();
      const { agent } = await desk.signIn();
      expect((await agent.tickets.get(receipt!)).source).toBe("contact");
    } finally {
      await offline.page.context().close();
    }
  });

  it.each([
    ["dark", { theme: "dark" }],
    ["rtl", { locale: "ar" }],
  ])("%s: the home screen", async (name, data) => {
    const themed = await openHost(browser, stack, [{ site: "pk_demo", ...data }], { viewport });
    try {
      await openPanel(themed);
      const panel = themed.panel();
      await expect.poll(() => panel.locator(".result-title").count()).toBe(5);
      if (name === "rtl") {
        expect(await panel.locator("section[part=panel]").getAttribute("dir")).toBe("rtl");
        expect(await text(panel.locator(".presence"))).toContain("نحن متصلون");
      } else {
        const surface = await panel.locator("section[part=panel]").evaluate((element) => getComputedStyle(element).backgroundColor);
        expect(surface).toBe("rgb(27, 29, 34)");
      }
      await check(themed, name);
    } finally {
      await themed.page.context().close();
    }
  });
});
