import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenSigner } from "../../server/auth/tokens.js";
import { TEST_SECRET } from "../support/server.js";
import { launchBrowser, openInbox, row, signIn, startInboxStack, visitor, type InboxPage, type InboxStack } from "./support/stack.js";

/** Canned responses, the keyboard, an expired sign-in that keeps the draft, and team scoping, in Chromium. */
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

async function open(email: string, password?: string) {
  const opened = await openInbox(browser, inbox.url);
  pages.push(opened);
  await signIn(opened.page, email, password);
  return opened;
}

/** Clicks an empty spot so single-key shortcuts reach the page rather than a field. */
const blur = (inboxPage: InboxPage) => inboxPage.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

describe("working the inbox", () => {
  afterAll(() => {
    for (const opened of pages) {
      expect(opened.violations, "CSP violations").toEqual([]);
      expect(opened.errors, "page errors").toEqual([]);
    }
  });

  it("fills a canned response's placeholders for the ticket when picked with /", async () => {
    const created = await inbox.client.call("POST", "/v1/agent/canned-responses", {
      token: inbox.adminToken,
      body: { scope: "site", siteId: inbox.demoSiteId, shortcut: "/hello", title: "Greeting", body: "Hi {{customer.name | there}}, this is {{agent.name}} about {{ticket.number}}." },
    });
    expect(created.status).toBe(201);
    const jane = await visitor(inbox.url, "pk_demo", "Jane Canned");
    const { ticket } = await jane.open("Where is my parcel?", "It was due Monday.");
    const ada = await open("ada@parley.test");
    await row(ada.page, ticket.number).getByRole("link").click();
    await ada.page.locator(`section.ticket[data-number="${ticket.number}"]`).waitFor();
    await blur(ada);
    await ada.page.keyboard.press("/");
    const filter = ada.page.getByRole("combobox", { name: "Filter canned responses" });
    await filter.waitFor();
    await filter.fill("hel");
    await ada.page.getByRole("option", { name: /Greeting/ }).waitFor();
    await filter.press("Enter");
    await expect.poll(() => ada.page.getByRole("textbox", { name: "Write a reply" }).inputValue()).toBe(`Hi Jane Canned, this is Ada Tier-One about ${ticket.number}.`);
  });

  it("moves with j/k, opens the composer with r and n, claims with a, lists shortcuts with ? and runs screens from Ctrl-K", async () => {
    const jane = await visitor(inbox.url);
    const first = (await jane.open("Keyboard one", "First.")).ticket;
    const second = (await jane.open("Keyboard two", "Second.")).ticket;
    const ada = await open("ada@parley.test");
    await row(ada.page, second.number).waitFor();
    await row(ada.page, first.number).waitFor();
    await blur(ada);
    // Newest first: j opens the top ticket, j the next, k goes back.
    await ada.page.keyboard.press("j");
    await ada.page.locator(`section.ticket[data-number="${second.number}"]`).waitFor();
    await ada.page.keyboard.press("j");
    await ada.page.locator(`section.ticket[data-number="${first.number}"]`).waitFor();
    await ada.page.keyboard.press("k");
    await ada.page.locator(`section.ticket[data-number="${second.number}"]`).waitFor();

    await ada.page.keyboard.press("n");
    await expect.poll(() => ada.page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Write an internal note");
    await expect(ada.page.locator("form.composer.note").count()).resolves.toBe(1);
    await blur(ada);
    await ada.page.keyboard.press("r");
    await expect.poll(() => ada.page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Write a reply");
    await blur(ada);

    await ada.page.keyboard.press("a");
    await ada.page.locator(".timeline li", { hasText: "assigned" }).first().waitFor();
    expect((await inbox.client.call("GET", `/v1/agent/tickets/${second.number}`, { token: inbox.adminToken })).body.assigneeId).toBe(inbox.agents.get("ada@parley.test"));

    await ada.page.keyboard.press("?");
    const help = ada.page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    for (const label of ["Next ticket", "Previous ticket", "Reply", "Internal note", "Assign to me", "Resolve", "Canned responses", "Command palette"]) await help.getByText(label, { exact: true }).waitFor();
    await ada.page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });

    // Only the first screen's script so far: the dashboard and admin code come on demand.
    const scripts = () => ada.page.evaluate(() => performance.getEntriesByType("resource").map((entry) => entry.name).filter((name) => name.endsWith(".js")).map((name) => new URL(name).pathname));
    expect(await scripts()).toEqual([expect.stringMatching(/^\/inbox\/assets\/inbox-[\da-f]+\.js$/)]);
    await ada.page.keyboard.press("Control+k");
    const palette = ada.page.getByRole("combobox", { name: "Command palette" });
    await palette.fill("dashb");
    await palette.press("Enter");
    await ada.page.getByRole("heading", { name: /Dashboard/ }).waitFor();
    expect(new URL(ada.page.url()).pathname).toBe("/inbox/dashboard");
    expect((await scripts()).some((path) => /\/Dashboard-[\da-f]+\.js$/.test(path))).toBe(true);

    // An agent has no admin screens: no menu entry, no palette command, and the path shows nothing.
    expect(await ada.page.getByRole("link", { name: "Admin" }).count()).toBe(0);
    await ada.page.keyboard.press("Control+k");
    await ada.page.getByRole("combobox", { name: "Command palette" }).fill("Admin");
    expect(await ada.page.locator("#palette-list [role=option]").count()).toBe(0);
    await ada.page.keyboard.press("Escape");
    await ada.page.goto(`${inbox.url}/inbox/admin/agents`);
    await ada.page.locator("[data-connection=live]").waitFor();
    expect(await ada.page.locator("table.data").count()).toBe(0);
    expect((await scripts()).some((path) => /AdminScreen/.test(path))).toBe(false);
  });

  it("returns to sign-in when the sign-in has expired, and keeps the draft for after signing in again", async () => {
    const jane = await visitor(inbox.url);
    const { ticket } = await jane.open("Draft survives", "Please keep my draft.");
    const ada = await open("ada@parley.test");
    await ada.page.goto(`${inbox.url}/inbox/tickets/${ticket.number}`);
    await ada.page.locator(`section.ticket[data-number="${ticket.number}"]`).waitFor();
    const draft = "Half-written answer that must not be lost";
    await ada.page.getByRole("textbox", { name: "Write a reply" }).fill(draft);

    // The tab's token is now one that expired an hour ago (signed as the server signs them).
    const expired = await new TokenSigner(TEST_SECRET).agent({ id: inbox.agents.get("ada@parley.test")!, role: "agent", tokenEpoch: 0 }, Date.now() - 13 * 3600 * 1000);
    await ada.page.evaluate((token) => sessionStorage.setItem("parley:inbox:token", token), expired.token);
    await ada.page.reload();
    await ada.page.getByRole("alert").filter({ hasText: "Your sign-in expired" }).waitFor();
    expect(await ada.page.evaluate(() => sessionStorage.getItem("parley:inbox:token"))).toBeNull();

    await signIn(ada.page, "ada@parley.test");
    await ada.page.locator(`section.ticket[data-number="${ticket.number}"]`).waitFor();
    await expect.poll(() => ada.page.getByRole("textbox", { name: "Write a reply" }).inputValue()).toBe(draft);
  });

  it("shows an agent of another site none of this site's tickets, live or by URL", async () => {
    const site = await inbox.client.call("POST", "/v1/admin/sites", { token: inbox.adminToken, body: { name: "Other Shop", allowedOrigins: [] } });
    expect(site.status).toBe(201);
    const olgaCreated = await inbox.client.call("POST", "/v1/admin/agents", { token: inbox.adminToken, body: { email: "olga@other.test", name: "Olga Other", password: "olga-password-123", siteIds: [site.body.id] } });
    expect(olgaCreated.status).toBe(201);
    const olga = await open("olga@other.test", "olga-password-123");
    const ada = await open("ada@parley.test");

    const jane = await visitor(inbox.url);
    const { ticket } = await jane.open("Only for the demo team", "Nobody else may read this.");
    // Once Ada's queue has it, Olga's room would have delivered it too.
    await row(ada.page, ticket.number).waitFor();
    await expect(olga.page.locator(".ticket-row").count()).resolves.toBe(0);
    await olga.page.getByText("No tickets match.").waitFor();
    expect(await olga.page.content()).not.toContain("Only for the demo team");

    await olga.page.goto(`${inbox.url}/inbox/tickets/${ticket.number}`);
    await olga.page.getByText("This ticket does not exist or is not on your sites.").waitFor();
    expect(await olga.page.content()).not.toContain("Nobody else may read this.");
  });
});
