import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { EncodedAsset, sendAsset } from "../assets/encoded-asset.js";
import type { AppEnv, Services } from "../context.js";
import { ApiError, notFound } from "../middleware/errors.js";

/**
 * The agent inbox (`npm run build:inbox` → dist/inbox/):
 *
 *   GET /inbox, /inbox/…         the app's page (the app routes on the client), never cached for long
 *   GET /inbox/assets/<file>     scripts and styles, named by content hash, so kept for good
 *
 * Same origin as the API, under a strict policy: scripts and styles from this origin only,
 * nothing inline, no framing; sockets to this origin (in-process rooms) or the rooms' own.
 * Gzip or brotli as the browser accepts (../assets/encoded-asset.ts). Read from disk, so a
 * rebuild is picked up without a restart.
 */
const dist = fileURLToPath(new URL("../../dist/inbox/", import.meta.url));
const ASSET = /^[\w-]+-[\da-f]{8,}\.(js|css)(\.map)?$/;
const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  map: "application/json; charset=utf-8",
  html: "text/html; charset=utf-8",
};
const notBuilt = () => new ApiError("not_found", "the inbox is not built: run `npm run build:inbox` (npm start does it for you)");
const cache = new Map<string, { mtimeMs: number; asset: Promise<EncodedAsset> }>();

async function inboxFile(file: string, log: Services["log"]): Promise<EncodedAsset> {
  const path = `${dist}${file}`;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) {
    cache.delete(file);
    throw file === "index.html" ? notBuilt() : notFound(`inbox file ${file}`);
  }
  const cached = cache.get(file);
  if (cached?.mtimeMs === info.mtimeMs) return cached.asset;
  // A new page means a new build: the old hashed files are gone from disk, so from memory too.
  if (file === "index.html" && cached) cache.clear();
  const extension = file.endsWith(".map") ? "map" : (file.split(".").pop() ?? "");
  const asset = readFile(path).then((body) => EncodedAsset.of(body, TYPES[extension] ?? "application/octet-stream", log));
  cache.set(file, { mtimeMs: info.mtimeMs, asset });
  asset.catch(() => {
    if (cache.get(file)?.asset === asset) cache.delete(file);
  });
  return asset;
}

/** The page's policy: nothing inline, everything from this origin (plus the rooms when they run elsewhere). */
export function inboxPolicy(services: Services, c: Context): string {
  const rooms = services.realtime ? ` ${services.realtime.url(c)}` : "";
  const attachments = services.attachmentOrigin ? ` ${services.attachmentOrigin}` : "";
  return `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'${rooms}; img-src 'self' data:${attachments}; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}

/** Whether dist/inbox holds a build (the home page lists the inbox only then). */
export const inboxBuilt = () => stat(`${dist}index.html`).then((info) => info.isFile(), () => false);

export function inboxAssetRoutes(app: OpenAPIHono<AppEnv>, services: Services) {
  const { log } = services;
  app.get("/inbox/assets/:file", async (c) => {
    const file = c.req.param("file");
    if (!ASSET.test(file)) throw notFound(`inbox file ${file}`);
    return sendAsset(c, await inboxFile(`assets/${file}`, log), { "Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff" });
  });
  const page = async (c: Context<AppEnv>) =>
    sendAsset(c, await inboxFile("index.html", log), {
      "Content-Security-Policy": inboxPolicy(services, c),
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
  // What the app needs to know of this server before anyone signs in; nothing secret.
  app.get("/inbox/settings.json", (c) => c.json({ attachmentOrigin: services.attachmentOrigin ?? null }, 200, { "Cache-Control": "no-cache" }));
  app.get("/inbox", page);
  app.get("/inbox/*", page);
}
