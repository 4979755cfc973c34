import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../support/client.js";
import { builtPanelFile, LOADER_BUDGET_GZIP, PANEL_BUDGET_GZIP, PANEL_FILE } from "../../widget/build.js";
import { rawGet, varyOf } from "../support/raw-http.js";
import { ADMIN, freePort, startApi, type RunningApi } from "../support/server.js";
import { launchBrowser } from "./support/browser.js";

/**
 * The loader (parley.js) in Chromium against the real API: the one-tag embed on /demo, the
 * lazy panel, the queue API, two sites on one cross-origin page, and a strict CSP throughout.
 * dist/widget is built once by the project's globalSetup (widget/build.ts).
 */
const root = new URL("../..", import.meta.url).pathname;
const dist = join(root, "dist", "widget");
const screenshots = join(root, "test-results", "screenshots");
const NONCE = "cj3kX9qLmV2pT8wz";
const PANEL_REQUEST = /\/parley-panel-[\da-f]+\.js$/;

let api: RunningApi;
let browser: Browser;
let hostPage: Server;
let hostOrigin: string;
const shop = { key: "", secret: "" };
const docs = { key: "", secret: "" };

interface Watched {
  page: Page;
  /** Every URL the page requested, in order. */
  requests: string[];
  /** The Content-Encoding each response arrived with, by URL ("identity" when none). */
  encodings: Map<string, string>;
  /** CSP violations (DOM events and Chromium's console reports) and uncaught page errors. */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

/** A fresh context whose page records its requests, CSP violations and uncaught errors. */
async function watch(options: BrowserContextOptions & { saveData?: boolean; noConstructableSheets?: boolean } = {}): Promise<Watched> {
  const { saveData, noConstructableSheets, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
  // Init scripts run before the page's own, and CSP does not apply to them.
  await context.addInitScript(
    ({ saveData, noConstructableSheets }) => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} blocked ${event.blockedURI}`));
      if (saveData) Object.defineProperty(navigator, "connection", { value: { saveData: true } });
      // A browser from before constructable stylesheets (Safari < 16.4).
      if (noConstructableSheets) delete (CSSStyleSheet.prototype as Partial<CSSStyleSheet>).replaceSync;
    },
    { saveData: saveData ?? false, noConstructableSheets: noConstructableSheets ?? false },
  );
  const page = await context.newPage();
  const requests: string[] = [];
  const encodings = new Map<string, string>();
  const console: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("response", (response) => encodings.set(response.url(), response.headers()["content-encoding"] ?? "identity"));
  page.on("console", (message) => {
    if (/content security policy|refused to/i.test(message.text())) console.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => console.push(`uncaught: ${error.message}`));
  return {
    page,
    requests,
    encodings,
    async problems() {
      const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
      return [...violations, ...console];
    },
    close: () => context.close(),
  };
}

const panelRequests = (requests: string[]) => requests.filter((url) => PANEL_REQUEST.test(url));
const launcherOf = (page: Page, site: string) => page.locator(`parley-widget[data-site="${site}"] [part=launcher]`);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until every widget on the page is drawn (branding applied, launcher visible). */
const drawn = (page: Page, count = 1) => expect.poll(() => page.locator("parley-widget[drawn]").count()).toBe(count);

/** A page on another origin that embeds two sites' widgets, under a CSP that names only the Parley host. */
function hostPages(apiUrl: string, hash: string): Record<string, { type: string; body: string; csp?: string }> {
  return {
    "/two.html": {
      type: "text/html",
      csp: `default-src 'self'; script-src 'self' ${apiUrl}; style-src 'self'; connect-src 'self' ${apiUrl}; img-src 'self' data:`,
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Two widgets</title><link rel="stylesheet" href="/host.css"></head>
<body><h1>Shop and docs</h1>
<script src="/host.js"></script>
<script src="${apiUrl}/parley.js" data-site="${shop.key}" async></script>
<script src="${apiUrl}/parley.js" data-site="${docs.key}" async></script>
</body></html>`,
    },
    // A nonce-based CSP: the loader's nonce (taken from its own tag) is the only way to style.
    "/nonce.html": {
      type: "text/html",
      csp: `default-src 'self'; script-src 'nonce-${NONCE}'; style-src 'nonce-${NONCE}'; connect-src ${apiUrl}`,
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nonce</title></head>
<body><h1>Nonce-based CSP</h1><script nonce="${NONCE}" src="${apiUrl}/parley.js" data-site="${shop.key}" async></script></body></html>`,
    },
    "/host.css": {
      type: "text/css",
      body: `:root { --parley-offset: 32px; } parley-widget[data-site="${shop.key}"] { --parley-radius: 12px; }`,
    },
    // Everything here runs before parley.js has arrived: the stub only queues.
    "/host.js": {
      type: "text/javascript",
      body: `window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments); };
window.seen = [];
Parley("on", "open", function (detail) { seen.push("first:open:" + detail.site); });
Parley("${docs.key}", "on", "open", function (detail) { seen.push("docs:open:" + detail.site); });
Parley("${docs.key}", "on", "close", function (detail) { seen.push("docs:close:" + detail.site); });
Parley("${docs.key}", "on", "error", function (detail) { seen.push("docs:error:" + detail.message); });
Parley("${docs.key}", "identify", { id: "user-42", name: "Grace", hash: "${hash}" });
Parley("${docs.key}", "setLocale", "fr");
Parley("${docs.key}", "open");
Parley("${docs.key}", "close");
Parley("${docs.key}", "open");
`,
    },
  };
}

beforeAll(async () => {
  api = await startApi();
  const port = await freePort();
  hostOrigin = `http://127.0.0.1:${port}`;
  const client = apiClient(api.url);
  const { token } = await client.login(ADMIN.email);
  for (const [site, body] of [
    [shop, { name: "Shop", allowedOrigins: [hostOrigin], branding: { primaryColor: "#0f766e", launcherText: "Help" } }],
    [docs, { name: "Docs", allowedOrigins: [hostOrigin], branding: { primaryColor: "#facc15", position: "bottom-left" } }],
  ] as const) {
    const created = await client.call("POST", "/v1/admin/sites", { token, body });
    expect(created.status).toBe(201);
    site.key = created.body.key;
    site.secret = created.body.identitySecret;
  }
  const pages = hostPages(api.url, createHmac("sha256", docs.secret).update("user-42").digest("hex"));
  hostPage = createServer((request, response) => {
    const page = pages[new URL(request.url ?? "/", hostOrigin).pathname];
    if (!page) return response.writeHead(404).end();
    response.writeHead(200, { "content-type": `${page.type}; charset=utf-8`, ...(page.csp ? { "content-security-policy": page.csp } : {}) });
    response.end(page.body);
  });
  await new Promise<void>((resolve) => hostPage.listen(port, "127.0.0.1", resolve));
  browser = await launchBrowser();
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => hostPage?.close(resolve));
  await api?.stop();
});

describe("widget budgets", () => {
  const gzipped = (file: string) => gzipSync(readFileSync(join(dist, file))).length;

  it("parley.js stays under 3 KB gzip", () => {
    expect(gzipped("parley.js")).toBeLessThanOrEqual(LOADER_BUDGET_GZIP);
  });

  it("the panel (lit, the SDK, partysocket and the panel) stays under 30 KB gzip", () => {
    expect(gzipped(builtPanelFile())).toBeLessThanOrEqual(PANEL_BUDGET_GZIP);
  });
});

describe("serving the widget", () => {
  it("serves the loader to any origin briefly, revalidated by a strong ETag", async () => {
    const loader = await rawGet(`${api.url}/parley.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(loader.headers["access-control-allow-origin"]).toBe("*");
    expect(loader.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    expect(loader.headers["cache-control"]).toBe("public, max-age=300");
    expect(loader.body.equals(readFileSync(join(dist, "parley.js")))).toBe(true);
    expect((await rawGet(`${api.url}/widget/parley.js`)).status).toBe(200);

    for (const coding of [undefined, "gzip", "br"]) {
      const headers: Record<string, string> = coding ? { "accept-encoding": coding } : {};
      const first = await rawGet(`${api.url}/parley.js`, headers);
      const etag = first.headers.etag!;
      expect(etag, "strong").toMatch(/^"[\w-]+"$/);
      const again = await rawGet(`${api.url}/parley.js`, { ...headers, "if-none-match": etag });
      expect(again.status, `304 for ${coding ?? "identity"}`).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers["cache-control"]).toBe("public, max-age=300");
    }
    expect((await rawGet(`${api.url}/parley.js`, { "if-none-match": '"something-older"' })).status).toBe(200);
  });

  it("sends the loader and the panel gzip or brotli when asked, identity when not, the gzip loader within budget", async () => {
    const panelFile = builtPanelFile();
    for (const file of ["parley.js", panelFile]) {
      const onDisk = readFileSync(join(dist, file));
      const identity = await rawGet(`${api.url}/${file}`);
      expect(identity.headers["content-encoding"], file).toBeUndefined();
      expect(identity.body.equals(onDisk)).toBe(true);
      for (const reply of [identity, await rawGet(`${api.url}/${file}`, { "accept-encoding": "gzip" }), await rawGet(`${api.url}/${file}`, { "accept-encoding": "br" })]) {
        expect(Number(reply.headers["content-length"]), `${file} Content-Length`).toBe(reply.body.length);
        expect(varyOf(reply), `${file} Vary`).toContain("accept-encoding");
        expect(reply.decoded().equals(onDisk), `${file} ${reply.headers["content-encoding"]} decodes to the built file`).toBe(true);
      }
      // What Chromium sends: brotli wins; a client that takes only gzip gets gzip.
      expect((await rawGet(`${api.url}/${file}`, { "accept-encoding": "gzip, deflate, br, zstd" })).headers["content-encoding"]).toBe("br");
      expect((await rawGet(`${api.url}/${file}`, { "accept-encoding": "gzip" })).headers["content-encoding"]).toBe("gzip");
    }
    const gzipLoader = await rawGet(`${api.url}/parley.js`, { "accept-encoding": "gzip" });
    expect(gzipLoader.headers["content-encoding"]).toBe("gzip");
    expect(gzipLoader.body.length, "parley.js as served, gzip").toBeLessThanOrEqual(LOADER_BUDGET_GZIP);
  });

  it("the loader as served names the panel that is served, under a content-hashed name kept for good", async () => {
    const loader = (await rawGet(`${api.url}/parley.js`, { "accept-encoding": "br" })).decoded().toString("utf8");
    const named = [...new Set(loader.match(/parley-panel[\w.?=-]*\.js[\w?=]*/g) ?? [])];
    expect(named, "the loader names exactly one panel").toHaveLength(1);
    const panelFile = named[0]!;
    expect(panelFile).toMatch(PANEL_FILE);
    expect(panelFile).toBe(builtPanelFile());

    for (const path of [`/${panelFile}`, `/widget/${panelFile}`]) {
      const panel = await rawGet(`${api.url}${path}`, { "accept-encoding": "br" });
      expect(panel.status, path).toBe(200);
      expect(panel.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(panel.headers["access-control-allow-origin"]).toBe("*");
      expect(panel.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(panel.headers["content-encoding"]).toBe("br");
      // It is the panel: the module that defines <parley-panel>, and its name is its content's.
      expect(panel.decoded().equals(readFileSync(join(dist, panelFile)))).toBe(true);
      expect(panel.decoded().toString("utf8")).toContain("parley-panel");
    }
    const map = await rawGet(`${api.url}/${panelFile}.map`);
    expect(map.status).toBe(200);
    expect(map.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("answers the panel's old names with the shared 404 body", async () => {
    for (const path of ["/parley-panel.js", "/parley-panel.js?v=0123456789", "/widget/parley-panel.js", "/parley-panel-0000000000.js"]) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });

  it("answers unknown widget files with the shared 404 body, and serves nothing else from disk", async () => {
    for (const path of ["/widget/nope.js", "/widget/..%2F..%2Fpackage.json", "/widget/index.html"]) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });

  it("serves /demo with a strict CSP and no inline script or style", async () => {
    const res = await fetch(`${api.url}/demo`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self';.*style-src 'self';/);
    const html = await res.text();
    expect(html).toContain(`<script src="/parley.js" data-site="pk_demo" async></script>`);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=/);
  });
});

describe("the loader on /demo (same origin, strict CSP)", () => {
  it("draws the launcher in an open shadow root without loading the panel, then loads it on hover", async () => {
    // Saving data turns the idle preload off, so only the hover can load the panel: no race with
    // a timer on a loaded machine (the preload itself has its own test below).
    const watched = await watch({ saveData: true });
    const { page, requests } = watched;
    try {
      await page.goto(`${api.url}/demo`, { waitUntil: "load" });
      const launcher = launcherOf(page, "pk_demo");
      await drawn(page);
      await expect(launcher.getAttribute("aria-expanded")).resolves.toBe("false");
      await expect(launcher.getAttribute("aria-label")).resolves.toBe("Chat with us");

      const layout = await page.evaluate(() => {
        const host = document.querySelector("parley-widget")!;
        const shadow = host.shadowRoot!;
        const box = shadow.querySelector("button")!.getBoundingClientRect();
        return {
          shadow: Boolean(shadow),
          position: host.getAttribute("position"),
          adopted: shadow.adoptedStyleSheets.length,
          styleElements: shadow.querySelectorAll("style").length + document.querySelectorAll("style").length,
          styleAttributes: document.querySelectorAll("[style]").length + shadow.querySelectorAll("[style]").length,
          right: innerWidth - box.right,
          bottom: innerHeight - box.bottom,
          background: getComputedStyle(shadow.querySelector("button")!).backgroundColor,
        };
      });
      expect(layout).toMatchObject({ shadow: true, position: "bottom-right", adopted: 1, styleElements: 0, styleAttributes: 0, right: 20, bottom: 20 });
      expect(layout.background).toBe("rgb(79, 70, 229)"); // the demo site's brand colour, #4f46e5

      expect(panelRequests(requests)).toEqual([]);
      await page.screenshot({ path: join(screenshots, "demo-desktop.png") });

      await launcher.hover();
      await page.locator("parley-widget parley-panel").waitFor({ state: "attached" });
      expect(panelRequests(requests)).toHaveLength(1);
      // Chromium takes brotli, even from a plain-HTTP loopback origin.
      expect(watched.encodings.get(`${api.url}/parley.js`)).toBe("br");
      expect(watched.encodings.get(panelRequests(requests)[0]!)).toBe("br");
      await expect(launcher.getAttribute("aria-controls")).resolves.toBe("panel");

      await launcher.click();
      await expect.poll(() => launcher.getAttribute("aria-expanded")).toBe("true");
      await expect.poll(() => page.locator("#events").textContent()).toContain("parley-open");
      await page.screenshot({ path: join(screenshots, "demo-desktop-open.png") });

      await page.keyboard.press("Escape");
      await expect.poll(() => launcher.getAttribute("aria-expanded")).toBe("false");
      await expect.poll(() => page.evaluate(() => document.querySelector("parley-widget")!.shadowRoot!.activeElement?.getAttribute("part"))).toBe("launcher");

      await page.locator("button[data-command=hide]").click();
      await expect(launcher.isVisible()).resolves.toBe(false);
      await page.locator("button[data-command=show]").click();
      await expect(launcher.isVisible()).resolves.toBe(true);

      expect(panelRequests(requests)).toHaveLength(1);
      expect(await watched.problems()).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it("loads the panel once the page is idle, but not when the visitor saves data", async () => {
    const idle = await watch();
    const saving = await watch({ saveData: true });
    try {
      await Promise.all([idle.page.goto(`${api.url}/demo`), saving.page.goto(`${api.url}/demo`)]);
      await expect.poll(() => panelRequests(idle.requests).length, { timeout: 10_000 }).toBe(1);
      await delay(1000);
      expect(panelRequests(saving.requests)).toEqual([]);
      await launcherOf(saving.page, "pk_demo").focus();
      await expect.poll(() => panelRequests(saving.requests).length).toBe(1);
      expect([...(await idle.problems()), ...(await saving.problems())]).toEqual([]);
    } finally {
      await Promise.all([idle.close(), saving.close()]);
    }
  });

  it("shows the unread count on the launcher, also on a phone", async () => {
    const watched = await watch({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const { page } = watched;
    try {
      await page.goto(`${api.url}/demo`);
      await drawn(page);
      // What the panel does when support writes: a composed event from inside the shadow root.
      await page.evaluate(() => {
        const button = document.querySelector("parley-widget")!.shadowRoot!.querySelector("button")!;
        button.dispatchEvent(new CustomEvent("parley-unread", { bubbles: true, composed: true, detail: { site: "pk_demo", count: 3 } }));
      });
      const badge = page.locator("parley-widget [part=badge]");
      await expect(badge.textContent()).resolves.toBe("3");
      await expect(badge.isVisible()).resolves.toBe(true);
      await expect(launcherOf(page, "pk_demo").getAttribute("aria-label")).resolves.toBe("Chat with us, 3 unread");
      await page.screenshot({ path: join(screenshots, "demo-mobile.png") });

      await launcherOf(page, "pk_demo").tap();
      await expect.poll(() => launcherOf(page, "pk_demo").getAttribute("aria-expanded")).toBe("true");
      // On a phone the open panel takes the screen; the launcher steps aside.
      await expect(launcherOf(page, "pk_demo").isVisible()).resolves.toBe(false);
      await page.screenshot({ path: join(screenshots, "demo-mobile-open.png") });
      expect(await watched.problems()).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});

describe("a nonce-based CSP in a browser without constructable stylesheets", () => {
  it("styles the launcher with a <style> carrying the script's nonce, and nothing is refused", async () => {
    const watched = await watch({ saveData: true, noConstructableSheets: true });
    const { page } = watched;
    try {
      await page.goto(`${hostOrigin}/nonce.html`);
      await drawn(page);
      const styled = await page.evaluate(() => {
        const shadow = document.querySelector("parley-widget")!.shadowRoot!;
        const button = shadow.querySelector("button")!;
        return {
          adopted: shadow.adoptedStyleSheets.length,
          nonced: Array.from(shadow.querySelectorAll("style"), (style) => style.nonce),
          background: getComputedStyle(button).backgroundColor,
          position: getComputedStyle(shadow.host).position,
        };
      });
      expect(styled).toEqual({ adopted: 0, nonced: [NONCE], background: "rgb(15, 118, 110)", position: "fixed" });
      expect(await watched.problems()).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});

describe("two sites on one page of another origin", () => {
  it("runs queued commands after the panel loads, each site on its own, under the page's CSP", async () => {
    const watched = await watch({ saveData: true }); // no idle preload: only what the page asks for loads
    const { page } = watched;
    try {
      await page.goto(`${hostOrigin}/two.html`);
      const [shopLauncher, docsLauncher] = [launcherOf(page, shop.key), launcherOf(page, docs.key)];
      await expect.poll(() => docsLauncher.getAttribute("aria-expanded")).toBe("true");
      await expect.poll(() => page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
        `docs:open:${docs.key}`,
        `docs:close:${docs.key}`,
        `docs:open:${docs.key}`,
      ]);
      await drawn(page, 2);

      const state = await page.evaluate(
        ([shopKey, docsKey]) =>
          [shopKey!, docsKey!].map((key) => {
            const host = document.querySelector(`parley-widget[data-site="${key}"]`)!;
            const button = host.shadowRoot!.querySelector("button")!;
            const box = button.getBoundingClientRect();
            const style = getComputedStyle(button);
            return {
              panel: Boolean(host.shadowRoot!.querySelector("parley-panel")),
              open: host.hasAttribute("open"),
              text: button.textContent,
              background: style.backgroundColor,
              color: style.color,
              radius: style.borderTopLeftRadius,
              left: Math.round(box.left),
              right: Math.round(innerWidth - box.right),
              bottom: Math.round(innerHeight - box.bottom),
            };
          }),
        [shop.key, docs.key],
      );
      expect(state[0]).toMatchObject({ panel: false, open: false, text: "Help", background: "rgb(15, 118, 110)", color: "rgb(255, 255, 255)", radius: "12px", right: 32, bottom: 32 });
      // Both launchers ask for the same URL with a different X-Parley-Site: a shared HTTP cache
      // entry (no `Vary: X-Parley-Site` on GET /v1/widget/config) would hand docs the shop's config.
      expect(state[1], "the docs widget has its own branding").toMatchObject({ panel: true, open: true, background: "rgb(250, 204, 21)", color: "rgb(17, 24, 39)", radius: "28px", left: 32, bottom: 32 });
      await expect(docsLauncher.getAttribute("aria-controls")).resolves.toBe("panel");
      await expect(shopLauncher.getAttribute("aria-controls")).resolves.toBeNull();

      // The shop's unread count stays on the shop's launcher.
      await page.evaluate((key) => {
        const button = document.querySelector(`parley-widget[data-site="${key}"]`)!.shadowRoot!.querySelector("button")!;
        button.dispatchEvent(new CustomEvent("parley-unread", { bubbles: true, composed: true, detail: { site: key, count: 120 } }));
      }, shop.key);
      await expect(page.locator(`parley-widget[data-site="${shop.key}"] [part=badge]`).textContent()).resolves.toBe("99+");
      await expect(page.locator(`parley-widget[data-site="${docs.key}"] [part=badge]`).isHidden()).resolves.toBe(true);

      // Unaddressed commands go to the first widget; `off` unsubscribes.
      await page.evaluate(() => {
        const w = window as unknown as { Parley: (...args: unknown[]) => void; seen: string[]; shopClosed: (detail: unknown) => void };
        w.shopClosed = () => w.seen.push("first:close");
        w.Parley("on", "close", w.shopClosed);
        w.Parley("off", "close", w.shopClosed);
        w.Parley("open");
      });
      await expect.poll(() => shopLauncher.getAttribute("aria-expanded")).toBe("true");
      await page.evaluate(() => (window as unknown as { Parley: (...args: unknown[]) => void }).Parley("close"));
      await expect.poll(() => shopLauncher.getAttribute("aria-expanded")).toBe("false");
      expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
        `docs:open:${docs.key}`,
        `docs:close:${docs.key}`,
        `docs:open:${docs.key}`,
        `first:open:${shop.key}`,
      ]);
      await expect(docsLauncher.getAttribute("aria-expanded")).resolves.toBe("true");
      await page.screenshot({ path: join(screenshots, "two-sites.png") });
      expect(await watched.problems()).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});
