import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, launchBrowser, openInbox, row, screenshot, signIn, startInboxStack, visitor, type InboxStack } from "./support/stack.js";

/**
 * What tells people about tickets: a webhook made in the admin screen, its delivery log and a
 * replay; and the opt-in browser notification with its chime for new tickets and for replies
 * on the agent's own tickets (observed by wrapping the page's Notification and AudioContext).
 */
let inbox: InboxStack;
let browser: Browser;
let receiver: Server;
let hookUrl: string;
const received: Array<{ headers: IncomingHttpHeaders; body: { type: string; data: { ticket?: { number: string } } } }> = [];
const waiters: Array<() => void> = [];

beforeAll(async () => {
  // Loopback webhooks are for development only; the test's receiver is on loopback.
  inbox = await startInboxStack({ env: { PARLEY_WEBHOOKS_ALLOW_PRIVATE: "1" } });
  browser = await launchBrowser();
  receiver = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(204).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/parley`;
});
afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
  receiver?.close();
});

/** Resolves once a delivery matching `test` has arrived. */
async function delivery(test: (entry: (typeof received)[number]) => boolean) {
  for (;;) {
    const found = received.filter(test);
    if (found.length) return found;
    await new Promise<void>((wake) => waiters.push(wake));
  }
}

describe("webhooks from the admin screen", () => {
  it("creates an endpoint, shows its delivery log, and replays a delivery with the same webhook-id", async () => {
    const { page, violations, errors } = await openInbox(browser, inbox.url);
    await signIn(page, "admin@parley.test");
    await page.goto(`${inbox.url}/inbox/admin/webhooks`);
    const form = page.getByRole("form", { name: "Create" });
    await form.getByRole("textbox", { name: "URL" }).fill(hookUrl);
    await form.getByRole("button", { name: "Create" }).click();
    await page.getByRole("status").filter({ hasText: "Signing secret (shown once)" }).waitFor();
    await page.getByRole("cell", { name: hookUrl }).waitFor();

    const customer = await visitor(inbox.url, "pk_demo", "Hook Tester");
    const { ticket, live } = await customer.open("Where is my parcel?", "Ordered last week.");
    live.close();
    const [first] = await delivery((entry) => entry.body.type === "ticket.created" && entry.body.data.ticket?.number === ticket.number);
    const id = first!.headers["webhook-id"];
    expect(id).toBeTruthy();
    expect(first!.headers["webhook-signature"]).toMatch(/^v1,/);

    // The log row is written once the receiver has answered: wait for it before opening the log (which loads once).
    const endpoints = (await inbox.client.call("GET", "/v1/admin/webhooks?limit=100", { token: inbox.adminToken })).body.items as Array<{ id: string; url: string }>;
    const endpoint = endpoints.find((entry) => entry.url === hookUrl)!;
    await expect.poll(async () => (await inbox.client.call("GET", `/v1/admin/webhooks/${endpoint.id}/deliveries`, { token: inbox.adminToken })).body.items.length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Deliveries" }).click();
    const log = page.locator(".deliveries");
    await log.getByRole("cell", { name: "ticket.created" }).first().waitFor();
    await log.getByRole("cell", { name: "delivered (204)" }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-webhooks");

    const before = received.filter((entry) => entry.headers["webhook-id"] === id).length;
    await log.getByRole("row").filter({ hasText: "ticket.created" }).first().getByRole("button", { name: "Replay" }).click();
    await log.getByRole("status").waitFor();
    const again = await delivery((entry) => entry.headers["webhook-id"] === id && received.filter((other) => other.headers["webhook-id"] === id).length > before);
    expect(again.length).toBe(before + 1);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("browser notifications", () => {
  it("once opted in, notifies with a chime of a new ticket and of a reply on the agent's own ticket", async () => {
    const { page, violations, errors } = await openInbox(browser, inbox.url, {
      initScript: () => {
        const seen: string[] = [];
        const chimes: number[] = [];
        Object.assign(window, { __notifications: seen, __chimes: chimes });
        const Native = window.Notification;
        // A subclass that records each title and otherwise is the browser's own Notification.
        window.Notification = class extends Native {
          constructor(title: string, options?: NotificationOptions) {
            super(title, options);
            seen.push(title);
          }
        } as typeof Notification;
        const createOscillator = AudioContext.prototype.createOscillator;
        AudioContext.prototype.createOscillator = function (this: AudioContext) {
          const tone = createOscillator.call(this);
          const start = tone.start.bind(tone);
          tone.start = (when?: number) => (chimes.push(tone.frequency.value), start(when));
          return tone;
        };
      },
    });
    const notifications = () => page.evaluate(() => (window as unknown as { __notifications: string[] }).__notifications);
    const chimes = () => page.evaluate(() => (window as unknown as { __chimes: number[] }).__chimes.length);
    await signIn(page, "admin@parley.test");

    // Not opted in (no permission, box unticked): a new ticket arrives in the queue without a notification.
    const customer = await visitor(inbox.url, "pk_demo", "Notify Tester");
    const quiet = await customer.open("Before opting in", "Nothing should ring.");
    await row(page, quiet.ticket.number).waitFor();
    expect(await notifications()).toEqual([]);

    // The agent ticks the box and the browser grants the permission it asks for.
    await page.context().grantPermissions(["notifications"], { origin: inbox.url });
    await page.getByRole("checkbox", { name: "Browser notifications" }).check();
    await expect.poll(() => page.getByRole("checkbox", { name: "Browser notifications" }).isChecked()).toBe(true);
    const loud = await customer.open("After opting in", "This one rings.");
    await expect.poll(notifications).toEqual([`New ticket ${loud.ticket.number}: After opting in`]);
    await expect.poll(chimes).toBe(2);

    // A reply on a ticket the agent holds.
    await inbox.client.call("POST", `/v1/agent/tickets/${loud.ticket.number}/claim`, { token: inbox.adminToken });
    await customer.sdk.tickets.send(loud.ticket.number, "Any news?");
    await expect.poll(notifications).toEqual([`New ticket ${loud.ticket.number}: After opting in`, `New reply on ${loud.ticket.number}`]);
    await expect.poll(chimes).toBe(4);
    quiet.live.close();
    loud.live.close();
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
