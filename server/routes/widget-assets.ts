import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { readFile, readdir, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { EncodedAsset, sendAsset } from "../assets/encoded-asset.js";
import type { AppEnv, Services } from "../context.js";
import { ApiError, notFound } from "../middleware/errors.js";

/**
 * The built widget (`npm run build:widget` → dist/widget/) and a demo host page.
 *
 *   GET /parley.js                 the loader sites embed; its directory is where it finds the panel,
 *   GET /parley-panel-<hash>.js …  so every widget file is served beside it at the root
 *   GET /widget/<file>             and under /widget/ as well
 *   GET /demo                      a host page that embeds the widget for pk_demo, under a strict CSP
 *
 * Host pages live on other origins and import the panel as a module, so the files carry CORS
 * and `Cross-Origin-Resource-Policy: cross-origin`. Read from disk like /docs (runtime-neutral);
 * a rebuild is picked up without a restart. Everything goes out gzip or brotli when the
 * browser accepts it (see ../assets/encoded-asset.ts).
 */
const dist = fileURLToPath(new URL("../../dist/widget/", import.meta.url));
const FILE = /^parley[\w.-]*\.js(\.map)?$/;
/** Files whose name carries their content hash: the panel, its chunks and their source maps. */
const HASHED = /^parley-(panel|chunk)-[\w-]+\.js(\.map)?$/;
const notBuilt = () => new ApiError("not_found", "the widget is not built: run `npm run build:widget` (npm start does it for you)");

const cache = new Map<string, { mtimeMs: number; asset: Promise<EncodedAsset> }>();

/** The file as it is on disk now, with its compressed forms kept until the file changes. */
async function widgetFile(file: string, log: Services["log"]): Promise<EncodedAsset> {
  const path = `${dist}${file}`;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) {
    cache.delete(file);
    throw file === "parley.js" ? notBuilt() : notFound(`widget file ${file}`);
  }
  const cached = cache.get(file);
  if (cached?.mtimeMs === info.mtimeMs) return cached.asset;
  // A new loader means a new build: the old hashed files are gone from disk, so from memory too.
  if (file === "parley.js" && cached) cache.clear();
  const type = file.endsWith(".map") ? "application/json; charset=utf-8" : "text/javascript; charset=utf-8";
  const asset = readFile(path).then((body) => EncodedAsset.of(body, type, log));
  cache.set(file, { mtimeMs: info.mtimeMs, asset });
  // A file that vanished between stat and read is not kept as a failure (the caller still sees it).
  asset.catch(() => {
    if (cache.get(file)?.asset === asset) cache.delete(file);
  });
  return asset;
}

/**
 * The loader's URL is pasted into pages, so it is cached briefly and revalidated by ETag; the
 * panel and its chunks are named by their content hash (the loader names the panel it was
 * built with), so those never change. Older panel names (`parley-panel.js`, `?v=`) are gone
 * from dist/widget and answer 404.
 */
function widgetCacheControl(file: string): string {
  return HASHED.test(file) ? "public, max-age=31536000, immutable" : "public, max-age=300";
}

/** The panel this build made (`parley-panel-<hash>.js`), for pages that render it without the loader. */
async function currentPanelFile(): Promise<string> {
  const files = await readdir(dist).catch(() => [] as string[]);
  const panel = files.find((file) => /^parley-panel-[\da-f]+\.js$/.test(file));
  if (!panel) throw notBuilt();
  return panel;
}

async function serveFile(c: Context<AppEnv>, file: string, log: Services["log"]) {
  if (!FILE.test(file)) throw notFound(`widget file ${file}`);
  return sendAsset(c, await widgetFile(file, log), {
    "Cache-Control": widgetCacheControl(file),
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    // Lets host pages measure what the widget costs them (resource timing sizes).
    "Timing-Allow-Origin": "*",
  });
}

/** The demo page's CSP: nothing inline, scripts and styles only from this origin. */
function demoPolicy(services: Services, c: Context): string {
  // In-process rooms answer on this origin ('self' covers ws: and wss: to it); PartyKit's elsewhere.
  const rooms = services.realtime ? ` ${services.realtime.url(c)}` : "";
  return `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'${rooms}; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}

const demoPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Cloud — Parley widget demo</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header><strong>Acme Cloud</strong><nav><a href="/docs">API docs</a></nav></header>
<main>
<h1>Parley widget demo</h1>
<p>This page embeds the widget with one tag, under <code>Content-Security-Policy: script-src 'self'; style-src 'self'</code>:</p>
<pre>&lt;script src="/parley.js" data-site="pk_demo" async&gt;&lt;/script&gt;</pre>
<p>The launcher sits in the corner. The panel loads on hover, focus, click or once the page has been idle for a few seconds.
Agents answer through the agent API (see the README's curl walk-through).</p>
<p>The page drives the widget through the queue API:</p>
<p class="controls">
<button type="button" data-command="open">Parley('open')</button>
<button type="button" data-command="close">Parley('close')</button>
<button type="button" data-command="toggle">Parley('toggle')</button>
<button type="button" data-command="hide">Parley('hide')</button>
<button type="button" data-command="show">Parley('show')</button>
</p>
<h2>Events</h2>
<ol id="events"></ol>
</main>
<script src="/demo.js"></script>
<script src="/parley.js" data-site="pk_demo" async></script>
</body>
</html>`;

// The host page's own script: the queue stub, then commands and subscriptions that work
// before parley.js has even arrived.
const demoScript = `window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments); };
var log = document.getElementById("events");
["ready", "open", "close", "message", "unread", "ticket-created", "error"].forEach(function (name) {
  Parley("on", name, function (detail) {
    var item = document.createElement("li");
    item.textContent = new Date().toLocaleTimeString() + "  parley-" + name + "  " + JSON.stringify(detail);
    log.prepend(item);
  });
});
document.querySelectorAll("[data-command]").forEach(function (button) {
  button.addEventListener("click", function () { Parley(button.dataset.command); });
});
`;

const demoStyles = `body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2937; background: #f9fafb; }
header { display: flex; justify-content: space-between; padding: 16px 32px; background: #fff; border-bottom: 1px solid #e5e7eb; }
main { max-width: 720px; margin: 0 auto; padding: 16px 32px 96px; }
pre { padding: 12px; overflow-x: auto; background: #111827; color: #f9fafb; border-radius: 8px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; }
.controls button { font: 14px ui-monospace, monospace; padding: 6px 10px; border: 1px solid #d1d5db; border-radius: 6px; background: #fff; cursor: pointer; }
#events { font: 13px ui-monospace, monospace; color: #4b5563; }
@media (prefers-color-scheme: dark) { body { color: #e5e7eb; background: #111827; } header { background: #1f2937; border-color: #374151; } }
`;

/** Mounts the widget files and the demo page on the app (outside the typed API routes). */
export function widgetAssetRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  const { log } = services;
  const page = EncodedAsset.of(demoPage, "text/html; charset=utf-8", log);
  const script = EncodedAsset.of(demoScript, "text/javascript; charset=utf-8", log);
  const styles = EncodedAsset.of(demoStyles, "text/css; charset=utf-8", log);
  // The inbox's branding preview imports the panel by this stable name; the answer is never kept,
  // since the name it points at changes with every build.
  app.get("/widget/panel", async (c) => {
    const file = await currentPanelFile();
    c.header("Cache-Control", "no-store");
    return c.redirect(`/widget/${file}`, 302);
  });
  app.get("/widget/:file", (c) => serveFile(c, c.req.param("file"), log));
  app.get("/:file{parley[\\w.-]*\\.js(?:\\.map)?}", (c) => serveFile(c, c.req.param("file"), log));
  app.get("/demo", async (c) => {
    await widgetFile("parley.js", log); // a page whose widget cannot load helps nobody: say how to build it
    return sendAsset(c, await page, { "Content-Security-Policy": demoPolicy(services, c), "Cache-Control": "no-cache" });
  });
  app.get("/demo.js", async (c) => sendAsset(c, await script, { "Cache-Control": "no-cache" }));
  app.get("/demo.css", async (c) => sendAsset(c, await styles, { "Cache-Control": "no-cache" }));
}
