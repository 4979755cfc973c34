import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, DESKTOP, launchBrowser, openInbox, PHONE, row, screenshot, signIn, startInboxStack, visitor, type InboxStack } from "./support/stack.js";

/**
 * Every screen with seeded data, on a desktop and a phone: axe-core finds nothing, the phone
 * shows queue and ticket as two steps, Arabic turns the page right to left and is remembered,
 * dark mode holds up. Screenshots go to test-results/screenshots/ (not in git) to be looked at.
 */
let inbox: InboxStack;
let browser: Browser;
let featured: string;

const SUBJECTS: Array<[string, string, "low" | "normal" | "high"]> = [
  ["Cannot sign in after password reset", "The reset link says it expired, twice.", "high"],
  ["Invoice shows the wrong VAT number", "Our VAT number changed in March.", "normal"],
  ["Export to CSV drops accented names", "José becomes Jos in the file.", "normal"],
  ["Feature request: dark mode for reports", "Would love it.", "low"],
  ["Webhook deliveries fail with 410", "Since yesterday's deploy.", "high"],
  ["How do I add a second admin?", "We are growing.", "low"],
];

beforeAll(async () => {
  inbox = await startInboxStack();
  browser = await launchBrowser();
  const { client, adminToken } = inbox;
  const names = ["Jane Cooper", "Omar Haddad", "Léa Martin", "Priya Raman", "Tom Becker", "Aiko Sato"];
  for (const [index, [subject, description, priority]] of SUBJECTS.entries()) {
    const customer = await visitor(inbox.url, "pk_demo", names[index]!);
    const { ticket, live } = await customer.open(subject, description);
    await client.call("PATCH", `/v1/agent/tickets/${ticket.number}`, { token: adminToken, body: { priority, tags: index % 2 ? ["billing"] : ["account"] } });
    if (index === 0) {
      featured = ticket.number;
      const { token } = await client.login("ada@parley.test");
      await client.call("POST", `/v1/agent/tickets/${ticket.number}/claim`, { token });
      await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token, body: { body: "Hi Jane, sorry about that. Could you tell me **which browser** you use?", clientId: "seed-reply-1" } });
      await customer.sdk.tickets.send(ticket.number, "Firefox 128 on Windows 11.");
      await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token, body: { body: "Looks like the token TTL bug from last week — linking INC-311.", clientId: "seed-note-1", internal: true } });
      await client.call("POST", `/v1/agent/tickets/${ticket.number}/messages`, { token, body: { body: "Thanks! I have sent a fresh link that lasts 24 hours:\n\n1. Open the email\n2. Click *Reset password*", clientId: "seed-reply-2" } });
    }
    if (index === 3) await client.call("POST", `/v1/agent/tickets/${ticket.number}/resolve`, { token: adminToken, body: { note: "Logged on the roadmap." } });
    live.close();
  }
});
afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
});

async function clean(page: Page, where: string) {
  expect(await axeViolations(page), `axe on ${where}`).toEqual([]);
}

describe.each([
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const)("every screen on a %s", (kind, viewport) => {
  it("is axe-clean with seeded data (sign-in, queue, ticket, dashboard, agents, articles)", async () => {
    const { page, violations, errors } = await openInbox(browser, inbox.url, { viewport });
    await page.getByRole("heading", { name: "Sign in to the inbox" }).waitFor();
    await clean(page, "sign-in");
    await screenshot(page, "sign-in");

    await signIn(page, "admin@parley.test");
    await row(page, featured).waitFor();
    await clean(page, "queue");
    await screenshot(page, "queue");

    await row(page, featured).getByRole("link").click();
    await page.locator(".message.note").waitFor();
    if (kind === "phone") {
      // Two steps: the ticket replaces the queue, and "back" returns to it.
      expect(await page.locator("section.queue").isVisible()).toBe(false);
      await page.getByRole("button", { name: "Back to the queue" }).waitFor();
    } else {
      expect(await page.locator("section.queue").isVisible()).toBe(true);
    }
    await clean(page, "ticket");
    await screenshot(page, "ticket");
    if (kind === "phone") {
      await page.getByRole("button", { name: "Back to the queue" }).click();
      await row(page, featured).waitFor();
      expect(await page.locator("section.ticket").isVisible()).toBe(false);
    }

    await page.goto(`${inbox.url}/inbox/dashboard`);
    await page.locator(".chart canvas").waitFor();
    await clean(page, "dashboard");
    await screenshot(page, "dashboard");

    await page.goto(`${inbox.url}/inbox/admin/agents`);
    await page.locator("table.data tbody tr").first().waitFor();
    await clean(page, "admin agents");
    await screenshot(page, "admin-agents");

    await page.goto(`${inbox.url}/inbox/admin/faqs`);
    await page.locator("table.data tbody tr").first().waitFor();
    await page.locator("table.data tbody tr button.link").first().click();
    await page.locator(".faq-editor .preview p").first().waitFor();
    await clean(page, "admin articles");
    await screenshot(page, "admin-faqs");

    await page.goto(`${inbox.url}/inbox/admin/sites`);
    await page.locator(".widget-preview[data-ready]").waitFor();
    await clean(page, "admin sites");
    await screenshot(page, "admin-sites");
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("languages and themes", () => {
  it("switches to Arabic right to left, remembers it across a reload, and stays axe-clean there and in dark mode", async () => {
    const { page, violations, errors } = await openInbox(browser, inbox.url);
    await page.getByRole("combobox", { name: "Language" }).selectOption("ar");
    await page.getByRole("heading", { name: "تسجيل الدخول إلى الصندوق" }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(["ar", "rtl"]);
    await page.getByLabel("البريد الإلكتروني").fill("ada@parley.test");
    await page.getByLabel("كلمة المرور").fill("parley-agent-demo");
    await page.getByRole("button", { name: "تسجيل الدخول" }).click();
    await page.locator("[data-connection=live]").waitFor();
    await page.reload();
    await page.locator("[data-connection=live]").waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.getByRole("link", { name: /الطابور/ }).waitFor();
    await row(page, featured).getByRole("link").click();
    await page.locator(".message").first().waitFor();
    await clean(page, "the ticket in Arabic");
    await screenshot(page, "ticket-ar");

    await page.getByRole("combobox", { name: "اللغة" }).selectOption("fr");
    await page.getByRole("button", { name: "Sombre" }).click();
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.dataset.theme])).toEqual(["ltr", "dark"]);
    await page.getByRole("textbox", { name: "Écrire une réponse" }).waitFor();
    await clean(page, "the ticket in French, dark");
    await screenshot(page, "ticket-fr-dark");
    await page.goto(`${inbox.url}/inbox/dashboard`);
    await page.locator(".chart canvas").waitFor();
    await clean(page, "the dashboard, dark");
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
