import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { freePort } from "../../support/server.js";

const root = new URL("../../..", import.meta.url).pathname;
const AXE_SOURCE = readFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");
const HOST_CSS = "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1f2937;background:#f3f4f6}main{max-width:720px;margin:0 auto;padding:32px}";

/** What one embedded widget's script tag says: its `data-*` attributes. */
export type Embed = Record<string, string>;

export interface HostServer {
  origin: string;
  /** A page embedding the given widgets, each with `<script src="<api>/parley.js" data-…>`. */
  pageUrl(embeds: Embed[]): string;
  stop(): Promise<void>;
}

const escapeAttribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * A customer's site on its own origin, as a real embed sees it: the widget comes from the
 * Parley API's origin, and the page allows exactly that under a strict CSP (nothing inline:
 * `script-src 'self' <api>; style-src 'self'`). axe-core is served from the page's own origin
 * so the same policy lets the tests load it.
 */
export async function startHostServer(apiUrl: string, roomsUrl: string): Promise<HostServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const policy = `default-src 'self'; script-src 'self' ${apiUrl}; style-src 'self'; connect-src 'self' ${apiUrl} ${roomsUrl.replace(/^http/, "ws")}; img-src 'self' data:`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname === "/host.css") return void res.writeHead(200, { "content-type": "text/css" }).end(HOST_CSS);
    if (url.pathname === "/axe.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end(AXE_SOURCE);
    if (url.pathname !== "/page.html") return void res.writeHead(404).end();
    const embeds = JSON.parse(url.searchParams.get("embeds") ?? "[]") as Embed[];
    const tags = embeds.map(
      (data) => `<script src="${apiUrl}/parley.js" ${Object.entries(data).map(([key, value]) => `data-${key}="${escapeAttribute(value)}"`).join(" ")} async></script>`,
    );
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": policy });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Widget test host</title><link rel="stylesheet" href="/host.css"></head>
<body><main><h1>Widget test host</h1><p>A customer's page that embeds the Parley widget.</p><button type="button" id="page-button">A control on the page</button></main>
${tags.join("\n")}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    origin,
    pageUrl: (embeds) => `${origin}/page.html?embeds=${encodeURIComponent(JSON.stringify(embeds))}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
