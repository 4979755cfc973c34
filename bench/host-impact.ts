/**
 * `npm run bench:host`: what the widget costs the page that embeds it, in Chromium.
 *
 * The same host page (on its own origin, like a customer's site) is loaded cold, in a fresh
 * browser context (empty cache) per run, three ways:
 *   none     no widget
 *   loader   with the one-tag embed, measured 1.5 s after load (before the idle preload at 3 s)
 *   panel    with the embed, after hovering the launcher until the panel has loaded
 * and we print, side by side (medians), the main-thread time (CDP Performance: TaskDuration,
 * ScriptDuration, layout + style), long tasks (before any interaction for none/loader), and
 * what went over the network (CDP Network encodedDataLength: all of it, and the widget's part).
 * Repeated with 4× CPU throttling (a mid-range phone). Prints figures; never asserts timings.
 *
 * Flags: --runs=N (default 5).
 */
import { createServer } from "node:http";
import { chromium, type Browser, type CDPSession } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../test/support/chromium.js";
import { apiClient } from "../test/support/client.js";
import { ADMIN, freePort, startApi } from "../test/support/server.js";
import { buildWidgetIfStale } from "../widget/build.js";

const runs = Number(process.argv.find((arg) => arg.startsWith("--runs="))?.slice("--runs=".length) ?? 5);

type Scenario = "none" | "loader" | "panel";
interface Sample {
  /** What the page asked the Parley host for, in order (method and path). */
  widgetUrls: string[];
  taskMs: number;
  scriptMs: number;
  layoutStyleMs: number;
  longTasks: number;
  longTaskMs: number;
  requests: number;
  bytes: number;
  widgetRequests: number;
  widgetBytes: number;
}

/** A plain article page, big enough to be a page: a header, 40 paragraphs, a footer. */
function hostPage(widgetTag: string): string {
  const paragraphs = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i + 1}. ${"Our desktop app keeps your files in sync across every device you own. ".repeat(4)}</p>`).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Host page</title>
<link rel="stylesheet" href="/site.css"></head><body><header><strong>Acme</strong></header><main><h1>Sync your files</h1>
${paragraphs}</main><footer>© Acme</footer>${widgetTag}</body></html>`;
}
const siteCss = "body{margin:0;font:16px/1.6 system-ui,sans-serif;color:#1f2937}header,footer{padding:16px 32px;background:#f3f4f6}main{max-width:720px;margin:0 auto;padding:0 32px}";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
}

async function measure(browser: Browser, scenario: Scenario, pageUrl: string, apiOrigin: string, cpuRate: number): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = [];
    (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await cdp.send("Network.enable");
  if (cpuRate > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuRate });
  const urls = new Map<string, string>();
  let requests = 0;
  let bytes = 0;
  let widgetRequests = 0;
  let widgetBytes = 0;
  const widgetUrls: string[] = [];
  cdp.on("Network.requestWillBeSent", ({ requestId, request }) => {
    urls.set(requestId, request.url);
    if (request.url.startsWith(apiOrigin)) widgetUrls.push(`${request.method} ${new URL(request.url).pathname}`);
  });
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    requests += 1;
    bytes += encodedDataLength;
    if (urls.get(requestId)?.startsWith(apiOrigin)) {
      widgetRequests += 1;
      widgetBytes += encodedDataLength;
    }
  });

  await page.goto(pageUrl, { waitUntil: "load" });
  let interactedAt = Infinity;
  if (scenario === "panel") {
    await page.locator("parley-widget[drawn]").waitFor();
    interactedAt = await page.evaluate(() => performance.now());
    await page.locator("parley-widget [part=launcher]").hover();
    await page.locator("parley-widget parley-panel").waitFor({ state: "attached" });
    await page.waitForLoadState("networkidle");
  } else {
    await page.waitForTimeout(1500);
  }
  const totals = await metrics(cdp);
  const longTasks = (await page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks)).filter(
    (task) => task.start < interactedAt,
  );
  await context.close();
  return {
    widgetUrls,
    taskMs: (totals.TaskDuration ?? 0) * 1000,
    scriptMs: (totals.ScriptDuration ?? 0) * 1000,
    layoutStyleMs: ((totals.LayoutDuration ?? 0) + (totals.RecalcStyleDuration ?? 0)) * 1000,
    longTasks: longTasks.length,
    longTaskMs: longTasks.reduce((sum, task) => sum + task.duration, 0),
    requests,
    bytes,
    widgetRequests,
    widgetBytes,
  };
}

function table(cpuRate: number, results: Record<Scenario, Sample[]>) {
  const scenarios: Scenario[] = ["none", "loader", "panel"];
  type Figure = Exclude<keyof Sample, "widgetUrls">;
  const m = (scenario: Scenario, key: Figure) => median(results[scenario].map((sample) => sample[key]));
  const row = (label: string, key: Figure, format: (value: number) => string, added = true) =>
    `  ${label.padEnd(34)}${scenarios
      .map((scenario) => {
        const value = m(scenario, key);
        const delta = added && scenario !== "none" ? ` (+${format(value - m("none", key))})` : "";
        return `${format(value)}${delta}`.padStart(22);
      })
      .join("")}`;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const kb = (value: number) => `${(value / 1024).toFixed(1)} KB`;
  const count = (value: number) => String(Math.round(value));
  console.log(`\nCPU ${cpuRate}× (median of ${runs} cold loads)${" ".repeat(10)}${scenarios.map((s) => s.padStart(22)).join("")}`);
  console.log(row("main-thread task time", "taskMs", ms));
  console.log(row("  of which script", "scriptMs", ms));
  console.log(row("  of which layout + style", "layoutStyleMs", ms));
  console.log(row("long tasks (before interaction)", "longTasks", count, false));
  console.log(row("long-task time (before interaction)", "longTaskMs", ms));
  console.log(row("requests", "requests", count));
  console.log(row("transfer (all)", "bytes", kb));
  console.log(row("  of which from the Parley host", "widgetBytes", kb));
  console.log(row("  requests to the Parley host", "widgetRequests", count, false));
}

const built = await buildWidgetIfStale();
if (built) console.log("built dist/widget");
const api = await startApi({ env: { PARLEY_RATE_LIMITS: "off" } });
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const client = apiClient(api.url);
const { token } = await client.login(ADMIN.email);
const site = await client.call("POST", "/v1/admin/sites", { token, body: { name: "Bench host", allowedOrigins: [origin] } });
if (site.status !== 201) throw new Error(`could not create the bench site: ${JSON.stringify(site.body)}`);
const withWidget = hostPage(`<script src="${api.url}/parley.js" data-site="${site.body.key}" async></script>`);
const server = createServer((request, response) => {
  const path = new URL(request.url ?? "/", origin).pathname;
  if (path === "/site.css") return response.writeHead(200, { "content-type": "text/css" }).end(siteCss);
  if (path === "/plain.html") return response.writeHead(200, { "content-type": "text/html" }).end(hostPage(""));
  if (path === "/widget.html") return response.writeHead(200, { "content-type": "text/html" }).end(withWidget);
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });

try {
  // One discarded round warms up the machine, the API (first queries, file cache) and Chromium.
  for (const scenario of ["none", "loader", "panel"] as const) await measure(browser, scenario, `${origin}/${scenario === "none" ? "plain" : "widget"}.html`, api.url, 1);
  for (const cpuRate of [1, 4]) {
    const results: Record<Scenario, Sample[]> = { none: [], loader: [], panel: [] };
    for (let run = 0; run < runs; run++) {
      // Interleaved, so drift on a shared machine hits every scenario alike.
      results.none.push(await measure(browser, "none", `${origin}/plain.html`, api.url, cpuRate));
      results.loader.push(await measure(browser, "loader", `${origin}/widget.html`, api.url, cpuRate));
      results.panel.push(await measure(browser, "panel", `${origin}/widget.html`, api.url, cpuRate));
    }
    table(cpuRate, results);
    if (cpuRate === 1) for (const scenario of ["loader", "panel"] as const) console.log(`  ${scenario} asked the Parley host for: ${results[scenario][0]!.widgetUrls.join(", ")}`);
  }
  console.log("\nnone: the page alone · loader: parley.js drew the launcher, panel not loaded · panel: after hovering the launcher.");
  console.log("Transfer is uncompressed here (the API sends no Content-Encoding); a CDN's gzip/brotli shrinks the widget's part about 3×.");
} finally {
  await browser.close();
  server.close();
  await api.stop();
}
