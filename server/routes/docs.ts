import type { OpenAPIHono } from "@hono/zod-openapi";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { EncodedAsset, sendAsset } from "../assets/encoded-asset.js";
import type { AppEnv, Services } from "../context.js";
import { notFound } from "../middleware/errors.js";

// Swagger UI is served from the installed swagger-ui-dist package: nothing is fetched from
// a CDN, and the page has no inline script, so it works offline and under a strict CSP.
const assets: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/start.js"></script>
</body>
</html>`;

const start = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });`;

export function docsRoutes(app: OpenAPIHono<AppEnv>, { log }: Pick<Services, "log">) {
  const registry = app.openAPIRegistry;
  registry.registerComponent("securitySchemes", "siteKey", { type: "apiKey", in: "header", name: "X-Parley-Site" });
  registry.registerComponent("securitySchemes", "visitorToken", { type: "http", scheme: "bearer", description: "From POST /v1/sessions" });
  registry.registerComponent("securitySchemes", "agentToken", { type: "http", scheme: "bearer", description: "From POST /v1/auth/login" });
  registry.registerComponent("securitySchemes", "adminToken", { type: "http", scheme: "bearer", description: "An agent token whose agent is an admin" });
  registry.registerComponent("securitySchemes", "inboundSecret", { type: "http", scheme: "bearer", description: "PARLEY_INBOUND_SECRET, held by the MTA or relay that posts inbound mail" });

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Parley API",
      version: "0.1.0",
      description: "Every error answers `{ error: { code, message, details? } }`.",
    },
  });

  // Each file is read and compressed once, on first request (Swagger UI's bundle is 1.7 MB,
  // about 0.4 MB gzip), and kept for the life of the process: the package does not change under it.
  const files = new Map<string, Promise<EncodedAsset>>();
  const dist = fileURLToPath(new URL(".", import.meta.resolve("swagger-ui-dist/package.json")));
  const html = EncodedAsset.of(page, "text/html; charset=utf-8", log);
  const script = EncodedAsset.of(start, "text/javascript; charset=utf-8", log);
  app.get("/docs", async (c) => sendAsset(c, await html, { "Cache-Control": "no-cache" }));
  app.get("/docs/assets/start.js", async (c) => sendAsset(c, await script, { "Cache-Control": "no-cache" }));
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const type = assets[file];
    if (!type) throw notFound("asset");
    let asset = files.get(file);
    if (!asset) {
      asset = readFile(`${dist}${file}`).then((body) => EncodedAsset.of(body, type, log));
      files.set(file, asset);
      // A failed read is retried by the next request rather than kept (this one still fails).
      asset.catch(() => {
        if (files.get(file) === asset) files.delete(file);
      });
    }
    return sendAsset(c, await asset, { "Cache-Control": "public, max-age=86400" });
  });
}
