import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { AppEnv, Services } from "../context.js";
import { ApiError, notFound } from "../middleware/errors.js";

/**
 * The built widget (`npm run build:widget` → dist/widget/) and a demo host page.
 *
 *   GET /parley.js            the loader sites embed; its directory is where it finds the panel,
 *   GET /parley-panel.js …    so every widget file is served beside it at the root
 *   GET /widget/<file>        and under /widget/ as well
 *   GET /demo                 a host page that embeds the widget for pk_demo, under a strict CSP
 *
 * Host pages live on other origins and import the panel as a module, so the files carry CORS
 * and `Cross-Origin-Resource-Policy: cross-origin`. Read from disk like /docs (runtime-neutral);
 * a rebuild is picked up without a restart.
 */
const dist = fileURLToPath(new URL("../../dist/widget/", import.meta.url));
const FILE = /^parley[\w.-]*\.js(\.map)?$/;
const notBuilt = () => new ApiError("not_found", "the widget is not built: run `npm run build:widget` (npm start does it for you)");

interface Asset {
  mtimeMs: number;
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}
const cache = new Map<string, Asset>();

async function asset(file: string): Promise<Asset> {
  const path = `${dist}${file}`;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw file === "parley.js" ? notBuilt() : notFound(`widget file ${file}`);
  const cached = cache.get(file);
  if (cached?.mtimeMs === info.mtimeMs) return cached;
  const body = new Uint8Array(await readFile(path));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const etag = `"${Array.from(digest.subarray(0, 12), (byte) => byte.toString(16).padStart(2, "0")).join("")}"`;
  const fresh = { mtimeMs: info.mtimeMs, body, etag };
  cache.set(file, fresh);
  return fresh;
}

/**
 * The loader's URL is pasted into pages, so it is cached briefly; the panel is asked for with
 * its content hash (`?v=`) and split chunks carry one in their name, so those never change.
 */
function cacheControl(c: Context, file: string): string {
  const immutable = file.startsWith("parley-chunk-") || (file === "parley-panel.js" && c.req.query("v"));
  return immutable ? "public, max-age=31536000, immutable" : "public, max-age=300";
}

async function serveFile(c: Context<AppEnv>, file: string) {
  if (!FILE.test(file)) throw notFound(`widget file ${file}`);
  const { body, etag } = await asset(file);
  const headers = {
    "Content-Type": file.endsWith(".map") ? "application/json; charset=utf-8" : "text/javascript; charset=utf-8",
    "Cache-Control": cacheControl(c, file),
    ETag: etag,
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    // Lets host pages measure what the widget costs them (resource timing sizes).
    "Timing-Allow-Origin": "*",
  };
  if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
  return c.body(body, 200, headers);
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
  app.get("/widget/:file", (c) => serveFile(c, c.req.param("file")));
  app.get("/:file{parley[\\w.-]*\\.js(?:\\.map)?}", (c) => serveFile(c, c.req.param("file")));
  app.get("/demo", async (c) => {
    await asset("parley.js"); // a page whose widget cannot load helps nobody: say how to build it
    c.header("Content-Security-Policy", demoPolicy(services, c));
    c.header("Cache-Control", "no-cache");
    return c.html(demoPage);
  });
  app.get("/demo.js", (c) => c.body(demoScript, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" }));
  app.get("/demo.css", (c) => c.body(demoStyles, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache" }));
}
