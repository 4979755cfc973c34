import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from "playwright-core";
import { inject } from "vitest";
import { CHROMIUM_ARGS } from "../../support/chromium.js";
import type { Embed } from "./host-server.js";
import type { WidgetStack } from "./stack.js";

const root = new URL("../../..", import.meta.url).pathname;
export const SCREENSHOTS = join(root, "test-results", "screenshots");
const AXE_SOURCE = readFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };

/** The Chromium the project's globalSetup found or installed (test/support/chromium.ts), never a downloaded one. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: inject("chromiumPath"), args: CHROMIUM_ARGS });
}

export interface HostPage {
  page: Page;
  /** CSP violations seen so far (securitypolicyviolation events and console reports). */
  violations: string[];
  /** Console errors other than CSP reports. */
  errors: string[];
  widget(site?: string): Locator;
  panel(site?: string): Locator;
  launcher(site?: string): Locator;
}

export interface OpenOptions extends Pick<BrowserContextOptions, "viewport" | "colorScheme" | "hasTouch" | "isMobile"> {
  /** Reuse a context (and its localStorage) instead of a fresh one. */
  page?: Page;
}

/** Opens the API's `/demo` (no embeds) or a host-site page embedding the given widgets, watching for CSP violations. */
export async function openHost(browser: Browser, stack: WidgetStack, embeds: Embed[] | null, options: OpenOptions = {}): Promise<HostPage> {
  const page = options.page ?? (await browser.newPage({ viewport: options.viewport ?? DESKTOP, colorScheme: options.colorScheme ?? "light", hasTouch: options.hasTouch, isMobile: options.isMobile }));
  const violations: string[] = [];
  const errors: string[] = [];
  if (!options.page) {
    // /demo's origin is the API's, which has no axe.js: the browser answers that one request itself.
    await page.route(`${stack.api.url}/axe.js`, (route) => route.fulfill({ contentType: "text/javascript", body: AXE_SOURCE }));
    await page.exposeFunction("__reportViolation", (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { __reportViolation(text: string): void }).__reportViolation(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
      }, true);
    });
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
      else errors.push(message.text());
    });
  }
  await page.goto(embeds ? stack.host.pageUrl(embeds) : `${stack.api.url}/demo`);
  const widget = (site = "pk_demo") => page.locator(`parley-widget[data-site="${site}"]`);
  return {
    page,
    violations,
    errors,
    widget,
    panel: (site) => widget(site).locator("parley-panel"),
    launcher: (site) => widget(site).locator('button[part="launcher"]'),
  };
}

/** Opens the panel through its launcher and waits until the home screen has drawn. */
export async function openPanel(host: HostPage, site?: string) {
  await host.launcher(site).click();
  await host.panel(site).locator("parley-home, parley-conversation").first().waitFor();
}

/** Runs axe-core on the page (it looks inside open shadow roots) and answers the violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  // From the page's own origin, so the strict script-src allows it.
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ url: new URL("/axe.js", page.url()).href });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown; failureSummary: string }> }> }> } }).axe;
    return axe.run({ include: [["parley-widget"]] }, { resultTypes: ["violations"] });
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary}`).join(" | ")}`);
}

/** A viewport screenshot into test-results/screenshots/<name>-<desktop|mobile>.png. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize();
  const kind = size && size.width <= 480 ? "mobile" : "desktop";
  // Let transitions and fonts settle, and no caret blink between runs.
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${kind}.png`), caret: "hide", animations: "disabled" });
}

/** Where keyboard focus really is: the chain of elements down through open shadow roots. */
export function focusPath(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const path: string[] = [];
    let active: Element | null = document.activeElement;
    while (active) {
      path.push(active.id ? `${active.localName}#${active.id}` : active.localName);
      active = active.shadowRoot?.activeElement ?? null;
    }
    return path;
  });
}

/** Records every parley-* event the page hears through the queue API, as [name, detail]. */
export async function recordEvents(page: Page) {
  await page.waitForFunction(() => "Parley" in window);
  await page.evaluate(() => {
    const seen: Array<[string, unknown]> = [];
    (window as unknown as { __parleyEvents: typeof seen }).__parleyEvents = seen;
    const parley = (window as unknown as { Parley(...args: unknown[]): void }).Parley;
    for (const name of ["ready", "open", "close", "message", "unread", "ticket-created", "error"]) parley("on", name, (detail: unknown) => seen.push([name, detail]));
  });
  return () => page.evaluate(() => (window as unknown as { __parleyEvents: Array<[string, any]> }).__parleyEvents);
}
