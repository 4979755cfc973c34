import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, openInbox, row, screenshot, signIn, startInboxStack, visitor, type InboxStack } from "./support/stack.js";

/**
 * Image attachments from the attachment origin (PARLEY_ATTACHMENT_ORIGIN) are shown inline in
 * the ticket view; images anywhere else, and every other type, stay links. Two real file
 * servers on loopback count what the browser asks of them: the other origin is never asked.
 */
interface FileServer {
  server: Server;
  origin: string;
  requests: string[];
}

async function fileServer(png: Buffer): Promise<FileServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url?.endsWith(".png")) res.writeHead(200, { "content-type": "image/png", "content-length": png.length }).end(png);
    else res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.4\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

let browser: Browser;
let inbox: InboxStack;
let allowed: FileServer;
let elsewhere: FileServer;

beforeAll(async () => {
  browser = await launchBrowser();
  // A real PNG, drawn by the browser itself: a coloured card with a line of text.
  const painter = await browser.newPage({ viewport: { width: 240, height: 120 } });
  await painter.setContent(`<body style="margin:0"><div style="width:240px;height:120px;background:#2563eb;color:#fff;font:600 20px sans-serif;display:grid;place-items:center">error 42 screenshot</div></body>`);
  const png = await painter.screenshot({ type: "png" });
  await painter.close();
  allowed = await fileServer(png);
  elsewhere = await fileServer(png);
  inbox = await startInboxStack({ env: { PARLEY_ATTACHMENT_ORIGIN: `${allowed.origin}/` } });
});
afterAll(async () => {
  await browser?.close();
  await inbox?.stop();
  allowed?.server.close();
  elsewhere?.server.close();
});

it("shows images from the attachment origin inline, and only those", async () => {
  const settings = await fetch(`${inbox.url}/inbox/settings.json`).then((res) => res.json());
  expect(settings).toEqual({ attachmentOrigin: allowed.origin });

  const jane = await visitor(inbox.url);
  const { ticket, live } = await jane.open("Sync stopped", "It shows error 42.");
  await jane.sdk.tickets.send(ticket.number, "Here is what I see.", {
    attachments: [
      { name: "screen.png", url: `${allowed.origin}/files/screen.png`, contentType: "image/png", size: 2048 },
      { name: "tracker.png", url: `${elsewhere.origin}/pixel.png`, contentType: "image/png", size: 68 },
      { name: "invoice.pdf", url: `${allowed.origin}/files/invoice.pdf`, contentType: "application/pdf", size: 4096 },
    ],
  });
  live.close();

  const { page, violations, errors } = await openInbox(browser, inbox.url);
  await signIn(page, "ada@parley.test");
  await row(page, ticket.number).getByRole("link").click();
  const message = page.locator(".message.customer", { hasText: "Here is what I see." });
  await message.waitFor();

  const images = message.locator(".attachments img");
  await expect.poll(() => images.count()).toBe(1);
  const image = images.first();
  expect(await image.getAttribute("src")).toBe(`${allowed.origin}/files/screen.png`);
  // Inside the attachment's one link, whose name says what it is.
  expect(await image.getAttribute("alt")).toBe("");
  expect(await image.evaluate((img) => img.closest("a")?.textContent)).toBe("screen.png");
  // Loaded for real: the browser decoded the file the allowed origin served.
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);

  // Every attachment keeps its link, by name.
  for (const name of ["screen.png", "tracker.png", "invoice.pdf"]) await message.getByRole("link", { name, exact: true }).waitFor();
  expect(elsewhere.requests).toEqual([]);
  expect(allowed.requests).toEqual(["/files/screen.png"]);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);

  // The page's policy admits images from that origin and no other.
  const page2 = await fetch(`${inbox.url}/inbox`);
  expect(page2.headers.get("content-security-policy")).toContain(`img-src 'self' data: ${allowed.origin};`);
  await screenshot(page, "attachments");
  await page.context().close();
});

it("without an attachment origin, the settings say none and the policy admits no other image origin", async () => {
  const plain = await startInboxStack();
  try {
    expect(await fetch(`${plain.url}/inbox/settings.json`).then((res) => res.json())).toEqual({ attachmentOrigin: null });
    const policy = (await fetch(`${plain.url}/inbox`)).headers.get("content-security-policy");
    expect(policy).toContain("img-src 'self' data:;");
  } finally {
    await plain.stop();
  }
});
