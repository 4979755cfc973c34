import type { OpenAPIHono } from "@hono/zod-openapi";
import { EncodedAsset, sendAsset } from "../assets/encoded-asset.js";
import type { AppEnv, Services } from "../context.js";

/**
 * `GET /`: the first URL `npm start` prints, so it says where everything is. The inbox is
 * listed only when the app has a route for it and it is built (`inboxBuilt`). No script at all, and a policy that allows
 * nothing but this origin's stylesheet.
 */
export const STATIC_PAGE_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface HomeLink {
  href: string;
  title: string;
  about: string;
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** What the home page lists, given whether the inbox is served. */
export function homeLinks(inbox: boolean): HomeLink[] {
  return [
    { href: "/demo", title: "Widget demo", about: "a host page embedding the chat widget for the demo site (pk_demo)" },
    ...(inbox ? [{ href: "/inbox", title: "Agent inbox", about: "queue, conversations and admin for agents" }] : []),
    { href: "/docs", title: "API docs", about: "Swagger UI for every route" },
    { href: "/openapi.json", title: "OpenAPI document", about: "the same reference, for code generators" },
    { href: "/health", title: "Health", about: "liveness: answers 200 while the API is up" },
  ];
}

export function homePage(links: HomeLink[]): string {
  const items = links.map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.title)}</a> <span>${escapeHtml(link.href)}</span><br>${escapeHtml(link.about)}</li>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley</title>
<link rel="stylesheet" href="/home.css">
</head>
<body>
<main>
<h1>Parley</h1>
<p>Self-hosted customer support: this server answers the API, the widget and the pages below.</p>
<ul>
${items.join("\n")}
</ul>
<p>Embed the widget on a site with one tag:</p>
<pre>&lt;script src="/parley.js" data-site="pk_…" async&gt;&lt;/script&gt;</pre>
</main>
</body>
</html>`;
}

const homeStyles = `body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2937; background: #f9fafb; }
main { max-width: 640px; margin: 0 auto; padding: 32px; }
ul { padding: 0; list-style: none; }
li { margin: 0 0 16px; }
a { font-weight: 600; color: #4338ca; }
li span { font: 13px ui-monospace, monospace; color: #6b7280; }
pre { padding: 12px; overflow-x: auto; background: #111827; color: #f9fafb; border-radius: 8px; }
@media (prefers-color-scheme: dark) { body { color: #e5e7eb; background: #111827; } a { color: #a5b4fc; } li span { color: #9ca3af; } }
`;

/** Mounts `/` and its stylesheet; call it after every other route so the inbox check sees them all. */
export function homeRoutes(app: OpenAPIHono<AppEnv>, { log }: Pick<Services, "log">, inboxBuilt: () => Promise<boolean> = async () => true) {
  const hasInbox = () => app.routes.some((route) => (route.method === "GET" || route.method === "ALL") && /^\/inbox(\/|$)/.test(route.path));
  // One page with the inbox, one without: which one depends on whether it is built right now.
  const pages = new Map<boolean, Promise<EncodedAsset>>();
  const styles = EncodedAsset.of(homeStyles, "text/css; charset=utf-8", log);
  app.get("/", async (c) => {
    const inbox = hasInbox() && (await inboxBuilt());
    let page = pages.get(inbox);
    if (!page) pages.set(inbox, (page = EncodedAsset.of(homePage(homeLinks(inbox)), "text/html; charset=utf-8", log)));
    return sendAsset(c, await page, { "Content-Security-Policy": STATIC_PAGE_POLICY, "Cache-Control": "no-cache" });
  });
  app.get("/home.css", async (c) => sendAsset(c, await styles, { "Cache-Control": "no-cache" }));
}
