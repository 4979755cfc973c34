import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAgent } from "./support/agent.js";
import { axeViolations, launchBrowser, openHost, openPanel, screenshot, type HostPage } from "./support/browser.js";
import { startWidgetStack, type WidgetStack } from "./support/stack.js";

/**
 * The assistant in the panel: it answers a new conversation from the help centre with
 * citations that open the article, "Talk to a person" hands the same ticket to the team, and
 * the agent reads the whole transcript, the bot's answers included.
 */
let stack: WidgetStack;
let browser: Browser;
const hosts: HostPage[] = [];

beforeAll(async () => {
  stack = await startWidgetStack();
  browser = await launchBrowser();
  await stack.updateDemo({ assistantEnabled: true });
});
afterAll(async () => {
  for (const opened of hosts) expect(opened.violations, "CSP violations").toEqual([]);
  await browser?.close();
  await stack?.stop();
});

async function chat(message: string) {
  const page = await openHost(browser, stack, [{ site: "pk_demo" }]);
  hosts.push(page);
  await openPanel(page);
  const panel = page.panel();
  await panel.getByRole("button", { name: "Start a conversation" }).click();
  await panel.getByLabel(/^Message/).fill(message);
  await panel.locator("button[type=submit]").click();
  await panel.locator("parley-conversation .message.mine").first().waitFor();
  const number = (await page.page.evaluate(() => localStorage.getItem("parley:pk_demo:ticket")))!;
  return { page, panel, number };
}

describe("the assistant in the panel", () => {
  it("answers with a citation that opens the article; talk to a person hands the same ticket to the team, who see the transcript", async () => {
    const { page, panel, number } = await chat("How do I put our company tax number on the receipts?");
    const answer = panel.locator("parley-conversation .message.theirs").first();
    await answer.waitFor();
    expect(await answer.locator(".sender").textContent()).toBe("Assistant");
    const citation = answer.getByRole("link", { name: "Download invoices and add VAT details" });
    expect(new URL((await citation.getAttribute("href"))!).pathname).toBe("/help/pk_demo/invoices-receipts-and-vat");
    // The request was not posted a second time: one bubble of the visitor's, one answer.
    expect(await panel.locator("parley-conversation .message").count()).toBe(2);
    await screenshot(page.page, "assistant-answer");
    expect(await axeViolations(page.page)).toEqual([]);

    // A follow-up goes to the assistant as well.
    await panel.getByLabel("Write a message").fill("And how do I get a refund for a double charge?");
    await panel.getByLabel("Write a message").press("Enter");
    await expect.poll(() => panel.locator("parley-conversation .message.theirs").count()).toBe(2);

    // The citation opens the article inside the panel, and Back returns to the conversation.
    await citation.click();
    await panel.locator("[part=article]").getByRole("heading", { name: "Download invoices and add VAT details" }).waitFor();
    await panel.getByRole("button", { name: "Back" }).click();

    const handoff = panel.getByRole("button", { name: "Talk to a person" });
    await handoff.click();
    await panel.locator("parley-conversation .message.theirs .sender", { hasText: "Notice" }).waitFor();
    await expect.poll(() => handoff.count()).toBe(0);
    await screenshot(page.page, "assistant-handoff");

    // The agent sees everything the visitor and the assistant wrote, in order, and the handoff.
    const { agent } = await signInAgent(stack.api.url);
    const transcript = (await agent.tickets.messages(number, { after: 0 })).items.map((message) => message.senderType);
    expect(transcript).toEqual(["bot", "customer", "bot", "system"]);
    const ticket = await agent.tickets.get(number);
    expect(ticket.handedOffAt).not.toBeNull();
    expect(ticket.description).toBe("How do I put our company tax number on the receipts?");
    expect((await agent.tickets.history(number)).items.filter((event) => event.type === "assistant.handoff").map((event) => event.data)).toEqual([{ reason: "requested" }]);

    // From now on the visitor writes to the team: the agent's reply arrives, nothing goes to the bot.
    await panel.getByLabel("Write a message").fill("Thanks, I would like a person to check my account.");
    await panel.getByLabel("Write a message").press("Enter");
    await expect.poll(async () => (await agent.tickets.messages(number, { after: 0 })).items.map((message) => message.senderType)).toEqual(["bot", "customer", "bot", "system", "customer"]);
    await agent.tickets.reply(number, "Hi, Ada here. Let me look.");
    await panel.getByText("Hi, Ada here. Let me look.").waitFor();
  });

  it("hands off at once when it has no good answer, and then writes to the team", async () => {
    const { panel, number } = await chat("Can you recommend a good banana bread recipe?");
    await panel.locator("parley-conversation .message.theirs .sender", { hasText: "Assistant" }).waitFor();
    await expect.poll(() => panel.getByRole("button", { name: "Talk to a person" }).count()).toBe(0);
    const { agent } = await signInAgent(stack.api.url);
    expect((await agent.tickets.history(number)).items.filter((event) => event.type === "assistant.handoff").map((event) => event.data)).toEqual([{ reason: "low_confidence" }]);
    await panel.getByLabel("Write a message").fill("Is anyone there?");
    await panel.getByLabel("Write a message").press("Enter");
    await expect.poll(async () => (await agent.tickets.messages(number, { after: 0 })).items.map((message) => message.senderType)).toEqual(["bot", "customer"]);
  });
});
