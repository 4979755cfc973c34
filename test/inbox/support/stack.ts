import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import WebSocket from "ws";
import { createClient } from "../../../sdk/realtime.js";
import { memoryStore } from "../../../sdk/storage.js";
import type { Message } from "../../../protocol/index.js";
import { CHROMIUM_ARGS } from "../../support/chromium.js";
import { apiClient, type ApiClient } from "../../support/client.js";
import { startRealtimeStack, type RealtimeStack } from "../../support/rooms.js";
import { ADMIN, AGENT_PASSWORD } from "../../support/server.js";

const root = new URL("../../..", import.meta.url).pathname;
export const SCREENSHOTS = join(root, "test-results", "screenshots");
const AXE_SOURCE = readFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");
const ROOM_SECRET = "room-secret-for-inbox-tests-0123456789";

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export { ADMIN, AGENT_PASSWORD };

/** The API on Node serving the built inbox, with the rooms in-process (as `npm start` runs it). */
export interface InboxStack {
  stack: RealtimeStack;
  url: string;
  client: ApiClient;
  adminToken: string;
  demoSiteId: string;
  /** Agent ids by email. */
  agents: Map<string, string>;
  stop(): Promise<void>;
}

export async function startInboxStack(options: { env?: Record<string, string> } = {}): Promise<InboxStack> {
  const stack = await startRealtimeStack({ secret: ROOM_SECRET, rooms: "inprocess", env: options.env });
  const client = apiClient(stack.api.url);
  const { token: adminToken } = await client.login(ADMIN.email);
  const sites = await client.call("GET", "/v1/admin/sites", { token: adminToken });
  const demoSiteId = (sites.body.items as Array<{ id: string; key: string }>).find((site) => site.key === "pk_demo")!.id;
  const team = (await client.call("GET", "/v1/admin/agents?limit=100", { token: adminToken })).body.items as Array<{ id: string; email: string }>;
  return { stack, url: stack.api.url, client, adminToken, demoSiteId, agents: new Map(team.map((agent) => [agent.email, agent.id])), stop: () => stack.stop() };
}

/**
 * The stack and a browser for one test file: started before its first test, stopped after its
 * last. Read `suite.inbox` and `suite.browser` inside the tests.
 */
export function inboxSuite(options: Parameters<typeof startInboxStack>[0] = {}): { inbox: InboxStack; browser: Browser } {
  const suite = {} as { inbox: InboxStack; browser: Browser };
  beforeAll(async () => {
    suite.inbox = await startInboxStack(options);
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.inbox?.stop();
  });
  return suite;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: inject("chromiumPath"), args: CHROMIUM_ARGS });
}

export interface InboxPage {
  page: Page;
  /** CSP violations (blocked inline scripts, handlers, styles or foreign loads). */
  violations: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
}

/** A fresh browser context on /inbox, watching for CSP violations and page errors. */
export async function openInbox(browser: Browser, url: string, options: { viewport?: { width: number; height: number }; colorScheme?: "light" | "dark"; locale?: string; path?: string; initScript?: () => void } = {}): Promise<InboxPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, colorScheme: options.colorScheme ?? "light", locale: options.locale ?? "en-US" });
  const page = await context.newPage();
  const violations: string[] = [];
  const errors: string[] = [];
  await page.route(`${url}/axe.js`, (route) => route.fulfill({ contentType: "text/javascript", body: AXE_SOURCE }));
  await page.exposeFunction("__reportViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener(
      "securitypolicyviolation",
      (event) => (window as unknown as { __reportViolation(text: string): void }).__reportViolation(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`),
      true,
    );
  });
  if (options.initScript) await page.addInitScript(options.initScript);
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${url}${options.path ?? "/inbox"}`);
  return { page, violations, errors };
}

export async function signIn(page: Page, email: string, password = email === ADMIN.email ? ADMIN.password : AGENT_PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("[data-connection=live]").waitFor();
}

/** The queue row of a ticket. */
export const row = (page: Page, number: string) => page.locator(`.ticket-row[data-number="${number}"]`);

/** Runs axe-core over the whole page (loaded from the page's own origin: the CSP allows nothing else). */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ url: new URL("/axe.js", page.url()).href });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown; failureSummary: string }> }> }> } }).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary}`).join(" | ")}`);
}

/** test-results/screenshots/inbox-<name>-<desktop|phone>.png (kept out of git). */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize();
  const kind = size && size.width <= 480 ? "phone" : "desktop";
  await page.screenshot({ path: join(SCREENSHOTS, `inbox-${name}-${kind}.png`), caret: "hide", animations: "disabled" });
}

/** A visitor driven through the SDK (REST + the ticket's room), recording every message it receives. */
export async function visitor(url: string, siteKey = "pk_demo", name = "Jane Visitor") {
  const sdk = createClient({ baseUrl: url, siteKey, storage: memoryStore(), WebSocket });
  const received: Message[] = [];
  return {
    sdk,
    received,
    async open(subject: string, description: string) {
      const ticket = await sdk.tickets.create({ subject, description, name });
      const live = sdk.tickets.subscribe(ticket.number, { message: (message) => received.push(message) });
      return { ticket, live };
    },
  };
}
